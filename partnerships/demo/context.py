"""Lookups derived once from the taxonomies for one run of the generator."""

import numpy as np

from .specs import _find, sector_words, slugify
from .words import NON_EU_WEIGHT, SERVICE_SECTORS, THEME_SECTORS, THEME_WORDS


class _Context:
    """Lookups derived once from the taxonomies; all orders are sorted, so runs repeat."""

    def _weight(self, code):
        country = self.countries[code]
        return max(country.population, 1) * (1.0 if country.eu_member else NON_EU_WEIGHT)

    def __init__(self, taxonomies):
        t = taxonomies
        self.countries = {c.code: c for c in t.countries}
        self.regions_by_country = {}
        for region in sorted(t.regions, key=lambda r: r.code):
            if region.country in self.countries:
                self.regions_by_country.setdefault(region.country, []).append(region)
        self.country_codes = sorted(self.regions_by_country)
        if not self.country_codes or not t.sectors or not t.positions or not t.objectives:
            raise ValueError("The reference data is missing: load it before generating.")
        weights = np.array([self._weight(c) for c in self.country_codes], dtype=float)
        self.country_p = weights / weights.sum()
        all_codes = sorted(self.countries)
        target_weights = np.array([self._weight(c) for c in all_codes], dtype=float)
        self.target_codes = all_codes
        self.target_cum = np.cumsum(target_weights / target_weights.sum()).tolist()

        self.sectors = sorted(t.sectors, key=lambda s: s.slug)
        self.sector_slugs = [s.slug for s in self.sectors]
        self.words = {s.slug: sector_words(s) for s in self.sectors}
        self.sector_names = {s.slug: s.name for s in self.sectors}
        self.positions = [p for p in t.positions if not p.service]
        self.service_positions = [p.slug for p in t.positions if p.service]
        self.objectives = sorted(t.objectives, key=lambda o: o.slug)
        self.objective_of_sector = {
            slug: _find(self.objectives, self.words[slug].objective, i)
            for i, slug in enumerate(self.sector_slugs)
        }

        by_sector_name = {slugify(s.name): s.slug for s in self.sectors}
        self.themes = []
        self.theme_sectors = {}
        self.theme_words = {}
        self.theme_objective = {}
        self.theme_names = {}
        for i, emerging in enumerate(sorted(t.emerging, key=lambda e: e.slug)):
            members = [s for s in emerging.sectors if s in self.words]
            if not members:
                fallback = THEME_SECTORS.get(slugify(emerging.name), ())
                members = [by_sector_name[s] for s in fallback if s in by_sector_name]
            words, objective = THEME_WORDS.get(
                slugify(emerging.name), ((emerging.name.lower(),), "")
            )
            self.theme_sectors[emerging.slug] = sorted(set(members))
            self.theme_words[emerging.slug] = words
            self.theme_objective[emerging.slug] = _find(self.objectives, objective, i)
            self.theme_names[emerging.slug] = emerging.name
            self.themes.append(emerging.slug)
        self.themes_of_sector = {slug: [] for slug in self.sector_slugs}
        for theme in self.themes:
            for slug in self.theme_sectors[theme]:
                self.themes_of_sector[slug].append(theme)
        self.related = {
            slug: sorted(
                {other for theme in themes for other in self.theme_sectors[theme]} - {slug}
            )
            for slug, themes in self.themes_of_sector.items()
        }
        self.plantable_themes = [th for th in self.themes if len(self.theme_sectors[th]) >= 2]
        self.service_of_sector = {}
        for slug in self.sector_slugs:
            for sector_part, position_part in SERVICE_SECTORS:
                matches = [p for p in self.service_positions if position_part in p]
                if sector_part in slug and matches:
                    self.service_of_sector[slug] = matches[0]
                    break

        self.ecosystems = sorted(t.ecosystems, key=lambda e: e.slug)
        self.ecosystems_of_sector = {slug: [] for slug in self.sector_slugs}
        for ecosystem in self.ecosystems:
            for slug in ecosystem.sectors:
                if slug in self.ecosystems_of_sector:
                    self.ecosystems_of_sector[slug].append(ecosystem.slug)
        if self.ecosystems:
            for i, slug in enumerate(self.sector_slugs):
                if not self.ecosystems_of_sector[slug]:
                    fragment = self.words[slug].ecosystem
                    self.ecosystems_of_sector[slug] = [_find(self.ecosystems, fragment, i)]
