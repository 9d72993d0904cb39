"""Small inline SVG charts built on the server (no JavaScript, no build step, prints fine).

``yearly_chart`` draws measures per year as bars stacked by region, with the
number of documents of that year above each bar.
"""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Colour-blind-safe palette (Okabe–Ito), dark enough against white.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")


def yearly_chart(rows: list[dict], *, width: int = 480, height: int = 260) -> SafeString:
    """rows: [{year, region, documents, measures}] → an accessible SVG (role=img, title, desc)."""
    if not rows:
        return mark_safe("")
    years = sorted({row["year"] for row in rows})
    regions = sorted({row["region"] for row in rows})
    colour = {region: PALETTE[index % len(PALETTE)] for index, region in enumerate(regions)}
    by_year: dict[int, dict[str, dict]] = {year: {} for year in years}
    for row in rows:
        by_year[row["year"]][row["region"]] = row
    totals = {year: sum(row["measures"] for row in by_year[year].values()) for year in years}
    documents = {year: sum(row["documents"] for row in by_year[year].values()) for year in years}
    top = max(max(totals.values()), 1)
    left, bottom, top_pad, legend = 36, 28, 26, 22
    plot_h = height - bottom - top_pad - legend
    slot = (width - left - 8) / len(years)
    bar = min(48, slot * 0.6)
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-labelledby="chart-title chart-desc"'
        ' xmlns="http://www.w3.org/2000/svg">',
        '<title id="chart-title">各年份文件与措施数量（按地区）</title>',
        '<desc id="chart-desc">'
        + escape(
            "；".join(
                f"{year}年：{documents[year]}件文件，{totals[year]}条措施"
                + "（"
                + "，".join(f"{region}{row['measures']}" for region, row in by_year[year].items())
                + "）"
                for year in years
            )
        )
        + "</desc>",
        f'<line x1="{left}" y1="{height - bottom - legend}" x2="{width - 4}" y2="{height - bottom - legend}" stroke="#8a96a3"/>',
        f'<text x="{left - 6}" y="{top_pad + 4}" text-anchor="end" font-size="13" fill="#5a6672">{top}</text>',
    ]
    base_y = height - bottom - legend
    for index, year in enumerate(years):
        x = left + slot * index + (slot - bar) / 2
        y = base_y
        for region in regions:
            row = by_year[year].get(region)
            if not row or not row["measures"]:
                continue
            h = plot_h * row["measures"] / top
            y -= h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="{colour[region]}">'
                f"<title>{escape(region)} {year}年：{row['measures']}条措施，{row['documents']}件文件</title></rect>"
            )
        parts.append(
            f'<text x="{x + bar / 2:.1f}" y="{y - 4:.1f}" text-anchor="middle" font-size="13" fill="#1d2733">'
            f"{totals[year]}条/{documents[year]}件</text>"
        )
        parts.append(
            f'<text x="{x + bar / 2:.1f}" y="{base_y + 16}" text-anchor="middle" font-size="14" fill="#1d2733">{year}</text>'
        )
    x = left
    for region in regions:
        parts.append(f'<rect x="{x}" y="{height - 14}" width="10" height="10" fill="{colour[region]}"/>')
        parts.append(f'<text x="{x + 14}" y="{height - 5}" font-size="14" fill="#1d2733">{escape(region)}</text>')
        x += 24 + 15 * len(region)
    parts.append("</svg>")
    return mark_safe("".join(parts))  # built from numbers and escaped names only
