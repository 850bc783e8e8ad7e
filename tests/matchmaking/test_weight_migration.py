import importlib

import pytest
from django.apps import apps as django_apps

from matchmaking.enums import DEFAULT_WEIGHT_PROFILES
from matchmaking.models import WEIGHT_FIELDS, WeightProfile

themes_lead = importlib.import_module("matchmaking.migrations.0007_themes_lead")
seeking_s3 = importlib.import_module("matchmaking.migrations.0009_default_weights_seeking_s3")


def test_shipped_profiles_after_the_migrations_are_the_enum_defaults():
    shipped = {slug: after for slug, (_before, after) in themes_lead.SHIPPED.items()}
    assert shipped["default"] == seeking_s3.BEFORE
    shipped["default"] = seeking_s3.AFTER
    assert shipped == {slug: dict(weights) for slug, weights in DEFAULT_WEIGHT_PROFILES.items()}


@pytest.mark.django_db
def test_new_default_weights_reach_an_unedited_default_profile_only():
    WeightProfile.objects.filter(slug="default").delete()
    unedited = WeightProfile.objects.create(slug="default", name="Default", **seeking_s3.BEFORE)
    edited_weights = seeking_s3.BEFORE | {"text": 0.4}
    edited = WeightProfile.objects.create(slug="edited", name="Edited", **edited_weights)

    seeking_s3.forwards(django_apps, None)
    unedited.refresh_from_db()
    assert unedited.weights == seeking_s3.AFTER

    WeightProfile.objects.filter(pk=unedited.pk).update(text=0.3)
    seeking_s3.forwards(django_apps, None)
    unedited.refresh_from_db()
    edited.refresh_from_db()
    assert unedited.weights == seeking_s3.AFTER | {"text": 0.3}
    assert edited.weights == edited_weights

    WeightProfile.objects.filter(pk=unedited.pk).update(text=0.10)
    seeking_s3.backwards(django_apps, None)
    unedited.refresh_from_db()
    assert unedited.weights == seeking_s3.BEFORE


def test_an_edited_profile_keeps_its_thematic_ratios_and_its_geography_is_bounded():
    edited = {
        "cross_sector": 0.2,
        "shared_focus": 0.1,
        "value_chain": 0.1,
        "s3_objectives": 0.0,
        "text": 0.1,
        "international": 0.6,
        "partner_interest": 0.3,
        "shared_markets": 0.1,
        "strength": 0.0,
        "duplicate": 0.3,
    }

    mapped = themes_lead.mapped(edited)

    assert set(mapped) == set(WEIGHT_FIELDS)
    assert {name: mapped[name] for name in themes_lead.THEMATIC} == {
        name: edited[name] for name in themes_lead.THEMATIC
    }
    assert mapped["seeking"] == pytest.approx(0.1)
    # 0.6 / 0.5 + 0.3 / 0.5 + 0.1 / 0.5 = 2.0, scaled down to a factor of at most 2.
    assert [mapped[name] for name in themes_lead.MODULATORS] == pytest.approx([0.6, 0.3, 0.1, 0.0])
    assert mapped["duplicate"] == pytest.approx(0.3 / 1.5)


def test_a_geography_only_profile_gets_the_shipped_themes():
    edited = dict.fromkeys(themes_lead.THEMATIC, 0.0) | {
        "international": 1.0,
        "partner_interest": 0.0,
        "shared_markets": 0.0,
        "strength": 0.0,
        "duplicate": 0.5,
    }

    mapped = themes_lead.mapped(edited)

    default = themes_lead.SHIPPED["default"][1]
    assert {name: mapped[name] for name in (*themes_lead.THEMATIC, "seeking")} == {
        name: default[name] for name in (*themes_lead.THEMATIC, "seeking")
    }
    assert mapped["international"] == 1.0
