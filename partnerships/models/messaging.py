"""Conversations between organisations: every member of either side reads and writes them."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from partnerships.uploads import message_attachment_path, private_storage
from partnerships.uploads.fields import InspectedFileField

from .organisation import Organisation

SUBJECT_MAX = 200
BODY_MAX = 5000


class Conversation(models.Model):
    """One thread between two organisations, about one subject."""

    starter = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="conversations_started",
        verbose_name=_("started by organisation"),
    )
    recipient = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="conversations_received",
        verbose_name=_("written to organisation"),
    )
    subject = models.CharField(_("subject"), max_length=SUBJECT_MAX)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Where it was started from (a recommendation, an event meeting), to show beside it.
    origin_url = models.CharField(_("started from"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    last_message_at = models.DateTimeField(_("last message"))

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        ordering = ["-last_message_at", "-id"]
        indexes = [
            models.Index(fields=["starter", "-last_message_at"], name="conversation_starter_time"),
            models.Index(
                fields=["recipient", "-last_message_at"], name="conversation_recipient_time"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(starter=models.F("recipient")), name="conversation_not_self"
            ),
        ]

    def __str__(self):
        return self.subject

    def get_absolute_url(self):
        return reverse("partnerships:conversation-detail", kwargs={"pk": self.pk})

    def other_side(self, organisation_id):
        return self.recipient if organisation_id == self.starter_id else self.starter


class Message(models.Model):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    # The side that wrote it; the person may leave the organisation or be erased later.
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("from")
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="messages_sent",
        verbose_name=_("written by"),
    )
    body = models.TextField(_("message"), max_length=BODY_MAX)
    attachment = InspectedFileField(
        _("attachment"),
        upload_to=message_attachment_path,
        storage=private_storage,
        kind="document",
        name_field="attachment_name",
        blank=True,
    )
    # Declared after the file: its field fills this in as it saves the file.
    attachment_name = models.CharField(max_length=200, blank=True, editable=False)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["conversation", "created_at"], name="message_conversation_time"),
            # The rate limit counts a person's messages of the last hour.
            models.Index(fields=["sender", "created_at"], name="message_sender_time"),
        ]

    def __str__(self):
        return self.body[:80]

    def get_download_url(self):
        return reverse("partnerships:message-attachment", args=[self.conversation_id, self.pk])


class ConversationRead(models.Model):
    """Up to when one person has read one conversation."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conversation_reads"
    )
    read_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["conversation", "user"], name="conversation_read_once"),
        ]

    def __str__(self):
        return f"{self.user_id} read {self.conversation_id} at {self.read_at:%Y-%m-%d %H:%M}"


class OrganisationBlock(models.Model):
    """An organisation accepts no more messages from another."""

    blocker = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="blocks_made")
    blocked = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="blocks_received"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("blocked organisation")
        verbose_name_plural = _("blocked organisations")
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="organisation_block_once"),
        ]

    def __str__(self):
        return f"{self.blocker} ⊘ {self.blocked}"


class MessageReport(models.Model):
    """A message a participant reported to staff as abuse."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(_("reason"), max_length=1000)
    created_at = models.DateTimeField(_("reported"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("dealt with"), null=True, blank=True)

    class Meta:
        verbose_name = _("reported message")
        verbose_name_plural = _("reported messages")
        ordering = ["resolved_at", "-created_at"]

    def __str__(self):
        return str(self.message)
