"""Create the demo logins, one per kind of person the portal serves; safe to run again."""

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partnerships import services
from partnerships.enums import MembershipRole, ValidationState
from partnerships.models import Organisation, OrganisationMembership, PlantedPartnership, User

STAFF_GROUP = "Commission staff"


@dataclass(frozen=True)
class DemoLogin:
    """A demo login: well known on purpose and printed on screen, never for real data."""

    key: str
    email: str
    password: str
    full_name: str
    role_label: str
    # What to try as this person, on the line set-up prints; {organisation} is theirs.
    try_this: str = ""


ADMIN = DemoLogin(
    "admin",
    "admin@clusterportal.example",
    "demo-admin-2016",
    "Ada Admin",
    gettext_lazy("Administrator (superuser)"),
    gettext_lazy("the back office at /admin/: every record and the audit log"),
)
STAFF = DemoLogin(
    "staff",
    "staff@clusterportal.example",
    "demo-staff-2016",
    "Sven Staff",
    gettext_lazy("Commission staff (also a reviewer)"),
    gettext_lazy(
        "Calls > smart specialisation (2026 round) > Review: assignments, ranking, "
        "decisions, outbox; validation queue at /staff/validation/"
    ),
)
REVIEWER = DemoLogin(
    "reviewer",
    "reviewer@clusterportal.example",
    "demo-reviewer-2016",
    "Rita Reviewer",
    gettext_lazy("Commission staff reviewer"),
    gettext_lazy("My reviews at /reviews/: finish the open score sheets, then read the others'"),
)
MODERATOR = DemoLogin(
    "moderator",
    "moderator@clusterportal.example",
    "demo-moderator-2016",
    "Moritz Moderator",
    gettext_lazy("Review moderator (staff)"),
    gettext_lazy(
        "My reviews > the 2026 round's ranking: write the consensus where all reviews are in"
    ),
)
MANAGER = DemoLogin(
    "manager",
    "manager@clusterportal.example",
    "demo-manager-2016",
    "Marta Manager",
    gettext_lazy("Cluster manager (owner)"),
    gettext_lazy(
        "dashboard: recommended partners of {organisation}; answer an open call from Calls"
    ),
)
PARTNER = DemoLogin(
    "partner",
    "partner@clusterportal.example",
    "demo-partner-2016",
    "Pavel Partner",
    gettext_lazy("Event partner (editor)"),
    gettext_lazy("Events: register {organisation} for an upcoming event, ask for meetings"),
)
ORGANISER = DemoLogin(
    "organiser",
    "organiser@clusterportal.example",
    "demo-organiser-2016",
    "Olga Organiser",
    gettext_lazy("Event organiser"),
    gettext_lazy("Events > Cluster matchmaking days: approve registrations, schedule the meetings"),
)
DEMO_LOGINS = (ADMIN, STAFF, REVIEWER, MODERATOR, MANAGER, PARTNER, ORGANISER)


def _user(login, *, is_staff=False, is_superuser=False):
    user = _account(login, is_staff=is_staff, is_superuser=is_superuser)
    # Sign-in requires a verified address; nobody reads a demo login's inbox.
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    return user


def _account(login, *, is_staff, is_superuser):
    user = User.objects.filter(email__iexact=login.email).first()
    if user is None:
        return User.objects.create_user(
            login.email,
            login.password,
            full_name=login.full_name,
            is_staff=is_staff,
            is_superuser=is_superuser,
        )
    changed = not user.check_password(login.password)
    if changed:
        user.set_password(login.password)
    for name, value in (
        ("is_staff", is_staff),
        ("is_superuser", is_superuser),
        ("is_active", True),
    ):
        if getattr(user, name) != value:
            setattr(user, name, value)
            changed = True
    if changed:
        user.save()
    return user


def staff_group():
    """The group that lets Commission staff work in the Django admin without being superusers."""
    group, _created = Group.objects.get_or_create(name=STAFF_GROUP)
    group.permissions.set(Permission.objects.filter(content_type__app_label="partnerships"))
    return group


def _demo_organisations():
    """Two verified organisations, partners in one planted partnership when there is one."""
    verified = Organisation.objects.filter(validation_state=ValidationState.VERIFIED)
    for partnership in PlantedPartnership.objects.order_by("id"):
        members = list(partnership.organisations.filter(pk__in=verified).order_by("id")[:2])
        if len(members) == 2:
            return members
    members = list(verified.order_by("id")[:2])
    if len(members) < 2:
        raise CommandError(_("Two verified organisations are needed: run seed_demo first."))
    return members


def _organisation_of(user, role):
    membership = (
        OrganisationMembership.objects.filter(user=user, role=role)
        .select_related("organisation")
        .order_by("id")
        .first()
    )
    return membership.organisation if membership else None


@transaction.atomic
def create_demo_users():
    """Create (or repair) the demo logins; return (login, user, organisation) for each."""
    admin = _user(ADMIN, is_staff=True, is_superuser=True)
    staff = _user(STAFF, is_staff=True)
    staff.groups.add(staff_group())
    reviewer = _user(REVIEWER, is_staff=True)
    moderator = _user(MODERATOR, is_staff=True)
    manager = _user(MANAGER)
    partner = _user(PARTNER)
    organiser = _user(ORGANISER)

    owned = _organisation_of(manager, MembershipRole.OWNER)
    edited = _organisation_of(partner, MembershipRole.EDITOR)
    if owned is None or edited is None:
        first, second = _demo_organisations()
        owned = owned or first
        edited = edited or (second if second != owned else first)
        if not OrganisationMembership.objects.filter(user=manager, organisation=owned).exists():
            services.add_member(owned, user=manager, role=MembershipRole.OWNER, by=admin)
        if not OrganisationMembership.objects.filter(user=partner, organisation=edited).exists():
            services.add_member(edited, user=partner, role=MembershipRole.EDITOR, by=admin)
    return [
        (ADMIN, admin, None),
        (STAFF, staff, None),
        (REVIEWER, reviewer, None),
        (MODERATOR, moderator, None),
        (MANAGER, manager, owned),
        (PARTNER, partner, edited),
        (ORGANISER, organiser, None),
    ]


class Command(BaseCommand):
    help = _(
        "Create the demo logins (administrator, Commission staff, reviewer, moderator, cluster "
        "manager, event partner, event organiser) and print them, one line each with what to "
        "try as that person. Safe to run again."
    )

    def handle(self, *args, **options):
        rows = [
            (
                str(login.role_label),
                login.email,
                login.password,
                str(login.try_this).format(organisation=organisation or "—"),
            )
            for login, _user_, organisation in create_demo_users()
        ]
        if options["verbosity"] == 0:
            return
        headers = (_("Role"), _("E-mail"), _("Password"), _("What to try"))
        widths = [max(len(row[i]) for row in [headers, *rows]) + 2 for i in range(3)]
        for row in [headers, *rows]:
            self.stdout.write("".join(f"{row[i]:<{widths[i]}}" for i in range(3)) + row[3])
        self.stdout.write(
            self.style.WARNING(
                _("These are demo logins with public passwords; never use them live.")
            )
        )
