"""Create the brief's calls for partnerships with their stages and criteria; safe to run again.

Deadlines are set relative to the day of seeding (Brussels time), so the demo always has calls
a manager can answer. The figures are the brief's: INNOSUP-1-2015 is a two-stage call of
EUR 24.9 m funded at 70%.
"""

import datetime as dt
from decimal import Decimal

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from partnerships import services
from partnerships.enums import CallState, CallType, OrganisationType
from partnerships.models import Call, EmergingIndustry, PolicyObjective

ALL_CLUSTER_TYPES = [
    OrganisationType.CLUSTER,
    OrganisationType.BUSINESS_NETWORK,
    OrganisationType.TECHNOLOGY_CENTRE,
    OrganisationType.SCIENCE_PARK,
]

CALLS = [
    {
        "reference": "escp-s3",
        "type": CallType.ESCP_S3,
        "title": (
            "Towards European Strategic Cluster Partnerships for smart specialisation investments"
        ),
        "title_fr": (
            "Vers des partenariats stratégiques européens de clusters pour les investissements "
            "de spécialisation intelligente"
        ),
        "title_de": (
            "Auf dem Weg zu Europäischen Strategischen Clusterpartnerschaften für Investitionen "
            "in intelligente Spezialisierung"
        ),
        "description": (
            "Open call for expression of interest addressed to cluster organisations, other "
            "business network organisations, technology centres and science parks. Partnerships "
            "move through a Preparatory phase (partnership building, joint strategy, "
            "implementation roadmap), an Implementation phase (matchmaking, joint activities, "
            "demonstration projects, pilots, bankable proposals) and an Investment phase "
            "(additional private and public financing, acceleration support, showcasing results)."
        ),
        "eligible_types": ALL_CLUSTER_TYPES,
        "min_partners": 2,
        "min_countries": 3,
        "verified_required": True,
        "label_required": False,
        "budget": Decimal(0),
        "funding_rate": Decimal(0),
        "stage_days": [90],
        "policy_objectives": [
            "advanced-manufacturing",
            "digital-transformation",
            "green-transition",
        ],
        "emerging_industries": [],
        "criteria": [
            ("Relevance to smart specialisation strategies", 1, 3, 1),
            ("Quality of the partnership and its roadmap", 1, 3, 1),
            ("Expected investment impact", 1, 3, 1),
        ],
    },
    {
        "reference": "escp-4i",
        "type": CallType.ESCP_4I,
        "title": "European Strategic Cluster Partnerships - Going International",
        "title_fr": "Partenariats stratégiques européens de clusters - Going International",
        "title_de": "Europäische Strategische Clusterpartnerschaften - Going International",
        "description": (
            "Partnerships of cluster organisations that develop a joint internationalisation "
            "strategy towards markets beyond Europe. Selected partnerships are funded or "
            "labelled only."
        ),
        "eligible_types": [OrganisationType.CLUSTER, OrganisationType.BUSINESS_NETWORK],
        "min_partners": 2,
        "min_countries": 3,
        "verified_required": True,
        "label_required": True,
        "budget": Decimal(0),
        "funding_rate": Decimal(100),
        "stage_days": [60],
        "policy_objectives": [],
        "emerging_industries": ["mobility-technologies", "digital-industries"],
        "criteria": [
            ("Relevance of the internationalisation strategy", 1, 3, 1),
            ("Quality of the consortium", 1, 3, 1),
            ("Impact on the SMEs of the clusters", 1.5, 3, 1),
        ],
    },
    {
        "reference": "innosup-1-2015",
        "type": CallType.TWO_STAGE,
        "title": "INNOSUP-1-2015: Cluster facilitated projects for new industrial value chains",
        "title_fr": (
            "INNOSUP-1-2015 : projets portés par des clusters pour de nouvelles chaînes de valeur "
            "industrielles"
        ),
        "title_de": (
            "INNOSUP-1-2015: Von Clustern getragene Projekte für neue industrielle "
            "Wertschöpfungsketten"
        ),
        "description": (
            "Two-stage innovation action: a short proposal first, then a full proposal from the "
            "consortia invited after stage 1. Experts score each criterion from 0 to 5."
        ),
        "eligible_types": [OrganisationType.CLUSTER, OrganisationType.BUSINESS_NETWORK],
        "min_partners": 2,
        "min_countries": 3,
        "verified_required": True,
        "label_required": False,
        "budget": Decimal("24900000"),
        "funding_rate": Decimal(70),
        "stage_days": [45, 150],
        "policy_objectives": ["advanced-manufacturing"],
        "emerging_industries": ["advanced-packaging", "environmental-industries"],
        "criteria": [
            ("Excellence", 1, 3, 1),
            ("Impact", 1.5, 3, 1),
            ("Excellence", 1, 3, 2),
            ("Impact", 1.5, 3, 2),
            ("Quality and efficiency of the implementation", 1, 3, 2),
        ],
    },
]


def deadline_in(days):
    """A deadline at 17:00 Brussels time, `days` from today."""
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(17, 0)))


class Command(BaseCommand):
    help = "Create the demo calls for partnerships (ESCP-S3, ESCP-4i, INNOSUP-1-2015)."

    @transaction.atomic
    def handle(self, *args, **options):
        created = 0
        for spec in CALLS:
            if Call.objects.filter(reference=spec["reference"]).exists():
                continue
            call = services.create_call(
                by=None,
                reference=spec["reference"],
                type=spec["type"],
                title=spec["title"],
                title_fr=spec["title_fr"],
                title_de=spec["title_de"],
                description=spec["description"],
                eligible_types=[str(value) for value in spec["eligible_types"]],
                min_partners=spec["min_partners"],
                min_countries=spec["min_countries"],
                verified_required=spec["verified_required"],
                label_required=spec["label_required"],
                budget=spec["budget"],
                funding_rate=spec["funding_rate"],
                policy_objectives=PolicyObjective.objects.filter(
                    slug__in=spec["policy_objectives"]
                ),
                emerging_industries=EmergingIndustry.objects.filter(
                    slug__in=spec["emerging_industries"]
                ),
                stages=[
                    {"number": number, "deadline": deadline_in(days)}
                    for number, days in enumerate(spec["stage_days"], start=1)
                ],
                criteria=[
                    {
                        "name": name,
                        "weight": Decimal(str(weight)),
                        "pass_mark": pass_mark,
                        "stage": stage,
                        "order": order,
                    }
                    for order, (name, weight, pass_mark, stage) in enumerate(spec["criteria"])
                ],
            )
            services.change_call_state(call, to=CallState.OPEN, by=None)
            created += 1
        self.stdout.write(
            self.style.SUCCESS(f"Calls: {created} created, {len(CALLS) - created} already there.")
        )
