"""The authorisation policy of the portal, as one table.

Each rule names a route (a URL name, namespaced for pages, the router's name for the API), the
object of the test world it points at (see world.py), the action and HTTP method, and what each
role gets, in ROLES order: a status code, or LOGIN for a redirect to the sign-in page. A page
that refuses a signed-in person answers 403, or 404 where even the object's existence is
private (edit pages and their autosave send a signed-out person to sign in whatever the id,
since that is what an expired session looks like); the API answers 403 for a forbidden
action on something the role may see and 404 for anything outside its scoped queryset.

Writes are sent empty: a role that may act gets the form (or 400 with the field errors) back,
which is how "allowed" shows without changing anything. A 302 elsewhere than to the sign-in
page is the portal's answer to a non-HTMX action: done, or refused with a message (the
manager's POST to meeting-answer is such a refusal: they asked for the meeting, only the
person asked may answer).

The roles (world.py): a partner is signed in with no organisation; the other manager owns a
draft organisation; the manager owns the verified organisation that leads the expression and
takes part in the event; the reviewer is staff in the reviewer pool of a call under review,
assigned one of its expressions; staff is the Commission's staff and organises the event.
Every response is also searched for the SECRETS below.
"""

from dataclasses import dataclass

from tests.authz.world import (
    CONVERSATION_TEXT,
    DRAFT_CALL_TITLE,
    DRAFT_ORGANISATION_NAME,
    DRAFT_SEARCH_TITLE,
    EXPRESSION_TITLE,
    MEETING_MESSAGE,
    REVIEW_COMMENT,
)

ROLES = ("anonymous", "partner", "other_manager", "manager", "reviewer", "staff")
LOGIN = "login"
LIST, READ, CREATE, UPDATE, DELETE = "list", "read", "create", "update", "delete"

# What must never appear in a response to anyone outside these roles.
SECRETS = {
    DRAFT_ORGANISATION_NAME: {"other_manager", "reviewer", "staff"},
    EXPRESSION_TITLE: {"manager", "reviewer", "staff"},
    DRAFT_CALL_TITLE: {"reviewer", "staff"},
    MEETING_MESSAGE: {"manager", "staff"},
    REVIEW_COMMENT: {"reviewer", "staff"},
    # Conversations are the two organisations' own: not even staff read them (reports aside).
    CONVERSATION_TEXT: {"manager"},
    DRAFT_SEARCH_TITLE: {"manager", "reviewer", "staff"},
}

# Routes outside the table, each for a stated reason.
SKIPPED_NAMESPACES = {
    # Django's admin: every page of it requires is_staff, checked by the admin site itself;
    # its index is in the table below as the witness.
    "admin",
}
SKIPPED_NAMES = {
    # allauth's own account pages: public forms or pages about the signed-in person's own
    # account, with nobody else's data to leak.
    "account_login",
    "account_logout",
    "account_inactive",
    "account_signup",
    "account_reauthenticate",
    "account_email",
    "account_email_verification_sent",
    "account_change_password",
    "account_set_password",
    "account_reset_password",
    "account_confirm_login_code",
    "account_confirm_email",
    "account_reset_password_from_key_done",
    "account_reset_password_from_key",
    "account_reset_password_done",
}
SKIPPED_VIEWS = set()


@dataclass(frozen=True)
class Rule:
    route: str
    target: str | None
    action: str
    method: str
    outcomes: tuple

    @property
    def id(self):
        return f"{self.method} {self.route} {self.target or ''}".strip()


