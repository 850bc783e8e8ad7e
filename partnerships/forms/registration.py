"""The organisation profile in steps: each step is a form of its own over some of the fields.

A step saves only its own fields to the draft, so a later step never clears what an earlier
one holds, and each step is validated on its own. Only the first step can create a draft: it
holds the name, country and region every draft needs.
"""

import functools
from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from partnerships.models import Organisation, S3Priority

from .organisation import OrganisationForm

# Long lists of checkboxes get a filter box (static/js/choice_filter.js).
FILTERED_CHOICES = forms.CheckboxSelectMultiple(attrs={"class": "choice-list choice-list--filter"})
CHOICES = forms.CheckboxSelectMultiple(attrs={"class": "choice-list"})


@dataclass(frozen=True)
class Step:
    slug: str
    title: str
    fields: tuple = ()
    # The members step also holds the optional label, a form of its own.
    label: bool = False


STEPS = (
    Step(
        "organisation",
        _("Organisation and region"),
        (
            "name",
            "acronym",
            "type",
            "year_established",
            "website",
            "logo",
            "country",
            "region",
            "city",
            "s3_priorities",
        ),
    ),
    Step(
        "sectors",
        _("Sectors and industries"),
        (
            "sectoral_industries",
            "emerging_industries",
            "ecosystems",
            "seeking_sectors",
            "seeking_emerging",
            "seeking_ecosystems",
        ),
    ),
    Step(
        "value-chain",
        _("Value chain and S3"),
        ("value_chain_positions", "seeking_value_chain", "policy_objectives"),
    ),
    Step(
        "members",
        _("Members and label"),
        (
            "members_smes",
            "members_large",
            "members_research",
            "members_public",
            "members_civil",
            "member_employees",
            "staff_fte",
            "recognised_programme",
            "description",
            "keywords",
            "target_countries",
            "contact_email",
        ),
        label=True,
    ),
    Step("review", _("Review and submit")),
)
STEP_BY_SLUG = {step.slug: step for step in STEPS}
REVIEW = STEPS[-1]
# The step that shows a field, for pointing a submission's errors at the page to fix them.
STEP_OF_FIELD = {name: step for step in STEPS for name in step.fields}
WIDGETS = {
    "sectoral_industries": FILTERED_CHOICES,
    "seeking_sectors": FILTERED_CHOICES,
    "target_countries": FILTERED_CHOICES,
    "emerging_industries": CHOICES,
    "ecosystems": CHOICES,
    "seeking_emerging": CHOICES,
    "seeking_ecosystems": CHOICES,
    "value_chain_positions": CHOICES,
    "seeking_value_chain": CHOICES,
    "policy_objectives": CHOICES,
    "s3_priorities": CHOICES,
}


def step_index(step):
    return STEPS.index(step)


def neighbour(step, offset):
    """The step `offset` places away, or `step` itself at either end."""
    position = step_index(step) + offset
    return STEPS[position] if 0 <= position < len(STEPS) else step


class OrganisationStepForm(OrganisationForm):
    """One step of the profile; ticked S3 priorities of a region no longer chosen are dropped
    rather than refused, so changing the region never costs the rest of the step."""

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and "s3_priorities" in self.base_fields:
            data = data.copy()
            data.setlist(
                "s3_priorities",
                [str(pk) for pk in applicable_priorities(data.get("region"), data)],
            )
        super().__init__(data, *args, **kwargs)


def applicable_priorities(region, data):
    """The ticked S3 priorities in `data` that belong to `region`."""
    ticked = [value for value in data.getlist("s3_priorities") if value.isdigit()]
    if not region or not ticked:
        return []
    return list(
        S3Priority.objects.filter(region_id=region, pk__in=ticked).values_list("pk", flat=True)
    )


@functools.cache
def step_form(slug):
    """The form class of the step `slug`, over that step's fields only."""
    step = STEP_BY_SLUG[slug]
    return forms.modelform_factory(
        Organisation,
        form=OrganisationStepForm,
        fields=step.fields,
        widgets={name: WIDGETS[name] for name in step.fields if name in WIDGETS},
    )
