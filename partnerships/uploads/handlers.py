"""An upload handler that stops reading a file at the size limit instead of after it."""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler

from partnerships.uploads.checks import OversizedUpload


class LimitedUploadHandler(FileUploadHandler):
    """First in FILE_UPLOAD_HANDLERS: passes each file's chunks on to Django's own handlers
    until UPLOAD_MAX_BYTES, then swallows the rest, so a huge file is never kept in memory
    or on disk. The form field then sees an OversizedUpload and says so next to itself."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0
        self.oversized = False

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > settings.UPLOAD_MAX_BYTES:
            self.oversized = True
            return None
        return raw_data

    def file_complete(self, file_size):
        if self.oversized:
            return OversizedUpload(self.file_name, settings.UPLOAD_MAX_BYTES)
        return None
