"""The public organisation directory and its CSV export."""

import csv

from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.views import View

from partnerships import directory, page_cache
from partnerships.exports import safe_cell
from partnerships.facet_loader import directory_index
from partnerships.filters import DirectoryFilter
from partnerships.queries import current_label

EXPORT_CHUNK = 2000
EXPORT_COLUMNS = [
    _("Name"),
    _("Acronym"),
    _("Type"),
    _("Country"),
    _("Region"),
    _("City"),
    _("Website"),
    _("Members"),
    _("Employees in member firms"),
    _("Current label"),
    _("Sectoral industries"),
    _("Emerging industries"),
]


# Facet groups in the order the page shows them; long ones scroll inside their fieldset.
FACET_GROUPS = (
    ("country", True),
    ("region", True),
    ("sector", True),
    ("emerging_industry", False),
    ("ecosystem", True),
    ("label_level", False),
    ("type", False),
    ("size", False),
)


def facet_groups(form, facets, selected):
    groups = []
    for name, long in FACET_GROUPS:
        options = facets[name]
        empty = _("No organisation in the current results.")
        # Hundreds of regions mean nothing until a country narrows them down.
        if name == "region" and not ({"country", "region"} & selected.keys()):
            options, empty = [], _("Choose a country to narrow by region.")
        groups.append(
            {
                "name": name,
                "legend": form.fields[name].label,
                "options": options,
                "long": long,
                "empty": empty,
            }
        )
    return groups


class OrganisationListView(View):
    template_name = "partnerships/organisation_list.html"
    partial_name = "partnerships/includes/_directory_results.html"

    def get(self, request):
        variant = "htmx" if request.htmx else "page"
        return page_cache.serve(request, variant=variant, build=lambda: self.build(request))

    def build(self, request):
        filters = DirectoryFilter(request.GET)
        selected = filters.selected()
        index, names = directory_index()
        ids, counts = directory.find(
            index,
            selected=selected,
            text=filters.cleaned("q", ""),
            sort=filters.sort_order,
            today=timezone.localdate(),
        )
        facets = directory.facet_options(index, names, counts, selected)
        # A page number that is not one shows the first page, one past the end the last.
        paginator = Paginator(ids, directory.PAGE_SIZE)
        page = paginator.get_page(request.GET.get("page"))
        page.object_list = directory.page_rows(page.object_list)
        context = {
            "form": filters.form,
            "facets": facets,
            "facet_groups": facet_groups(filters.form, facets, selected),
            "selected": selected,
            "active_filter_count": sum(len(values) for values in selected.values()),
            "page": page,
            "rows": directory.with_current_labels(page.object_list),
            "page_range": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        }
        if request.htmx:
            return render(request, self.partial_name, context | {"swap_count": True})
        return render(request, self.template_name, context)


class Echo:
    """A file-like object whose write hands the line back, for streaming a csv.writer."""

    def write(self, value):
        return value


def export_rows(ids, header, *, language):
    yield header
    for start in range(0, len(ids), EXPORT_CHUNK):
        # Rows are written while streaming, after the request's language may have gone.
        with translation.override(language):
            rows = [
                export_row(organisation)
                for organisation in directory.page_rows(ids[start : start + EXPORT_CHUNK])
            ]
        yield from rows


def export_row(organisation):
    label = current_label(organisation)
    return [
        safe_cell(value)
        for value in (
            organisation.name,
            organisation.acronym,
            organisation.get_type_display(),
            organisation.country.localised_name,
            organisation.region.name,
            organisation.city,
            organisation.website,
            organisation.members_total,
            organisation.member_employees,
            label.get_level_display() if label else "",
            "; ".join(sector.localised_name for sector in organisation.sectoral_industries.all()),
            "; ".join(
                industry.localised_name for industry in organisation.emerging_industries.all()
            ),
        )
    ]


class OrganisationExportView(View):
    def get(self, request):
        filters = DirectoryFilter(request.GET)
        index, _names = directory_index()
        ids, _counts = directory.find(
            index,
            selected=filters.selected(),
            text=filters.cleaned("q", ""),
            sort=filters.sort_order,
            today=timezone.localdate(),
        )
        writer = csv.writer(Echo())
        # The header is translated now, in the request's language, not while streaming.
        header = [str(column) for column in EXPORT_COLUMNS]
        response = StreamingHttpResponse(
            (
                writer.writerow(row)
                for row in export_rows(ids, header, language=translation.get_language())
            ),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = 'attachment; filename="organisations.csv"'
        return response
