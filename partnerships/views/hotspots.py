"""The regional hotspots map (the Cluster Observatory view): NUTS-2 regions coloured by the
organisations, or their member employees, that match the directory's filters."""

from functools import partial
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.generic import TemplateView

from partnerships import hotspots, page_cache
from partnerships.directory import hotspot_figures
from partnerships.enums import HotspotDimension, HotspotMeasure
from partnerships.facet_loader import directory_index
from partnerships.forms import HotspotFilterForm
from partnerships.queries import nuts2_regions

# Until the directory page exists under its name, its path is known from the issue.
DIRECTORY_PATH = "/organisations/"
# A page of the region table: 297 regions in one table ran to thousands of pixels on a phone.
REGIONS_PER_PAGE = 25
# The region table's page links swap the table alone; every other update swaps all results.
REGIONS_TARGET = "hotspots-regions"


def directory_url():
    try:
        return reverse("partnerships:organisation-list")
    except NoReverseMatch:
        return DIRECTORY_PATH


def table_rows(cells, country_names, *, order):
    rows = [
        {
            "code": cell.code,
            "name": cell.name,
            "country": country_names[cell.country],
            "value": cell.value,
        }
        for cell in cells
        if cell.value
    ]
    if order == "region":
        return sorted(rows, key=lambda row: row["code"])
    return sorted(rows, key=lambda row: (-row["value"], row["code"]))


class HotspotsView(TemplateView):
    template_name = "partnerships/hotspots.html"
    partial_template_name = "partnerships/includes/_hotspots_results.html"
    table_template_name = "partnerships/includes/_hotspots_table.html"

    def is_partial(self):
        htmx = self.request.htmx
        return bool(htmx) and not htmx.history_restore_request

    def get_template_names(self):
        if not self.is_partial():
            return [self.template_name]
        if self.request.htmx.target == REGIONS_TARGET:
            return [self.table_template_name]
        return [self.partial_template_name]

    def get(self, request, *args, **kwargs):
        # It reads the directory's index, so it is stored under the directory's version.
        return page_cache.serve(
            request,
            variant="htmx" if self.is_partial() else "page",
            build=partial(self.build, request, *args, **kwargs),
        )

    def build(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        patch_vary_headers(response, ["HX-Request"])
        return response

    def get_context_data(self, **kwargs):
        form = HotspotFilterForm(self.request.GET)
        chosen = form.choices()
        # The directory's in-memory index: a pass over 100,000 rows of SQL took half a second.
        index, names = directory_index()
        values, charts = hotspot_figures(index, names, chosen, today=timezone.localdate())
        regions = nuts2_regions()
        grid = hotspots.load_grid()
        classes = hotspots.class_breaks(values.values())
        cells = hotspots.map_cells(
            grid,
            {code: (row["name"], row["country"]) for code, row in regions.items()},
            values,
            classes,
        )
        country_names = names["country"]
        params = form.directory_params()
        query = self.request.GET.copy()
        query.pop("order", None)
        # Sorting again starts from the first page of the table.
        query.pop("page", None)
        # A page number that is not one shows the first page, one past the end the last.
        region_paginator = Paginator(
            table_rows(cells, country_names, order=chosen["order"]), REGIONS_PER_PAGE
        )
        region_page = region_paginator.get_page(self.request.GET.get("page"))
        return super().get_context_data(**kwargs) | {
            "form": form,
            "chosen": chosen,
            "is_employees": chosen["measure"] == HotspotMeasure.EMPLOYEES,
            "is_emerging": chosen["dimension"] == HotspotDimension.EMERGING,
            # The industry select follows the dimension, so an HTMX update sends it again
            # out of band; htmx gives the focus back to a swapped element with the same id.
            "swap_industry": self.is_partial(),
            "cells": cells,
            "country_labels": hotspots.country_labels(cells),
            "map_width": grid.columns * hotspots.CELL,
            "map_height": grid.rows * hotspots.CELL,
            "cell_size": hotspots.CELL - hotspots.GAP,
            "classes": classes,
            "total": sum(values.values()),
            "region_count": len(values),
            "directory_url": directory_url(),
            "link_query": urlencode(params) + "&" if params else "",
            "table_rows": region_page.object_list,
            "region_page": region_page,
            "region_page_range": region_paginator.get_elided_page_range(
                region_page.number, on_each_side=1, on_ends=1
            ),
            "regions_target": REGIONS_TARGET,
            "order": chosen["order"],
            "sort_query": query.urlencode() + "&" if query else "",
            "charts": charts,
            "country_max": max((row["value"] for row in charts["countries"]), default=0),
            "label_max": max((row["value"] for row in charts["current_labels"]), default=0),
            "emerging_max": max((row["value"] for row in charts["emerging_industries"]), default=0),
        }
