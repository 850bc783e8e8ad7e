"""The regional hotspots map: a tile-grid cartogram of NUTS-2 regions, and its colour scale.

Plain functions over plain data, no ORM: the layout is generated once by
`build_hotspot_grid` into data/nuts2_grid.json, and the view only reads that file.

We have no coordinates offline, so every country is a compact block of square cells, one
per NUTS-2 region in code order, at a hand-placed position that keeps Europe recognisable
(Iberia bottom-left, Ireland and the UK top-left, the Nordics on top, the Balkans and
Turkey bottom-right).
"""

import json
import math
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

GRID_FILE = Path(__file__).resolve().parent / "data" / "nuts2_grid.json"
STEPS = 7

# Country (NUTS code) -> (column, row, width) of the top-left cell of its block; the block
# fills rows of `width` cells. Placed by hand on a 35 x 34 grid.
COUNTRY_BLOCKS = {
    "IS": (3, 0, 1),
    "NO": (10, 0, 2),
    "SE": (13, 0, 2),
    "FI": (16, 0, 2),
    "EE": (19, 2, 1),
    "LV": (19, 4, 1),
    "LT": (19, 6, 2),
    "IE": (0, 4, 2),
    "UK": (3, 2, 6),
    "DK": (11, 5, 3),
    "NL": (10, 8, 3),
    "BE": (9, 13, 3),
    "LU": (12, 15, 1),
    "DE": (14, 8, 6),
    "PL": (21, 8, 4),
    "UA": (26, 8, 6),
    "FR": (2, 13, 6),
    "CH": (9, 18, 4),
    "LI": (13, 18, 1),
    "AT": (14, 16, 5),
    "CZ": (20, 14, 4),
    "SK": (21, 17, 2),
    "HU": (20, 20, 4),
    "PT": (0, 20, 2),
    "ES": (3, 20, 5),
    "IT": (10, 21, 4),
    "MT": (12, 28, 1),
    "SI": (16, 19, 2),
    "HR": (16, 21, 2),
    "BA": (17, 24, 3),
    "RS": (21, 23, 2),
    "RO": (25, 17, 4),
    "BG": (25, 21, 3),
    "ME": (18, 26, 1),
    "XK": (20, 26, 1),
    "AL": (18, 28, 2),
    "MK": (21, 28, 1),
    "EL": (20, 30, 4),
    "TR": (28, 24, 7),
    "CY": (31, 30, 1),
}


class GridError(ValueError):
    """The hand-placed blocks do not fit the regions: a country is missing or cells overlap."""


def layout_regions(regions, *, blocks=COUNTRY_BLOCKS):
    """{region code: (column, row)} for `regions`, pairs of (region code, country code).

    Raises GridError when a country has no block or two regions would share a cell, so a
    new NUTS revision or a careless edit of the blocks cannot produce a misleading map.
    """
    by_country = defaultdict(list)
    for code, country in regions:
        by_country[country].append(code)
    missing = sorted(set(by_country) - set(blocks))
    if missing:
        raise GridError(f"No block placed for countries: {', '.join(missing)}")
    cells = {}
    taken = {}
    for country in sorted(by_country):
        column, row, width = blocks[country]
        for index, code in enumerate(sorted(by_country[country])):
            cell = (column + index % width, row + index // width)
            if cell in taken:
                raise GridError(f"{code} and {taken[cell]} would share the cell {cell}")
            taken[cell] = code
            cells[code] = cell
    return cells


def grid_document(cells):
    """The JSON text of the layout file: one region a line, so a change reads as a diff."""
    columns = max(column for column, _ in cells.values()) + 1
    rows = max(row for _, row in cells.values()) + 1
    lines = ",\n".join(
        f"{json.dumps(code)}: [{column}, {row}]" for code, (column, row) in sorted(cells.items())
    )
    return f'{{"columns": {columns}, "rows": {rows}, "cells": {{\n{lines}\n}}}}\n'


@dataclass(frozen=True)
class Grid:
    columns: int
    rows: int
    cells: dict


@lru_cache(maxsize=1)
def load_grid(path=GRID_FILE):
    with open(path, encoding="utf-8") as handle:
        document = json.load(handle)
    cells = {code: tuple(cell) for code, cell in document["cells"].items()}
    return Grid(columns=document["columns"], rows=document["rows"], cells=cells)


@dataclass(frozen=True)
class ColourClass:
    step: int
    low: int
    high: int


def class_breaks(values, *, steps=STEPS):
    """Quantile classes over the positive values, darkest step for the highest class.

    Counts per region are very skewed (a few capital regions hold many organisations), so
    equal intervals would paint almost every region in the lightest colour. With fewer
    distinct values than steps, each value gets its own class, spread over the scale.
    """
    positive = sorted(value for value in values if value > 0)
    if not positive:
        return []
    uppers = []
    for k in range(1, steps + 1):
        # Nearest-rank quantile: always one of the data values, so ranges are exact.
        upper = positive[max(0, math.ceil(k * len(positive) / steps) - 1)]
        if not uppers or upper > uppers[-1]:
            uppers.append(upper)
    classes = []
    low = positive[0]
    count = len(uppers)
    for index, upper in enumerate(uppers):
        step = steps if count == 1 else 1 + round(index * (steps - 1) / (count - 1))
        classes.append(ColourClass(step=step, low=low, high=upper))
        low = upper + 1
    return classes


def step_for(value, classes):
    """The colour step of `value`: 0 for none, else the step of the class that holds it."""
    if value <= 0:
        return 0
    for colour_class in classes:
        if value <= colour_class.high:
            return colour_class.step
    return classes[-1].step


@dataclass(frozen=True)
class MapCell:
    code: str
    name: str
    country: str
    value: int
    step: int
    x: int
    y: int


@dataclass(frozen=True)
class CountryLabel:
    country: str
    x: float
    y: float


CELL = 24
GAP = 2


def map_cells(grid, regions, values, classes, *, cell=CELL):
    """One MapCell per region of the grid, in code order, with SVG coordinates.

    `regions` maps code -> (name, country code); regions of the grid missing from it (not
    loaded into the database) are left out rather than drawn unnamed.
    """
    drawn = []
    for code, (column, row) in sorted(grid.cells.items()):
        if code not in regions:
            continue
        name, country = regions[code]
        value = values.get(code, 0)
        drawn.append(
            MapCell(
                code=code,
                name=name,
                country=country,
                value=value,
                step=step_for(value, classes),
                x=column * cell,
                y=row * cell,
            )
        )
    return drawn


def country_labels(cells, *, cell=CELL):
    """A label at the middle of each country's block, for orientation on the map."""
    boxes = defaultdict(list)
    for map_cell in cells:
        boxes[map_cell.country].append(map_cell)
    labels = []
    for country, members in sorted(boxes.items()):
        left = min(member.x for member in members)
        right = max(member.x for member in members) + cell - GAP
        top = min(member.y for member in members)
        bottom = max(member.y for member in members) + cell - GAP
        labels.append(CountryLabel(country=country, x=(left + right) / 2, y=(top + bottom) / 2))
    return labels
