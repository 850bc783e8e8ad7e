"""Demo matchmaking events: the 2016 events of the brief and a handful of upcoming ones.

Safe to run again: events are found by title and first day, registrations by person.
"""

import datetime as dt
import zoneinfo
from dataclasses import dataclass, field, replace

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from events import services
from events.enums import EventType, MeetingOutcome, MeetingState, RegistrationState
from events.models import (
    Event,
    Meeting,
    MeetingRating,
    MeetingSeat,
    MeetingWindow,
    Registration,
)
from partnerships.enums import MembershipRole, ValidationState
from partnerships.management.commands.create_demo_users import ORGANISER
from partnerships.models import (
    Country,
    EmergingIndustry,
    Organisation,
    OrganisationMembership,
    SectoralIndustry,
    User,
)
from partnerships.services import add_member


@dataclass(frozen=True)
class DemoEvent:
    title: str
    type: str
    starts_on: dt.date
    ends_on: dt.date
    city: str
    venue: str
    country: str | None
    time_zone: str
    description: str
    sectors: tuple = ()
    emerging: tuple = ()
    # (day offset from the first day, start hour, end hour); empty: 9-12 and 14-17 each day
    windows: tuple = ()
    requires_approval: bool = False
    online_url: str = ""
    extra: dict = field(default_factory=dict)


def every_day(spec):
    """Meetings in the morning and the afternoon of every day of the event."""
    days = (spec.ends_on - spec.starts_on).days + 1
    return tuple(window for day in range(days) for window in ((day, 9, 12), (day, 14, 17)))


D = dt.date
EVENTS = (
    DemoEvent(
        "Hannover Messe 2016: cluster delegation",
        EventType.TRADE_FAIR,
        D(2016, 4, 25),
        D(2016, 4, 29),
        "Hannover",
        "Hannover Exhibition Grounds",
        "DE",
        "Europe/Berlin",
        "A European cluster delegation to the world's leading industrial fair.",
        ("production-technology-heavy-machinery", "automotive"),
        ("digital-industries",),
    ),
    DemoEvent(
        "Computex Taiwan 2016: cluster delegation",
        EventType.TRADE_FAIR,
        D(2016, 5, 31),
        D(2016, 6, 4),
        "Taipei",
        "Taipei Nangang Exhibition Center",
        "TW",
        "Asia/Taipei",
        "European ICT clusters meet Taiwanese hardware makers.",
        ("communications-equipment-services", "information-technology-analytical-instruments"),
        ("digital-industries",),
    ),
    DemoEvent(
        "Mexico City Green Expo 2016: cluster delegation",
        EventType.TRADE_FAIR,
        D(2016, 9, 27),
        D(2016, 9, 29),
        "Mexico City",
        "World Trade Center Mexico City",
        "MX",
        "America/Mexico_City",
        "Environmental-technology clusters meet Mexican buyers and agencies.",
        ("environmental-services", "electric-power-generation-transmission"),
        ("environmental-industries",),
    ),
    DemoEvent(
        "Pollutec Lyon 2016: Brazilian and European clusters",
        EventType.TRADE_FAIR,
        D(2016, 11, 29),
        D(2016, 12, 2),
        "Lyon",
        "Eurexpo Lyon",
        "FR",
        "Europe/Paris",
        "B2B meetings between clusters from Brazil and the EU on water, waste and air quality.",
        ("environmental-services",),
        ("environmental-industries",),
    ),
    DemoEvent(
        "European Cluster Conference 2016: matchmaking pre-event",
        EventType.CONFERENCE,
        D(2016, 11, 30),
        D(2016, 12, 2),
        "Brussels",
        "The Square, Brussels Meeting Centre",
        "BE",
        "Europe/Brussels",
        "Matchmaking on the eve of the European Cluster Conference (30 November to 2 December "
        "2016), then meetings during the conference.",
        ("business-services",),
        ("digital-industries", "mobility-technologies"),
        windows=((0, 14, 18), (1, 9, 12)),
        requires_approval=True,
    ),
    DemoEvent(
        "European Week of Regions and Cities 2016: Open Days cluster workshops",
        EventType.CONFERENCE,
        D(2016, 10, 10),
        D(2016, 10, 13),
        "Brussels",
        "Committee of the Regions",
        "BE",
        "Europe/Brussels",
        "Workshops on cluster internationalisation with short partner meetings in between.",
        ("business-services", "education-knowledge-creation"),
        (),
    ),
    DemoEvent(
        "Hannover Messe 2027: cluster delegation",
        EventType.TRADE_FAIR,
        D(2027, 4, 12),
        D(2027, 4, 16),
        "Hannover",
        "Hannover Exhibition Grounds",
        "DE",
        "Europe/Berlin",
        "Industrial automation and energy clusters at Hannover Messe.",
        ("production-technology-heavy-machinery",),
        ("digital-industries",),
    ),
    DemoEvent(
        "European Cluster Conference 2026: matchmaking",
        EventType.CONFERENCE,
        D(2026, 12, 9),
        D(2026, 12, 11),
        "Brussels",
        "The Square, Brussels Meeting Centre",
        "BE",
        "Europe/Brussels",
        "B2B meetings for cluster managers during the European Cluster Conference.",
        ("business-services",),
        ("digital-industries", "environmental-industries"),
        requires_approval=True,
    ),
    DemoEvent(
        "Online matchmaking: blue growth clusters",
        EventType.ONLINE,
        D(2027, 2, 17),
        D(2027, 2, 17),
        "",
        "",
        None,
        "Europe/Lisbon",
        "Video meetings between maritime and blue-economy clusters.",
        ("water-transportation", "fishing-fishing-products"),
        ("blue-growth-industries",),
        windows=((0, 10, 13),),
        online_url="https://meet.example.eu/blue-growth",
    ),
    DemoEvent(
        "Pollutec Lyon 2026: clusters for the circular economy",
        EventType.TRADE_FAIR,
        D(2026, 12, 1),
        D(2026, 12, 4),
        "Lyon",
        "Eurexpo Lyon",
        "FR",
        "Europe/Paris",
        "Circular-economy and water clusters from Europe and Latin America.",
        ("environmental-services",),
        ("environmental-industries",),
    ),
    DemoEvent(
        "Mobility clusters matchmaking Turin 2027",
        EventType.CONFERENCE,
        D(2027, 5, 11),
        D(2027, 5, 12),
        "Turin",
        "Lingotto Conference Centre",
        "IT",
        "Europe/Rome",
        "Automotive and mobility clusters meet on batteries and software-defined vehicles.",
        ("automotive",),
        ("mobility-technologies",),
    ),
)


