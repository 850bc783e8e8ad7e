"""Model and form fields that store only inspected files, and keep them across form errors."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.fields.files import FieldFile
from django.template.defaultfilters import filesizeformat
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from partnerships.uploads.checks import KINDS, InspectedFile, OversizedUpload, inspect_upload
from partnerships.uploads.holding import hold, release
from partnerships.uploads.storage import PrivateStorage


class HeldToken(str):
    """The token a form sent back instead of a file: the upload kept after a form error."""


def held_name(name):
    return f"{name}-held"


class HeldFileInput(forms.ClearableFileInput):
    """A file input that also carries, and shows, the file kept from the last try."""

    held = None

    def value_from_datadict(self, data, files, name):
        value = super().value_from_datadict(data, files, name)
        token = data.get(held_name(name))
        if value is None and token:
            return HeldToken(token)
        return value

    def use_required_attribute(self, initial):
        # With a file kept, an empty input is a complete answer: the browser must not refuse it.
        return super().use_required_attribute(initial) and not self.held

    def value_omitted_from_data(self, data, files, name):
        return super().value_omitted_from_data(data, files, name) and held_name(name) not in data

    def render(self, name, value, attrs=None, renderer=None):
        if not self.held:
            return super().render(name, value, attrs, renderer)
        attrs = dict(attrs or {})
        note = f"{attrs.get('id') or 'id_' + name}_kept"
        attrs["aria-describedby"] = f"{attrs.get('aria-describedby', '')} {note}".strip()
        html = super().render(name, value, attrs, renderer)
        return html + format_html(
            '<input type="hidden" name="{}" value="{}"><p class="muted" id="{}">{}</p>',
            held_name(name),
            self.held.token,
            note,
            _("Kept: %(name)s. Choose another file to replace it.") % {"name": self.held.name},
        )


class UploadField(forms.FileField):
    """A file of one kind (partnerships.uploads.checks.KINDS), inspected while the form is
    cleaned; its cleaned value is the InspectedFile that will be stored."""

    widget = HeldFileInput

    def __init__(self, *, kind, **kwargs):
        self.kind = KINDS[kind]
        if not kwargs.get("help_text"):
            kwargs["help_text"] = lazy(self._help_text, str)()
        kwargs.pop("max_length", None)
        super().__init__(**kwargs)

    def _help_text(self):
        return _("%(types)s, at most %(size)s.") % {
            "types": self.kind.describe(),
            "size": filesizeformat(self.kind.max_bytes),
        }

    def to_python(self, data):
        if isinstance(data, HeldToken):
            upload = release(data)
            if upload is None:
                raise ValidationError(
                    _("The file kept from your last try has expired; choose it again."),
                    code="held_expired",
                )
            return inspect_upload(upload, self.kind)
        if isinstance(data, OversizedUpload):
            return inspect_upload(data, self.kind)
        upload = super().to_python(data)
        return inspect_upload(upload, self.kind) if upload else upload


class HoldsUploads:
    """For forms: keep every accepted upload so that the re-rendered form offers it again."""

    def hold_uploads(self):
        if not self.is_bound:
            return
        # Cleans the form if nothing has yet (a view may stop at another form's errors).
        self.is_valid()
        for name, field in self.fields.items():
            value = self.cleaned_data.get(name)
            if isinstance(field, UploadField) and isinstance(value, InspectedFile):
                field.widget.held = hold(value)


class InspectedFieldFile(FieldFile):
    def save(self, name, content, save=True):
        # FieldFile.save writes to storage before the model's pre_save runs: check here too.
        inspected = inspect_upload(content, KINDS[self.field.kind])
        if self.field.name_field:
            setattr(self.instance, self.field.name_field, inspected.original_name or name)
        super().save(inspected.name, inspected, save=save)


class PrivateFieldFile(InspectedFieldFile):
    """A file outside the public media root: its address is the view that checks who asks."""

    @property
    def url(self):
        self._require_file()
        return self.instance.get_download_url()


class InspectedFileField(models.FileField):
    """A FileField that stores a file only once it passed the checks of its kind, under a
    generated name, and writes the uploaded name into `name_field` as plain data."""

    def __init__(self, *args, kind="document", name_field="", **kwargs):
        self.kind = kind
        self.name_field = name_field
        super().__init__(*args, **kwargs)
        private = isinstance(self.storage, PrivateStorage)
        self.attr_class = PrivateFieldFile if private else InspectedFieldFile

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["kind"] = self.kind
        if self.name_field:
            kwargs["name_field"] = self.name_field
        return name, path, args, kwargs

    def pre_save(self, instance, add):
        file = getattr(instance, self.attname)
        if file and not file._committed:
            # Callers that bypass the forms (scripts, the shell) get the same checks.
            inspected = inspect_upload(file.file, KINDS[self.kind])
            file.file = inspected
            file.name = inspected.name
            if self.name_field:
                setattr(instance, self.name_field, inspected.original_name)
        elif not file and self.name_field:
            setattr(instance, self.name_field, "")
        return super().pre_save(instance, add)

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": UploadField, "kind": self.kind, **kwargs})