POLICY = [
    # portal
    Rule("home", None, LIST, "GET", (200, 200, 200, 200, 200, 200)),
    Rule("healthz", None, LIST, "GET", (200, 200, 200, 200, 200, 200)),
    Rule("set_language", None, UPDATE, "POST", (302, 302, 302, 302, 302, 302)),
    # admin
    Rule("admin:index", None, READ, "GET", (302, 302, 302, 302, 200, 200)),
    # portal
    Rule("label-certificate", "label", READ, "GET", (200, 200, 200, 200, 200, 200)),
    Rule("label-certificate", "draft_label", READ, "GET", (404, 404, 200, 404, 200, 200)),
    Rule("logo", "logo", READ, "GET", (200, 200, 200, 200, 200, 200)),
    # partnerships
    Rule("partnerships:organisation-list", None, LIST, "GET", (200, 200, 200, 200, 200, 200)),
    Rule("partnerships:organisation-export", None, LIST, "GET", (200, 200, 200, 200, 200, 200)),
    Rule(
        "partnerships:organisation-detail",
        "organisation",
        READ,
        "GET",
        (200, 200, 200, 200, 200, 200),
    ),
    Rule(
        "partnerships:organisation-detail",
        "draft_organisation",
        READ,
        "GET",
        (404, 404, 200, 404, 200, 200),
    ),
    Rule("partnerships:organisation-create", None, LIST, "GET", (LOGIN, 200, 200, 200, 200, 200)),
    Rule(
        "partnerships:organisation-create", None, CREATE, "POST", (LOGIN, 200, 200, 200, 200, 200)
    ),
    Rule(
        "partnerships:organisation-edit",
        "organisation",
        READ,
        "GET",
        (LOGIN, 403, 403, 200, 200, 200),
    ),
    Rule(
        "partnerships:organisation-edit",
        "organisation",
        UPDATE,
        "POST",
        (LOGIN, 403, 403, 200, 200, 200),
    ),
    Rule(
        "partnerships:organisation-edit",
        "draft_organisation",
        READ,
        "GET",
        (LOGIN, 404, 200, 404, 200, 200),
    ),
    Rule(
        "partnerships:organisation-edit",
        "draft_organisation",
        UPDATE,
        "POST",
        (LOGIN, 404, 200, 404, 200, 200),
    ),
    Rule(
        "partnerships:organisation-autosave",
        "organisation",
        UPDATE,
        "POST",
        (LOGIN, 403, 403, 302, 302, 302),
    ),
    Rule(
        "partnerships:organisation-autosave",
        "draft_organisation",
        UPDATE,
        "POST",
        (LOGIN, 404, 302, 404, 302, 302),
    ),
    Rule(
        "partnerships:organisation-members",
        "organisation",
        READ,
        "GET",
        (LOGIN, 403, 403, 200, 200, 200),
    ),
    Rule(
        "partnerships:organisation-members",
        "organisation",
        UPDATE,
        "POST",
        (LOGIN, 403, 403, 200, 200, 200),
    ),
    Rule("partnerships:region-options", None, LIST, "GET", (200, 200, 200, 200, 200, 200)),
    Rule("partnerships:s3-priority-options", None, LIST, "GET", (200, 200, 200, 200, 200, 200)),
    Rule("partnerships:dashboard", None, LIST, "GET", (LOGIN, 200, 200, 200, 200, 200)),
    Rule(
        "partnerships:invitation-accept",
        "invitation",
        READ,
        "GET",
        (LOGIN, 200, 200, 200, 200, 200),
    ),
    Rule(
        "partnerships:invitation-accept",
        "invitation",
        UPDATE,
        "POST",
        (LOGIN, 400, 400, 400, 400, 400),
    ),
    Rule("partnerships:validation-queue", None, LIST, "GET", (LOGIN, 403, 403, 403, 200, 200)),
    Rule(
        "partnerships:validation-detail",
        "draft_organisation",
        READ,
        "GET",
        (LOGIN, 403, 403, 403, 200, 200),
    ),
    Rule(
        "partnerships:validation-detail",
        "draft_organisation",
        UPDATE,
        "POST",
        (LOGIN, 403, 403, 403, 400, 400),
    ),
    # Only staff check a label; sent empty, the check comes back with its field errors.
    Rule("partnerships:label-check", "label", UPDATE, "POST", (LOGIN, 403, 403, 403, 400, 400)),
    # The Evaluation Summary Report is the lead's (the manager's), and staff's; to anyone else
    # the decision does not exist.
    Rule("partnerships:summary-report", "decision", READ, "GET", (404, 404, 404, 200, 200, 200)),
    Rule(
        "partnerships:summary-report-pdf", "decision", READ, "GET", (404, 404, 404, 200, 200, 200)
    ),
    # Only the lead complains about its decision (sent empty: the form with its error); staff
    # see and answer the complaints.
    Rule(
        "partnerships:complaint-lodge", "decision", CREATE, "POST", (404, 404, 404, 400, 403, 403)
    ),
    Rule("partnerships:complaint-list", None, LIST, "GET", (LOGIN, 403, 403, 403, 200, 200)),
    Rule(
        "partnerships:complaint-handle",
        "complaint",
        UPDATE,
        "POST",
        (LOGIN, 403, 403, 403, 400, 400),
    ),
    Rule("partnerships:hotspots", None, LIST, "GET", (200, 200, 200, 200, 200, 200)),
    Rule("partnerships:call-list", None, LIST, "GET", (200, 200, 200, 200, 200, 200)),
    Rule("partnerships:call-detail", "call", READ, "GET", (200, 200, 200, 200, 200, 200)),
    Rule("partnerships:call-detail", "draft_call", READ, "GET", (404, 404, 404, 404, 200, 200)),
    Rule("partnerships:expression-start", "call", CREATE, "POST", (LOGIN, 400, 400, 400, 400, 400)),
    Rule(
        "partnerships:expression-detail", "expression", READ, "GET", (404, 404, 404, 200, 200, 200)
    ),
    Rule(
        "partnerships:expression-edit", "expression", READ, "GET", (LOGIN, 404, 404, 200, 403, 403)
    ),
    Rule(
        "partnerships:expression-edit",
        "expression",
        UPDATE,
        "POST",
        (LOGIN, 404, 404, 400, 403, 403),
    ),
    Rule(
        "partnerships:expression-autosave",
        "expression",
        UPDATE,
        "POST",
        (LOGIN, 404, 404, 302, 403, 403),
    ),
    Rule(
        "partnerships:expression-submit",
        "expression",
        UPDATE,
        "POST",
        (404, 404, 404, 302, 403, 403),
    ),
    Rule(
        "partnerships:expression-withdraw",
        "expression",
        UPDATE,
        "POST",
        (404, 404, 404, 302, 403, 403),
    ),
    Rule(
        "partnerships:expression-invite",
        "expression",
        CREATE,
        "POST",
        (404, 404, 404, 400, 403, 403),
    ),
    Rule(
        "partnerships:expression-attachment-add",
        "expression",
        CREATE,
        "POST",
        (404, 404, 404, 400, 403, 403),
    ),
    Rule(
        "partnerships:expression-partner-answer",
        "expression_partner",
        UPDATE,
        "POST",
        (LOGIN, 404, 404, 403, 403, 403),
    ),
    Rule(
        "partnerships:expression-attachment",
        "attachment",
        READ,
        "GET",
        (404, 404, 404, 200, 200, 200),
    ),
    # matchmaking
    Rule(
        "matchmaking:recommended-partners",
        "organisation",
        READ,
        "GET",
        (404, 404, 404, 200, 200, 200),
    ),
    Rule(
        "matchmaking:recommended-partners",
        "draft_organisation",
        READ,
        "GET",
        (404, 404, 200, 404, 200, 200),
    ),
    Rule(
        "matchmaking:recommendation-feedback",
        "organisation",
        CREATE,
        "POST",
        (404, 404, 404, 302, 302, 302),
    ),
    Rule("matchmaking:run-list", None, LIST, "GET", (LOGIN, 403, 403, 403, 200, 200)),
    Rule("matchmaking:run-progress", None, LIST, "GET", (LOGIN, 403, 403, 403, 200, 200)),
    Rule("matchmaking:run-start", None, CREATE, "POST", (LOGIN, 403, 403, 403, 302, 302)),
    Rule("matchmaking:fit-list", None, LIST, "GET", (LOGIN, 403, 403, 403, 200, 200)),
    Rule("matchmaking:fit-list", None, CREATE, "POST", (LOGIN, 403, 403, 403, 400, 400)),
    Rule("matchmaking:fit-detail", "weight_fit", READ, "GET", (LOGIN, 403, 403, 403, 200, 200)),
    Rule("matchmaking:fit-detail", "weight_fit", UPDATE, "POST", (LOGIN, 403, 403, 403, 400, 400)),
    # The result partial answers htmx polls; a plain visit or a POST goes to the fit's page.
    Rule("matchmaking:fit-result", "weight_fit", READ, "GET", (LOGIN, 403, 403, 403, 302, 302)),
    Rule("matchmaking:fit-result", "weight_fit", UPDATE, "POST", (LOGIN, 403, 403, 403, 302, 302)),
    # events
    Rule("events:my-events", None, LIST, "GET", (LOGIN, 200, 200, 200, 200, 200)),
    Rule("events:event-list", None, LIST, "GET", (200, 200, 200, 200, 200, 200)),
    Rule("events:event-calendar", None, LIST, "GET", (200, 200, 200, 200, 200, 200)),
    Rule("events:event-feed", None, LIST, "GET", (200, 200, 200, 200, 200, 200)),
    Rule("events:event-detail", "event", READ, "GET", (200, 200, 200, 200, 200, 200)),
    Rule("events:event-ics", "event", READ, "GET", (200, 200, 200, 200, 200, 200)),
    Rule("events:participant-list", "event", LIST, "GET", (LOGIN, 403, 403, 200, 200, 200)),
    Rule("events:agenda", "event", READ, "GET", (LOGIN, 404, 200, 200, 404, 404)),
    Rule("events:agenda-ics", "event", READ, "GET", (LOGIN, 404, 200, 200, 404, 404)),
    Rule("events:availability", "event", READ, "GET", (LOGIN, 404, 200, 200, 404, 404)),
    Rule("events:availability", "event", UPDATE, "POST", (LOGIN, 404, 302, 302, 404, 404)),
    Rule("events:agenda-feed-key", "event", UPDATE, "POST", (LOGIN, 404, 302, 302, 404, 404)),
    # The secret address is the key: whoever holds it reads that one agenda, signed in or not.
    Rule(
        "events:agenda-subscription", "calendar_feed", READ, "GET", (200, 200, 200, 200, 200, 200)
    ),
    Rule("events:event-register", "event", READ, "GET", (LOGIN, 200, 200, 200, 200, 200)),
    Rule("events:event-register", "event", CREATE, "POST", (LOGIN, 400, 400, 400, 400, 400)),
    Rule("events:schedule-run", "event", CREATE, "POST", (LOGIN, 403, 403, 403, 302, 302)),
    # the organisers' workspace: staff and the event's organisers; acting in a participant's
    # name only for the event's own organisers (the reviewer is staff, not an organiser).
    Rule("events:workspace", None, LIST, "GET", (LOGIN, 403, 403, 403, 200, 200)),
    Rule("events:event-create", None, READ, "GET", (LOGIN, 403, 403, 403, 200, 200)),
    Rule("events:event-create", None, CREATE, "POST", (LOGIN, 403, 403, 403, 400, 400)),
    Rule("events:event-edit", "event", READ, "GET", (LOGIN, 403, 403, 403, 200, 200)),
    Rule("events:event-edit", "event", UPDATE, "POST", (LOGIN, 403, 403, 403, 400, 400)),
    Rule("events:event-organisers", "event", LIST, "GET", (LOGIN, 403, 403, 403, 200, 200)),
    Rule("events:event-organisers", "event", CREATE, "POST", (LOGIN, 403, 403, 403, 400, 400)),
    Rule(
        "events:event-organiser-remove",
        "organiser_role",
        DELETE,
        "POST",
        (LOGIN, 403, 403, 403, 302, 302),
    ),
    Rule("events:workspace-participants", "event", LIST, "GET", (LOGIN, 403, 403, 403, 200, 200)),
    Rule("events:participants-csv", "event", LIST, "GET", (LOGIN, 403, 403, 403, 200, 200)),
    Rule("events:participants-xlsx", "event", LIST, "GET", (LOGIN, 403, 403, 403, 200, 200)),
    Rule(
        "events:workspace-decide",
        "ally_registration",
        UPDATE,
        "POST",
        (LOGIN, 403, 403, 403, 302, 302),
    ),
    Rule("events:act-for", "ally_registration", READ, "GET", (LOGIN, 403, 403, 403, 403, 200)),
    Rule("events:act-for", "ally_registration", CREATE, "POST", (LOGIN, 403, 403, 403, 403, 400)),
    Rule(
        "events:act-for-answer",
        "incoming_request",
        UPDATE,
        "POST",
        (LOGIN, 403, 403, 403, 403, 302),
    ),
    Rule("events:mailing", "event", READ, "GET", (LOGIN, 403, 403, 403, 200, 200)),
    Rule("events:mailing", "event", CREATE, "POST", (LOGIN, 403, 403, 403, 400, 400)),
    Rule("events:dashboard", "event", READ, "GET", (LOGIN, 403, 403, 403, 200, 200)),
    Rule("events:check-in", "event", READ, "GET", (LOGIN, 403, 403, 403, 200, 200)),
    Rule("events:check-in", "event", UPDATE, "POST", (LOGIN, 403, 403, 403, 400, 400)),
    # A badge is the validated participant's own: the pending one has none yet.
    Rule("events:badge", "event", READ, "GET", (LOGIN, 404, 404, 200, 404, 404)),
    Rule("events:badge-qr", "event", READ, "GET", (LOGIN, 404, 404, 200, 404, 404)),
    Rule(
        "events:meeting-no-show", "event_meeting", UPDATE, "POST", (LOGIN, 403, 403, 403, 302, 302)
    ),
    Rule(
        "events:meeting-request", "ally_registration", READ, "GET", (LOGIN, 403, 403, 200, 403, 403)
    ),
    Rule(
        "events:meeting-request",
        "ally_registration",
        CREATE,
        "POST",
        (LOGIN, 403, 403, 400, 403, 403),
    ),
    Rule(
        "events:preference", "ally_registration", UPDATE, "POST", (LOGIN, 403, 403, 302, 403, 403)
    ),
    Rule(
        "events:registration-decide",
        "pending_registration",
        UPDATE,
        "POST",
        (LOGIN, 404, 404, 404, 302, 302),
    ),
    Rule("events:meeting-answer", "meeting", UPDATE, "POST", (404, 404, 404, 302, 404, 404)),
    Rule("events:meeting-cancel", "meeting", UPDATE, "POST", (404, 404, 404, 302, 404, 404)),
    # Other times are proposed by the person asked (the ally): the manager asked, so 403.
    Rule("events:meeting-propose", "meeting", READ, "GET", (404, 404, 404, 403, 404, 404)),
    Rule("events:meeting-propose", "meeting", UPDATE, "POST", (404, 404, 404, 403, 404, 404)),
    Rule("events:meeting-book", "meeting", READ, "GET", (404, 404, 404, 200, 404, 404)),
    Rule("events:meeting-book", "meeting", UPDATE, "POST", (404, 404, 404, 400, 404, 404)),
    # API
    Rule("api-root", None, LIST, "GET", (200, 200, 200, 200, 200, 200)),
    Rule("api-schema", None, LIST, "GET", (200, 200, 200, 200, 200, 200)),
    Rule("api-docs", None, LIST, "GET", (200, 200, 200, 200, 200, 200)),
    Rule("organisation-list", None, LIST, "GET", (200, 200, 200, 200, 200, 200)),
    Rule("organisation-list", None, CREATE, "POST", (405, 405, 405, 405, 405, 405)),
    Rule("organisation-detail", "organisation", READ, "GET", (200, 200, 200, 200, 200, 200)),
    Rule("organisation-detail", "organisation", UPDATE, "PUT", (405, 405, 405, 405, 405, 405)),
    Rule("organisation-detail", "organisation", UPDATE, "PATCH", (405, 405, 405, 405, 405, 405)),
    Rule("organisation-detail", "organisation", DELETE, "DELETE", (405, 405, 405, 405, 405, 405)),
    Rule("call-list", None, LIST, "GET", (200, 200, 200, 200, 200, 200)),
    Rule("call-list", None, CREATE, "POST", (405, 405, 405, 405, 405, 405)),
    Rule("call-detail", "call", READ, "GET", (200, 200, 200, 200, 200, 200)),
    Rule("call-detail", "call", UPDATE, "PUT", (405, 405, 405, 405, 405, 405)),
    Rule("call-detail", "call", UPDATE, "PATCH", (405, 405, 405, 405, 405, 405)),
    Rule("call-detail", "call", DELETE, "DELETE", (405, 405, 405, 405, 405, 405)),
    Rule("expression-list", None, LIST, "GET", (200, 200, 200, 200, 200, 200)),
    Rule("expression-list", None, CREATE, "POST", (405, 405, 405, 405, 405, 405)),
    Rule("expression-detail", "expression", READ, "GET", (404, 404, 404, 200, 200, 200)),
    Rule("expression-detail", "expression", UPDATE, "PUT", (405, 405, 405, 405, 405, 405)),
    Rule("expression-detail", "expression", UPDATE, "PATCH", (405, 405, 405, 405, 405, 405)),
    Rule("expression-detail", "expression", DELETE, "DELETE", (405, 405, 405, 405, 405, 405)),
    Rule("event-list", None, LIST, "GET", (200, 200, 200, 200, 200, 200)),
    Rule("event-list", None, CREATE, "POST", (405, 405, 405, 405, 405, 405)),
    Rule("event-detail", "event", READ, "GET", (200, 200, 200, 200, 200, 200)),
    Rule("event-detail", "event", UPDATE, "PUT", (405, 405, 405, 405, 405, 405)),
    Rule("event-detail", "event", UPDATE, "PATCH", (405, 405, 405, 405, 405, 405)),
    Rule("event-detail", "event", DELETE, "DELETE", (405, 405, 405, 405, 405, 405)),
    Rule("meeting-list", None, LIST, "GET", (200, 200, 200, 200, 200, 200)),
    Rule("meeting-list", None, CREATE, "POST", (405, 405, 405, 405, 405, 405)),
    Rule("meeting-detail", "meeting", READ, "GET", (404, 404, 404, 200, 404, 404)),
    Rule("meeting-detail", "meeting", UPDATE, "PUT", (405, 405, 405, 405, 405, 405)),
    Rule("meeting-detail", "meeting", UPDATE, "PATCH", (405, 405, 405, 405, 405, 405)),
    Rule("meeting-detail", "meeting", DELETE, "DELETE", (405, 405, 405, 405, 405, 405)),
    Rule("organisation-detail", "draft_organisation", READ, "GET", (404, 404, 200, 404, 200, 200)),
    Rule(
        "organisation-detail", "draft_organisation", UPDATE, "PATCH", (405, 405, 405, 405, 405, 405)
    ),
    Rule(
        "organisation-detail",
        "draft_organisation",
        DELETE,
        "DELETE",
        (405, 405, 405, 405, 405, 405),
    ),
    Rule("call-detail", "draft_call", READ, "GET", (404, 404, 404, 404, 200, 200)),
    Rule("country-list", None, LIST, "GET", (200, 200, 200, 200, 200, 200)),
    Rule("country-list", None, CREATE, "POST", (405, 405, 405, 405, 405, 405)),
    Rule("region-list", None, LIST, "GET", (200, 200, 200, 200, 200, 200)),
    Rule("region-list", None, CREATE, "POST", (405, 405, 405, 405, 405, 405)),
    Rule("sector-list", None, LIST, "GET", (200, 200, 200, 200, 200, 200)),
    Rule("sector-list", None, CREATE, "POST", (405, 405, 405, 405, 405, 405)),
    Rule("emerging-industry-list", None, LIST, "GET", (200, 200, 200, 200, 200, 200)),
    Rule("emerging-industry-list", None, CREATE, "POST", (405, 405, 405, 405, 405, 405)),
    Rule("ecosystem-list", None, LIST, "GET", (200, 200, 200, 200, 200, 200)),
    Rule("ecosystem-list", None, CREATE, "POST", (405, 405, 405, 405, 405, 405)),
    Rule("country-detail", "country", READ, "GET", (200, 200, 200, 200, 200, 200)),
    Rule("country-detail", "country", DELETE, "DELETE", (405, 405, 405, 405, 405, 405)),
    Rule("region-detail", "region", READ, "GET", (200, 200, 200, 200, 200, 200)),
    Rule("region-detail", "region", DELETE, "DELETE", (405, 405, 405, 405, 405, 405)),
    Rule("event-participants", "event", LIST, "GET", (403, 403, 403, 200, 200, 200)),
    Rule(
        "organisation-recommendation-list",
        "recommendations",
        LIST,
        "GET",
        (404, 404, 404, 200, 200, 200),
    ),
    Rule(
        "organisation-recommendation-list",
        "recommendations",
        CREATE,
        "POST",
        (405, 405, 405, 405, 405, 405),
    ),
    Rule(
        "organisation-recommendation-list",
        "draft_recommendations",
        LIST,
        "GET",
        (404, 404, 200, 404, 200, 200),
    ),
    Rule("sector-detail", "sector", READ, "GET", (200, 200, 200, 200, 200, 200)),
    Rule(
        "emerging-industry-detail", "emerging_industry", READ, "GET", (200, 200, 200, 200, 200, 200)
    ),
    Rule("ecosystem-detail", "ecosystem", READ, "GET", (200, 200, 200, 200, 200, 200)),
    Rule("partnership-list", None, LIST, "GET", (200, 200, 200, 200, 200, 200)),
    Rule("partnership-detail", "partnership", READ, "GET", (200, 200, 200, 200, 200, 200)),
    Rule("review-list", None, LIST, "GET", (200, 200, 200, 200, 200, 200)),
    Rule("review-detail", "review", READ, "GET", (404, 404, 404, 404, 200, 200)),
    # partnerships
    Rule("partnerships:privacy", None, READ, "GET", (200, 200, 200, 200, 200, 200)),
    Rule("partnerships:my-data", None, READ, "GET", (LOGIN, 200, 200, 200, 200, 200)),
    Rule("partnerships:my-data-export", None, UPDATE, "POST", (LOGIN, 200, 200, 200, 200, 200)),
    Rule("partnerships:email-consent", None, UPDATE, "POST", (LOGIN, 302, 302, 302, 302, 302)),
    Rule("partnerships:account-delete", None, READ, "GET", (LOGIN, 200, 200, 200, 200, 200)),
    Rule("partnerships:account-delete", None, DELETE, "POST", (LOGIN, 400, 400, 400, 400, 400)),
    # notifications: each person's own; the digest's unsubscribe link needs no session
    Rule("partnerships:notification-list", None, LIST, "GET", (LOGIN, 200, 200, 200, 200, 200)),
    Rule(
        "partnerships:notification-open",
        "notification",
        READ,
        "GET",
        (LOGIN, 404, 404, 302, 404, 404),
    ),
    Rule(
        "partnerships:notification-read-all",
        None,
        UPDATE,
        "POST",
        (LOGIN, 302, 302, 302, 302, 302),
    ),
    Rule(
        "partnerships:notification-preferences",
        None,
        READ,
        "GET",
        (LOGIN, 200, 200, 200, 200, 200),
    ),
    Rule(
        "partnerships:notification-preferences",
        None,
        UPDATE,
        "POST",
        (LOGIN, 400, 400, 400, 400, 400),
    ),
    Rule(
        "partnerships:digest-unsubscribe",
        "digest_token",
        READ,
        "GET",
        (200, 200, 200, 200, 200, 200),
    ),
    Rule(
        "partnerships:digest-unsubscribe",
        "digest_token",
        UPDATE,
        "POST",
        (200, 200, 200, 200, 200, 200),
    ),
    # messages: the two organisations' members only; writing needs an organisation of one's
    # own and a verified one to write to
    Rule("partnerships:conversation-list", None, LIST, "GET", (LOGIN, 200, 200, 200, 200, 200)),
    Rule(
        "partnerships:conversation-detail",
        "conversation",
        READ,
        "GET",
        (LOGIN, 404, 404, 200, 404, 404),
    ),
    Rule(
        "partnerships:conversation-detail",
        "conversation",
        CREATE,
        "POST",
        (LOGIN, 404, 404, 400, 404, 404),
    ),
    Rule(
        "partnerships:conversation-block",
        "conversation",
        UPDATE,
        "POST",
        (LOGIN, 404, 404, 302, 404, 404),
    ),
    Rule(
        "partnerships:message-report",
        "conversation_message",
        CREATE,
        "POST",
        (LOGIN, 404, 404, 302, 404, 404),
    ),
    Rule(
        "partnerships:message-attachment",
        "conversation_message",
        READ,
        "GET",
        (LOGIN, 404, 404, 200, 404, 404),
    ),
    Rule(
        "partnerships:conversation-start",
        "organisation",
        READ,
        "GET",
        (LOGIN, 403, 200, 403, 403, 403),
    ),
    Rule(
        "partnerships:conversation-start",
        "organisation",
        CREATE,
        "POST",
        (LOGIN, 403, 400, 403, 403, 403),
    ),
    Rule(
        "partnerships:conversation-start",
        "draft_organisation",
        READ,
        "GET",
        (LOGIN, 404, 403, 404, 403, 403),
    ),
    Rule("partnerships:call-create", None, LIST, "GET", (LOGIN, 403, 403, 403, 200, 200)),
    Rule("partnerships:call-create", None, CREATE, "POST", (LOGIN, 403, 403, 403, 400, 400)),
    Rule("partnerships:call-edit", "call", READ, "GET", (LOGIN, 403, 403, 403, 200, 200)),
    Rule("partnerships:call-edit", "call", UPDATE, "POST", (LOGIN, 403, 403, 403, 400, 400)),
    Rule(
        "partnerships:call-statistics", "review_call", READ, "GET", (200, 200, 200, 200, 200, 200)
    ),
    Rule("partnerships:partnership-list", None, LIST, "GET", (200, 200, 200, 200, 200, 200)),
    Rule(
        "partnerships:partnership-detail",
        "partnership",
        READ,
        "GET",
        (200, 200, 200, 200, 200, 200),
    ),
    Rule("partnerships:my-reviews", None, LIST, "GET", (LOGIN, 403, 403, 403, 200, 200)),
    Rule("partnerships:my-reviews", None, UPDATE, "POST", (LOGIN, 403, 403, 403, 400, 400)),
    Rule("partnerships:review-detail", "review", READ, "GET", (LOGIN, 404, 404, 404, 200, 200)),
    Rule("partnerships:review-detail", "review", UPDATE, "POST", (LOGIN, 404, 404, 404, 400, 302)),
    Rule(
        "partnerships:review-autosave", "review", UPDATE, "POST", (LOGIN, 404, 404, 404, 302, 403)
    ),
    Rule(
        "partnerships:review-overview", "review_call", READ, "GET", (LOGIN, 403, 403, 403, 200, 200)
    ),
    Rule(
        "partnerships:review-reviewer-add",
        "review_call",
        CREATE,
        "POST",
        (LOGIN, 403, 403, 403, 400, 400),
    ),
    Rule(
        "partnerships:review-reviewer-remove",
        "call_reviewer",
        DELETE,
        "POST",
        (LOGIN, 403, 403, 403, 302, 302),
    ),
    Rule(
        "partnerships:review-same-country",
        "review_call",
        UPDATE,
        "POST",
        (LOGIN, 403, 403, 403, 302, 302),
    ),
    Rule(
        "partnerships:review-unassign",
        "assignment",
        DELETE,
        "POST",
        (LOGIN, 403, 403, 403, 302, 302),
    ),
    Rule(
        "partnerships:review-auto-assign",
        "call_stage",
        CREATE,
        "POST",
        (LOGIN, 403, 403, 403, 400, 400),
    ),
    Rule(
        "partnerships:review-assign", "call_stage", CREATE, "POST", (LOGIN, 403, 403, 403, 400, 400)
    ),
    Rule(
        "partnerships:review-consensus", "consensus", READ, "GET", (LOGIN, 403, 403, 403, 403, 403)
    ),
    Rule(
        "partnerships:review-consensus",
        "consensus",
        UPDATE,
        "POST",
        (LOGIN, 403, 403, 403, 403, 403),
    ),
    Rule(
        "partnerships:review-ranking", "call_stage", READ, "GET", (LOGIN, 403, 403, 403, 403, 200)
    ),
    Rule(
        "partnerships:review-decisions", "call_stage", READ, "GET", (LOGIN, 403, 403, 403, 200, 200)
    ),
    Rule(
        "partnerships:review-decisions",
        "call_stage",
        UPDATE,
        "POST",
        (LOGIN, 403, 403, 403, 404, 404),
    ),
    Rule(
        "partnerships:review-propose",
        "call_stage",
        CREATE,
        "POST",
        (LOGIN, 403, 403, 403, 302, 302),
    ),
    Rule(
        "partnerships:review-release",
        "call_stage",
        UPDATE,
        "POST",
        (LOGIN, 403, 403, 403, 302, 302),
    ),
    Rule(
        "partnerships:review-export", "review_export", READ, "GET", (LOGIN, 403, 403, 403, 403, 200)
    ),
    Rule(
        "partnerships:review-outbox", "review_call", READ, "GET", (LOGIN, 403, 403, 403, 200, 200)
    ),
    Rule(
        "partnerships:review-outbox",
        "review_call",
        UPDATE,
        "POST",
        (LOGIN, 403, 403, 403, 302, 302),
    ),
    # matchmaking
    Rule(
        "matchmaking:expression-suggestions",
        "expression",
        READ,
        "GET",
        (LOGIN, 404, 404, 200, 200, 200),
    ),
    Rule("matchmaking:call-suggestions", "call", READ, "GET", (LOGIN, 200, 200, 200, 200, 200)),
    # events
    Rule("events:agenda-print", "event", READ, "GET", (LOGIN, 404, 200, 200, 404, 404)),
    Rule("events:suggestions", "event", READ, "GET", (LOGIN, 403, 403, 200, 403, 403)),
    Rule("events:statistics", "event", READ, "GET", (LOGIN, 403, 403, 403, 200, 200)),
    Rule("events:event-meetings", "event", READ, "GET", (LOGIN, 403, 403, 403, 200, 200)),
    Rule("events:meeting-move", "meeting", UPDATE, "POST", (LOGIN, 404, 404, 404, 302, 302)),
    Rule("events:meeting-follow-up", "meeting", READ, "GET", (404, 404, 404, 200, 404, 404)),
    Rule("events:meeting-follow-up", "meeting", UPDATE, "POST", (404, 404, 404, 400, 404, 404)),
    # partner searches (the manager's organisation wrote both; the ally answered the first)
    Rule("partnerships:partner-search-list", None, LIST, "GET", (200, 200, 200, 200, 200, 200)),
    Rule("partnerships:partner-search-create", None, LIST, "GET", (LOGIN, 200, 200, 200, 200, 200)),
    Rule(
        "partnerships:partner-search-create",
        None,
        CREATE,
        "POST",
        (LOGIN, 400, 400, 400, 400, 400),
    ),
    Rule("partnerships:partner-search-mine", None, LIST, "GET", (LOGIN, 200, 200, 200, 200, 200)),
    Rule("partnerships:partner-search-feed-rss", None, LIST, "GET", (200, 200, 200, 200, 200, 200)),
    Rule(
        "partnerships:partner-search-feed-atom", None, LIST, "GET", (200, 200, 200, 200, 200, 200)
    ),
    Rule(
        "partnerships:partner-search-detail",
        "partner_search",
        READ,
        "GET",
        (200, 200, 200, 200, 200, 200),
    ),
    Rule(
        "partnerships:partner-search-detail",
        "draft_partner_search",
        READ,
        "GET",
        (404, 404, 404, 200, 200, 200),
    ),
    Rule(
        "partnerships:partner-search-edit",
        "partner_search",
        READ,
        "GET",
        (LOGIN, 403, 403, 200, 403, 403),
    ),
    Rule(
        "partnerships:partner-search-edit",
        "partner_search",
        UPDATE,
        "POST",
        (LOGIN, 403, 403, 400, 403, 403),
    ),
    Rule(
        "partnerships:partner-search-edit",
        "draft_partner_search",
        READ,
        "GET",
        (LOGIN, 404, 404, 200, 403, 403),
    ),
    Rule(
        "partnerships:partner-search-publish",
        "draft_partner_search",
        UPDATE,
        "POST",
        (404, 404, 404, 302, 403, 403),
    ),
    Rule(
        "partnerships:partner-search-close",
        "partner_search",
        UPDATE,
        "POST",
        (LOGIN, 403, 403, 400, 403, 403),
    ),
    Rule(
        "partnerships:partner-search-interest",
        "partner_search",
        CREATE,
        "POST",
        (LOGIN, 400, 400, 403, 400, 400),
    ),
    Rule(
        "partnerships:partner-search-follow",
        "partner_search",
        UPDATE,
        "POST",
        (LOGIN, 302, 302, 302, 302, 302),
    ),
    Rule(
        "partnerships:partner-search-comment",
        "partner_search",
        CREATE,
        "POST",
        (LOGIN, 400, 400, 400, 400, 400),
    ),
    Rule(
        "partnerships:partner-search-interests",
        "partner_search",
        READ,
        "GET",
        (LOGIN, 403, 403, 200, 200, 200),
    ),
    Rule(
        "partnerships:partner-search-interests",
        "draft_partner_search",
        READ,
        "GET",
        (404, 404, 404, 200, 200, 200),
    ),
    Rule(
        "partnerships:partner-search-consortium",
        "partner_search",
        CREATE,
        "POST",
        (LOGIN, 403, 403, 400, 403, 403),
    ),
    Rule(
        "matchmaking:partner-searches-for-you",
        None,
        LIST,
        "GET",
        (LOGIN, 200, 200, 200, 200, 200),
    ),
    Rule(
        "matchmaking:partner-search-interest-reasons",
        "partner_search",
        READ,
        "GET",
        (LOGIN, 403, 403, 200, 200, 200),
    ),
    Rule("partner-search-list", None, LIST, "GET", (200, 200, 200, 200, 200, 200)),
    Rule("partner-search-list", None, CREATE, "POST", (405, 405, 405, 405, 405, 405)),
    Rule("partner-search-detail", "partner_search", READ, "GET", (200, 200, 200, 200, 200, 200)),
    Rule(
        "partner-search-detail",
        "draft_partner_search",
        READ,
        "GET",
        (404, 404, 404, 404, 404, 404),
    ),
]
