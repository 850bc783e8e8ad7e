"""The pieces a weekly digest is made of: plain data, so any app can contribute a section."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class DigestItem:
    text: str
    url: str = ""
    detail: str = ""


@dataclass(frozen=True)
class DigestSection:
    """One heading of a digest; `key` orders sections and lets tests find them."""

    key: str
    title: str
    items: tuple = field(default_factory=tuple)


# Sections in this order, whoever contributed them; unknown keys come last.
SECTION_ORDER = ("notifications", "recommendations", "partner_searches", "calls", "events")


def ordered(sections):
    """Non-empty sections in digest order."""
    rank = {key: index for index, key in enumerate(SECTION_ORDER)}
    kept = [section for section in sections if section.items]
    return sorted(kept, key=lambda section: (rank.get(section.key, len(rank)), section.key))