# French and German titles of the events still to come, as their organisers would give them.
TRANSLATED_TITLES = {
    "Hannover Messe 2027: cluster delegation": (
        "Hannover Messe 2027 : délégation de clusters",
        "Hannover Messe 2027: Cluster-Delegation",
    ),
    "European Cluster Conference 2026: matchmaking": (
        "Conférence européenne des clusters 2026 : rencontres d'affaires",
        "Europäische Clusterkonferenz 2026: Matchmaking",
    ),
    "Online matchmaking: blue growth clusters": (
        "Rencontres en ligne : clusters de la croissance bleue",
        "Online-Matchmaking: Cluster des blauen Wachstums",
    ),
    "Pollutec Lyon 2026: clusters for the circular economy": (
        "Pollutec Lyon 2026 : clusters pour l'économie circulaire",
        "Pollutec Lyon 2026: Cluster für die Kreislaufwirtschaft",
    ),
    "Mobility clusters matchmaking Turin 2027": (
        "Rencontres des clusters de la mobilité, Turin 2027",
        "Matchmaking der Mobilitätscluster, Turin 2027",
    ),
    "Cluster matchmaking days: smart specialisation partners": (
        "Journées de rencontres des clusters : partenaires de la spécialisation intelligente",
        "Cluster-Matchmaking-Tage: Partner für intelligente Spezialisierung",
    ),
}


def _organiser():
    organiser = User.objects.filter(is_staff=True, is_active=True).order_by("id").first()
    if organiser is None:
        raise CommandError(_("A staff user is needed as organiser: run create_demo_users first."))
    return organiser


# Demo delegates with no password (they cannot sign in), so that the demo logins meet people.
DELEGATE_NAMES = (
    "Ana Ribeiro",
    "Jonas Becker",
    "Marta Kowalska",
    "Luca Bianchi",
    "Sofia Lindqvist",
    "Pieter de Vries",
    "Elena Popescu",
    "Tomás García",
    "Aoife Byrne",
    "Nikos Papadakis",
)


