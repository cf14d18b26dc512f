"""Charts drawn on the server as SVG geometry, for templates to write out: no script, no
third-party library, readable without colour (every bar carries its number as text) and
mirrored for right-to-left languages (bars grow from the right, time runs right to left).

Numbers are written with the active language's formats (django.utils.formats), as the
tables beside the charts are.
"""

import json
import math
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.utils.formats import number_format

#: Width of every chart's coordinate system; the SVG scales to its container.
WIDTH = 400
#: Width of a character of the charts' 12-unit text, on average (to keep room for it).
CHARACTER_WIDTH = 6.6
#: Characters of a label that fit on one line of a bar chart.
LABEL_CHARACTERS = 54


def format_number(value):
    return number_format(value, decimal_pos=0, use_l10n=True, force_grouping=True)


def _shorten(label):
    label = str(label)
    return label if len(label) <= LABEL_CHARACTERS else label[: LABEL_CHARACTERS - 1] + "…"


@dataclass(frozen=True)
class Bar:
    """One bar: its rectangle, and its text (the number, with a sub-label if any)."""

    x: float
    y: float
    width: float
    text: str
    text_x: float
    text_y: float
    anchor: str


@dataclass(frozen=True)
class BarGroup:
    """A label line, then its bars."""

    label: str
    full_label: str
    label_x: float
    label_y: float
    anchor: str
    bars: list = field(default_factory=list)


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    groups: list

    @property
    def empty(self):
        return not self.groups


LABEL_LINE = 16
BAR_HEIGHT = 14
BAR_GAP = 4
GROUP_GAP = 10


def bar_chart(groups, rtl=False):
    """`groups`: [(label, [(sub_label or "", value)])]. Horizontal bars on one scale, the
    label of each group above its bars, each bar's number beside it."""
    texts = {
        (index, position): (f"{sub}: {format_number(value)}" if sub else format_number(value))
        for index, (_label, bars) in enumerate(groups)
        for position, (sub, value) in enumerate(bars)
    }
    largest = max((value for _label, bars in groups for _sub, value in bars), default=0)
    # The longest bar leaves room for the longest number beside it.
    room = max((len(text) for text in texts.values()), default=0) * CHARACTER_WIDTH + 8
    scale = (WIDTH - min(room, WIDTH / 2)) / largest if largest else 0
    y = 0
    drawn = []
    for index, (label, bars) in enumerate(groups):
        group_bars = []
        label_y = y + 12
        y += LABEL_LINE
        for position, (_sub, value) in enumerate(bars):
            width = max(value * scale, 1 if value else 0)
            text = texts[index, position]
            # Text anchors follow the writing direction, which the SVG inherits from the
            # page: "start" is the right end of a text in Arabic.
            if rtl:
                x, text_x, anchor = WIDTH - width, WIDTH - width - 4, "start"
            else:
                x, text_x, anchor = 0, width + 4, "start"
            group_bars.append(Bar(x, y, width, text, text_x, y + BAR_HEIGHT - 3, anchor))
            y += BAR_HEIGHT + BAR_GAP
        drawn.append(
            BarGroup(
                label=_shorten(label),
                full_label=str(label),
                label_x=WIDTH if rtl else 0,
                label_y=label_y,
                anchor="start",
                bars=group_bars,
            )
        )
        y += GROUP_GAP
    return BarChart(width=WIDTH, height=max(y, 1), groups=drawn)


@dataclass(frozen=True)
class Column:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: str


@dataclass(frozen=True)
class Gridline:
    """A horizontal line of the value axis, with its value written at the plot's side."""

    y: float
    text: str
    text_x: float
    text_y: float
    x1: float
    x2: float


@dataclass(frozen=True)
class ColumnChart:
    width: int
    height: int
    columns: list
    ticks: list  # (x, text) of the labelled columns
    baseline: float
    label_y: float
    gridlines: list = field(default_factory=list)

    @property
    def empty(self):
        return not self.columns


PLOT_HEIGHT = 120
TOP_ROOM = 16
#: Room on each side for half a year's label.
SIDE_ROOM = 16


