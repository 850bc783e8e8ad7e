from django import forms
from django.utils.translation import gettext_lazy as _

from partnerships.models import Organisation
from partnerships.models.messaging import BODY_MAX, SUBJECT_MAX
from partnerships.text import SingleLineFieldsMixin
from partnerships.uploads.fields import HoldsUploads, UploadField


class MessageFields(HoldsUploads, forms.Form):
    # The limits are checked by the service too; the form says so before anything is saved.
    body = forms.CharField(
        label=_("Message"),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("At most %(max)d characters.") % {"max": BODY_MAX},
    )
    attachment = UploadField(label=_("Attachment (optional)"), kind="document", required=False)


class ConversationStartForm(SingleLineFieldsMixin, MessageFields):
    """Write to an organisation on behalf of one of the writer's own."""

    field_order = ["sender", "subject", "body", "attachment"]

    sender = forms.ModelChoiceField(
        label=_("Write on behalf of"), queryset=Organisation.objects.none(), empty_label=None
    )
    subject = forms.CharField(label=_("Subject"), max_length=SUBJECT_MAX)

    def __init__(self, *args, user, recipient, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sender"].queryset = (
            Organisation.objects.filter(memberships__user=user)
            .exclude(pk=recipient.pk)
            .order_by("name")
        )


class ReplyForm(MessageFields):
    pass


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=_("What is wrong with this message?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
