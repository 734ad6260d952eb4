"""Static charts: inline SVG written into the page, no script, no CDN."""

from __future__ import annotations

import datetime as dt
import math

from isodocs.site.markdown import attr


def bar_chart(title: str, bars: list[tuple[str, float, str]]) -> str:
    """A horizontal bar chart of percentages as one raw HTML block.

    ``bars`` are (label, percent 0..100, value text). The SVG has no blank line,
    so Python-Markdown keeps it as one HTML block. It carries no links: raw HTML
    is not rewritten by the engine, and URLs differ with ``use_directory_urls``.
    """
    label_width, bar_width, row_height, gap = 190, 320, 26, 10
    width = label_width + bar_width + 130
    height = len(bars) * (row_height + gap) + gap
    parts = [
        f'<svg class="isodocs-chart" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-label="{attr(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{attr(title)}</title>",
    ]
    for index, (label, percent, value) in enumerate(bars):
        y = gap + index * (row_height + gap)
        fill = max(0.0, min(100.0, percent)) * bar_width / 100
        tone = "good" if percent >= 100 else "fair" if percent >= 80 else "poor"
        text_y = y + row_height * 0.68
        parts += [
            f'<text class="isodocs-chart-label" x="{label_width - 10}" y="{text_y:.1f}" '
            f'text-anchor="end">{attr(label)}</text>',
            f'<rect class="isodocs-chart-track" x="{label_width}" y="{y}" width="{bar_width}" '
            f'height="{row_height}" rx="3"/>',
            f'<rect class="isodocs-chart-bar isodocs-{tone}" x="{label_width}" y="{y}" width="{fill:.1f}" '
            f'height="{row_height}" rx="3"><title>{attr(label)}: {attr(value)}</title></rect>',
            f'<text class="isodocs-chart-value" x="{label_width + bar_width + 8}" '
            f'y="{text_y:.1f}">{attr(value)}</text>',
        ]
    parts.append("</svg>")
    return '<div class="isodocs-chart-box">' + "".join(parts) + "</div>"


def _ticks(low: float, high: float) -> list[float]:
    """Three to six round values spanning ``low``..``high`` for the value axis."""
    span = high - low or abs(high) or 1.0
    raw = span / 4
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    start, end = math.floor(low / step), math.ceil(high / step)
    return [round(index * step, 10) for index in range(start, end + 1)]


def _number(value: float) -> str:
    return f"{value:g}"


def trend_chart(
    title: str,
    points: list[tuple[dt.date, float]],
    target: float | None,
    due: dt.date | None,
    unit: str = "",
    start: dt.date | None = None,
) -> str:
    """Results over time against the target line and the due date, as one raw HTML block of inline SVG.

    Readable without colour: the results are a solid line with round markers, each
    value written beside its marker; the target a dashed line labelled "target";
    the due date a dotted vertical line labelled "due". Each marker has a <title>
    with its date and value. ``start`` (e.g. the approval date) widens the time
    axis to the left. No script, no link, nothing fetched.
    """
    width, height = 640, 240
    left, right, top, bottom = 64, 24, 16, 30
    days = [d for d, _v in points] + [d for d in (start, due) if d is not None]
    if not days:
        return ""
    first, last = min(days), max(days)
    if first == last:
        first, last = first - dt.timedelta(days=15), last + dt.timedelta(days=15)
    values = [v for _d, v in points] + ([target] if target is not None else [])
    low, high = (min(values), max(values)) if values else (0.0, 1.0)
    pad = (high - low) * 0.15 or abs(high) * 0.1 or 1.0
    ticks = _ticks(low - pad, high + pad)
    low, high = ticks[0], ticks[-1]
    plot_w, plot_h = width - left - right, height - top - bottom

    def x(day: dt.date) -> float:
        return left + (day - first).days / (last - first).days * plot_w

    def y(value: float) -> float:
        return top + (high - value) / ((high - low) or 1.0) * plot_h

    suffix = f" {unit}" if unit and unit != "%" else ("%" if unit == "%" else "")
    parts = [
        f'<svg class="isodocs-chart isodocs-trend" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-label="{attr(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{attr(title)}</title>",
        f'<rect class="isodocs-chart-frame" x="{left}" y="{top}" width="{plot_w}" height="{plot_h}"/>',
    ]
    for tick in ticks:
        parts.append(
            f'<text class="isodocs-chart-axis" x="{left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end">'
            f"{attr(_number(tick))}</text>"
        )
    parts += [
        f'<text class="isodocs-chart-axis" x="{left}" y="{height - 10}">{first.isoformat()}</text>',
        f'<text class="isodocs-chart-axis" x="{left + plot_w}" y="{height - 10}" text-anchor="end">'
        f"{last.isoformat()}</text>",
    ]
    if target is not None:
        ty = y(target)
        parts += [
            f'<line class="isodocs-chart-target" x1="{left}" y1="{ty:.1f}" x2="{left + plot_w}" y2="{ty:.1f}"/>',
            f'<text class="isodocs-chart-note" x="{left + 6}" y="{ty - 6:.1f}">target '
            f"{attr(_number(target) + suffix)}</text>",
        ]
    if due is not None:
        dx = x(due)
        parts += [
            f'<line class="isodocs-chart-due" x1="{dx:.1f}" y1="{top}" x2="{dx:.1f}" y2="{top + plot_h}"/>',
            f'<text class="isodocs-chart-note" x="{dx - 6:.1f}" y="{top + 14}" text-anchor="end">due '
            f"{due.isoformat()}</text>",
        ]
    if points:
        path = " ".join(f"{x(d):.1f},{y(v):.1f}" for d, v in points)
        parts.append(f'<polyline class="isodocs-chart-line" points="{path}"/>')
        for day, value in points:
            label = f"{day.isoformat()}: {_number(value)}{suffix}"
            parts += [
                f'<circle class="isodocs-chart-point" cx="{x(day):.1f}" cy="{y(value):.1f}" r="4">'
                f"<title>{attr(label)}</title></circle>",
                f'<text class="isodocs-chart-value" x="{x(day):.1f}" y="{y(value) - 8:.1f}" text-anchor="middle">'
                f"{attr(_number(value))}</text>",
            ]
    parts.append("</svg>")
    return '<div class="isodocs-chart-box isodocs-trend-box">' + "".join(parts) + "</div>"