def axis_values(largest, lines=4):
    """Round values for a count axis from 0 to at least `largest`: steps of 1, 2 or 5 times a
    power of ten, about `lines` of them."""
    if largest <= 0:
        return [0, 1]
    rough = max(largest / lines, 1)
    power = 10 ** math.floor(math.log10(rough))
    step = next(factor * power for factor in (1, 2, 5, 10) if factor * power >= rough)
    top = math.ceil(largest / step) * step
    return list(range(0, top + 1, step))


def column_chart(points, rtl=False, label_every=5):
    """`points`: [(label, value)] in order (years). Vertical columns on one scale, with a
    value axis of round numbers at the start side, every `label_every`-th column labelled
    (and the last); right to left when `rtl`."""
    count = len(points)
    if not count:
        return ColumnChart(WIDTH, 1, [], [], 0, 0)
    values = axis_values(max(value for _label, value in points))
    top = values[-1]
    texts = [format_number(value) for value in values]
    # The axis's numbers sit at the start side (right in Arabic), outside the plot.
    axis_room = max(len(text) for text in texts) * CHARACTER_WIDTH + 6
    plot_start, plot_end = (SIDE_ROOM, WIDTH - axis_room) if rtl else (axis_room, WIDTH - SIDE_ROOM)
    step = (plot_end - plot_start) / count
    width = max(step * 0.7, 1)
    baseline = TOP_ROOM + PLOT_HEIGHT
    gridlines = [
        Gridline(
            y=baseline - PLOT_HEIGHT * value / top,
            text=text,
            text_x=WIDTH - axis_room + 4 if rtl else axis_room - 4,
            text_y=baseline - PLOT_HEIGHT * value / top + 4,
            x1=plot_start,
            x2=plot_end,
        )
        for value, text in zip(values, texts, strict=True)
    ]
    columns, ticks = [], []
    for index, (label, value) in enumerate(points):
        position = count - 1 - index if rtl else index
        x = plot_start + position * step + (step - width) / 2
        height = PLOT_HEIGHT * value / top
        columns.append(
            Column(x, baseline - height, width, height, str(label), format_number(value))
        )
        # Every `label_every`-th column, and the last unless a label is too close to it.
        last = index == count - 1 and index % label_every >= label_every / 2
        if index % label_every == 0 or last:
            ticks.append((x + width / 2, str(label)))
    return ColumnChart(WIDTH, baseline + 22, columns, ticks, baseline, baseline + 16, gridlines)


GRID_FILE = Path(__file__).resolve().parent / "data" / "country_grid.json"


@cache
def country_grid():
    """(columns, rows, code -> (column, row)) of the tile grid (bin/make-country-grid)."""
    data = json.loads(GRID_FILE.read_text(encoding="utf-8"))
    cells = {code: tuple(cell) for code, cell in data["cells"].items()}
    return data["columns"], data["rows"], cells


@dataclass(frozen=True)
class Tile:
    x: float
    y: float
    size: float
    code: str
    kind: str  # "place", "partner", "none"
    survivor_state: bool
    title: str


@dataclass(frozen=True)
class TileMap:
    width: int
    height: float
    tiles: list


def tile_map(countries, describe):
    """Every country of the grid as a square: `countries` are the insights' rows (code,
    place, partner, survivor_state); `describe(code, row or None)` says what a square
    stands for. Geography is not mirrored in right-to-left languages."""
    columns, rows, cells = country_grid()
    size = WIDTH / columns
    by_code = {row["code"]: row for row in countries}
    tiles = []
    for code, (column, row) in sorted(cells.items()):
        data = by_code.get(code)
        place = data["place"] if data else 0
        partner = data["partner"] if data else 0
        kind = "place" if place else "partner" if partner else "none"
        tiles.append(
            Tile(
                x=column * size,
                y=row * size,
                size=size,
                code=code,
                kind=kind,
                survivor_state=bool(data and data["survivor_state"]),
                title=describe(code, data),
            )
        )
    return TileMap(width=WIDTH, height=rows * size, tiles=tiles)