def _delegates(organiser):
    """One delegate for each of the first verified organisations of different countries."""
    by_country = {}
    for organisation in Organisation.objects.filter(
        validation_state=ValidationState.VERIFIED
    ).order_by("country_id", "pk"):
        by_country.setdefault(organisation.country_id, organisation)
    for number, (name, organisation) in enumerate(
        zip(DELEGATE_NAMES, by_country.values(), strict=False), start=1
    ):
        email = f"delegate{number:02d}@clusterportal.example"
        if not User.objects.filter(email=email).exists():
            user = User.objects.create_user(email, None, full_name=name)
            add_member(organisation, user=user, role=MembershipRole.EDITOR, by=organiser)


def _representatives(limit=12):
    """Members of verified organisations, one membership each, demo logins first."""
    memberships = (
        OrganisationMembership.objects.filter(
            organisation__validation_state=ValidationState.VERIFIED, user__is_active=True
        )
        .select_related("user", "organisation")
        .order_by("user__email")
    )
    chosen = {}
    for membership in memberships:
        chosen.setdefault(membership.user_id, membership)
    demo_first = sorted(
        chosen.values(), key=lambda m: (not m.user.email.endswith("@clusterportal.example"), m.pk)
    )
    return demo_first[:limit]


def _event(spec, organiser):
    event, created = Event.objects.get_or_create(
        title=spec.title,
        starts_on=spec.starts_on,
        defaults={
            "type": spec.type,
            "ends_on": spec.ends_on,
            "city": spec.city,
            "venue": spec.venue,
            "country": Country.objects.filter(code=spec.country).first() if spec.country else None,
            "time_zone": spec.time_zone,
            "description": spec.description,
            **dict(
                zip(
                    ("title_fr", "title_de"),
                    TRANSLATED_TITLES.get(spec.title, ("", "")),
                    strict=True,
                )
            ),
            "organiser": organiser,
            "requires_approval": spec.requires_approval,
            "online_url": spec.online_url,
            # A minute before midnight where the event takes place, as its organiser means it.
            "registration_closes": dt.datetime.combine(
                spec.starts_on - dt.timedelta(days=3),
                dt.time(23, 59),
                tzinfo=zoneinfo.ZoneInfo(spec.time_zone),
            ),
            "capacity": 200,
            "tables": 30,
        },
    )
    if not created and event.country_id is None and spec.country:
        # Demo databases seeded before the country was in the reference data catch up.
        event.country = Country.objects.filter(code=spec.country).first()
        if event.country is not None:
            event.save(update_fields=["country"])
    if created:
        event.sectoral_industries.set(SectoralIndustry.objects.filter(slug__in=spec.sectors))
        event.emerging_industries.set(EmergingIndustry.objects.filter(slug__in=spec.emerging))
        for offset, start, end in spec.windows or every_day(spec):
            MeetingWindow.objects.create(
                event=event,
                day=spec.starts_on + dt.timedelta(days=offset),
                start=dt.time(start),
                end=dt.time(end),
            )
        services.generate_slots(event, by=organiser)
    return event, created


def _register_all(event, representatives):
    for membership in representatives:
        if event.registrations.filter(user=membership.user).exists():
            continue
        if event.registration_is_open():
            services.register(event, user=membership.user, organisation=membership.organisation)
        else:
            # History: the 2016 events closed long ago, so their participants are written as
            # the organiser approved them then, not pushed through today's registration window.
            Registration.objects.create(
                event=event,
                user=membership.user,
                organisation=membership.organisation,
                state=RegistrationState.APPROVED,
                decided_at=timezone.now(),
            )


def _demo_meeting(event):
    """One accepted, booked meeting between the first two participants of an open event."""
    participants = list(event.registrations.filter(state=RegistrationState.APPROVED)[:2])
    if len(participants) < 2 or event.meetings.exists():
        return
    first, second = participants
    meeting = services.request_meeting(
        event,
        by=first.user,
        recipient=second,
        message=_("We look for partners for a joint project on this event's theme."),
    )
    if meeting.state == MeetingState.REQUESTED:
        services.answer_meeting(meeting, accept=True, by=second.user)
    slot = event.slots.order_by("starts_at").first()
    if slot is not None:
        services.book_slot(Meeting.objects.get(pk=meeting.pk), slot=slot, by=first.user)


# (first participant, second participant, slot index, table, outcome, stars of each side)
HISTORY_MEETINGS = (
    (0, 1, 0, 1, MeetingOutcome.AGREEMENT, (5, 4)),
    (2, 3, 0, 2, MeetingOutcome.NEGOTIATION, (4, 4)),
    (0, 3, 1, 1, MeetingOutcome.NONE, (3, None)),
    (1, 2, 1, 2, MeetingOutcome.NONE, (None, None)),
)


