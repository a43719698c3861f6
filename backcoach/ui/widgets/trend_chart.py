"""TrendChart: daily pain (min–max bars, mean dots) and the 7-day mean, as text.

The grid is built by a pure function (`chart_lines`), so it can run off the event loop.
"""

from __future__ import annotations

from datetime import date

from textual.widgets import Static

ROWS = 11  # pain 10 … 0


def _bucket(values: list[tuple[date, float]], first: date, span: int, width: int
            ) -> dict[int, list[float]]:
    columns: dict[int, list[float]] = {}
    for day, value in values:
        column = min(width - 1, (day - first).days * width // span)
        columns.setdefault(column, []).append(value)
    return columns


def chart_lines(summary, markers=(), width: int = 60, start: date | None = None) -> list[str]:
    """The chart as lines of text: '│' min–max, '•' daily mean, '─' 7-day mean.

    The x axis runs from `start` (default: the first day with a score) to the last day.
    """
    if not summary.pain:
        return ["No pain scores in this range yet."]
    first = min(start or summary.pain[0].day, summary.pain[0].day)
    span = max((summary.last_day - first).days + 1, 1)
    width = max(10, min(width, span))
    grid = [[" "] * width for _ in range(ROWS)]
    lows = _bucket([(d.day, d.low) for d in summary.pain], first, span, width)
    highs = _bucket([(d.day, d.high) for d in summary.pain], first, span, width)
    means = _bucket([(d.day, d.mean) for d in summary.pain], first, span, width)
    rolled = _bucket(list(summary.rolling), first, span, width)
    for column in lows:
        for score in range(round(min(lows[column])), round(max(highs[column])) + 1):
            grid[10 - score][column] = "│"
    for column, values in rolled.items():
        grid[10 - round(sum(values) / len(values))][column] = "─"
    for column, values in means.items():
        grid[10 - round(sum(values) / len(values))][column] = "•"
    lines = [f"{10 - row:>2} ┤" + "".join(cells) for row, cells in enumerate(grid)]
    marks = [" "] * width
    for marker in markers:
        if first <= marker.day <= summary.last_day:
            column = min(width - 1, (marker.day - first).days * width // span)
            symbol = {"acute": "A", "red-flag": "!", "check": "c"}[marker.kind]
            if marks[column] in (" ", "c"):
                marks[column] = symbol
    lines.append("   └" + "─" * width)
    lines.append("    " + "".join(marks))
    lines.append(f"    {first:%d %b %Y}".ljust(max(width - 7, 17)) + f"{summary.last_day:%d %b %Y}")
    lines.append("    │ day's low–high  • day's mean  ─ 7-day mean  A acute  c check  ! warning")
    return lines


def heatmap_lines(summary, weeks: int = 12) -> list[str]:
    """Sets done against the prescribed daily dose, a column a week (Mon–Sun rows)."""
    done = {d.day: d.completed for d in summary.sets}
    target = summary.target_per_day or 1
    end = summary.last_day
    start = end.toordinal() - end.weekday() - 7 * (weeks - 1)
    shades = " ░▒▓█"
    rows = []
    for weekday, name in enumerate(("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")):
        cells = []
        for week in range(weeks):
            day = date.fromordinal(start + 7 * week + weekday)
            if day > end:
                cells.append(" ")
                continue
            ratio = min(done.get(day, 0) / target, 1.0)
            cells.append(shades[min(4, int(ratio * 4 + 0.999))] if ratio else "·")
        rows.append(f"{name} " + " ".join(cells))
    rows.append("    · none  ░ <25%  ▒ <50%  ▓ <75%  █ the prescribed dose or more")
    return rows


class TrendChart(Static):
    """Shows lines made by chart_lines (attributes down: call show)."""

    def __init__(self, **kwargs) -> None:
        super().__init__(markup=False, **kwargs)

    def show(self, lines: list[str]) -> None:
        self.update("\n".join(lines))
