"""The first-bytes validator of the first migrations, kept so that they still import.

Nothing validates with it any more: partnerships.uploads.checks reads the whole file.
"""


class ContentTypeValidator:
    def __init__(self, allowed, max_bytes):
        self.allowed = allowed
        self.max_bytes = max_bytes

    def __call__(self, upload):
        """Historical models never validate; the real check happens before storage."""

    def __eq__(self, other):
        return (self.allowed, self.max_bytes) == (other.allowed, other.max_bytes)

    def deconstruct(self):
        return ("partnerships.uploads.ContentTypeValidator", (self.allowed, self.max_bytes), {})