def _history_meetings(event):
    """Held meetings of a past event, with ratings and outcomes, as they were recorded then."""
    people = []
    for registration in event.registrations.filter(state=RegistrationState.APPROVED).order_by("pk"):
        if registration.organisation_id not in {p.organisation_id for p in people}:
            people.append(registration)
    slots = list(event.slots.order_by("starts_at")[:2])
    if len(people) < 4 or len(slots) < 2 or event.meetings.exists():
        return
    for first, second, slot_index, table, outcome, stars in HISTORY_MEETINGS:
        requester, recipient, slot = people[first], people[second], slots[slot_index]
        meeting = Meeting.objects.create(
            event=event,
            requester=requester,
            recipient=recipient,
            message=_("We look for partners for a joint project on this event's theme."),
            state=MeetingState.ACCEPTED,
            responded_at=slot.starts_at,
            slot=slot,
            table=table,
            outcome=outcome,
            outcome_at=slot.ends_at if outcome != MeetingOutcome.NONE else None,
        )
        MeetingSeat.objects.bulk_create(
            [
                MeetingSeat(event=event, slot=slot, participant=side, meeting=meeting)
                for side in (requester, recipient)
            ]
        )
        MeetingRating.objects.bulk_create(
            [
                MeetingRating(meeting=meeting, by=side, stars=given)
                for side, given in zip((requester, recipient), stars, strict=True)
                if given is not None
            ]
        )


# The demo organiser's own event: three weeks ahead of the day of seeding, whatever the day.
ORGANISER_EVENT = DemoEvent(
    "Cluster matchmaking days: smart specialisation partners",
    EventType.CONFERENCE,
    D(2000, 1, 1),
    D(2000, 1, 2),
    "Brussels",
    "Square Brussels Meeting Centre",
    "BE",
    "Europe/Brussels",
    "Two days of B2B meetings for clusters that prepare joint smart specialisation "
    "investments. The organiser approves each registration, then schedules the meetings.",
    ("business-services",),
    ("digital-industries",),
    requires_approval=True,
)
ORGANISER_EVENT_WEEKS_AHEAD = 3
# Registrations the demo organiser still has to decide on.
ORGANISER_PENDING = 2


def _organiser_event(representatives):
    """The demo organiser's upcoming event: most registrations approved, two pending, and
    accepted meetings waiting for the scheduler. None when there is no demo organiser."""
    organiser = User.objects.filter(email=ORGANISER.email).first()
    if (
        organiser is None
        or Event.objects.filter(title=ORGANISER_EVENT.title, organiser=organiser).exists()
    ):
        return None
    first_day = timezone.localdate() + dt.timedelta(weeks=ORGANISER_EVENT_WEEKS_AHEAD)
    spec = replace(ORGANISER_EVENT, starts_on=first_day, ends_on=first_day + dt.timedelta(days=1))
    event, _created = _event(spec, organiser)
    registrations = [
        services.register(event, user=m.user, organisation=m.organisation) for m in representatives
    ]
    approved = registrations[: len(registrations) - ORGANISER_PENDING]
    for registration in approved:
        services.decide_registration(registration, approve=True, by=organiser)
    for requester, recipient in zip(approved, approved[1:] + approved[:1], strict=True):
        try:
            meeting = services.request_meeting(
                event,
                by=requester.user,
                recipient=recipient,
                message=_("We look for partners for a joint project on this event's theme."),
            )
        except ValidationError:
            # Two representatives of one organisation may not meet here: skip the pair.
            continue
        if meeting.state == MeetingState.REQUESTED:
            services.answer_meeting(meeting, accept=True, by=recipient.user)
    return event


class Command(BaseCommand):
    help = "Create the demo matchmaking events with registrations; safe to run again."

    def handle(self, *args, **options):
        organiser = _organiser()
        with transaction.atomic():
            _delegates(organiser)
        representatives = _representatives()
        created_count = 0
        with transaction.atomic():
            for spec in EVENTS:
                event, created = _event(spec, organiser)
                created_count += created
                _register_all(event, representatives)
                if event.is_past:
                    _history_meetings(event)
                elif not event.requires_approval:
                    _demo_meeting(event)
            created_count += _organiser_event(representatives) is not None
        self.stdout.write(
            _("%(created)s events created, %(total)s demo events in all, %(people)s participants.")
            % {
                "created": created_count,
                "total": len(EVENTS) + Event.objects.filter(title=ORGANISER_EVENT.title).count(),
                "people": len(representatives),
            }
        )
