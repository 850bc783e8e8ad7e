import importlib

import pytest

from matchmaking.enums import DEFAULT_WEIGHT_PROFILES
from matchmaking.models import WEIGHT_FIELDS

themes_lead = importlib.import_module("matchmaking.migrations.0007_themes_lead")


def test_shipped_profiles_after_the_migration_are_the_enum_defaults():
    assert {slug: after for slug, (_before, after) in themes_lead.SHIPPED.items()} == {
        slug: dict(weights) for slug, weights in DEFAULT_WEIGHT_PROFILES.items()
    }


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

    default = DEFAULT_WEIGHT_PROFILES["default"]
    assert {name: mapped[name] for name in (*themes_lead.THEMATIC, "seeking")} == {
        name: default[name] for name in (*themes_lead.THEMATIC, "seeking")
    }
    assert mapped["international"] == 1.0
