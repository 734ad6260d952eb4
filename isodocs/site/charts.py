"""Static charts: inline SVG written into the page, no script, no CDN."""

from __future__ import annotations

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
