"""Charts of actions, drawn on the server as SVG by pygal.

pygal was chosen over matplotlib's SVG backend: it is pure Python with no
numpy, writes SVG natively with real <text> (small files, readable by screen
readers and search), and its stacked and horizontal bar charts are what we
need. Its tooltip JavaScript (fetched from a CDN by default) is turned off
and any <script> it writes is removed: the charts are static images that
work in an <img>, an embed, and with JavaScript off. Each SVG carries a
<title> and <desc> (role="img"), and every page that shows a chart shows its
numbers in a table too.
"""

import re

import pygal
from markupsafe import escape
from pygal.style import Style

from policy_ledger.api.resources.stats import GROUPS, group_rows
from policy_ledger.api.web.format import short_money, words

# Colour-blind-safe (Okabe-Ito) and then Tableau's, for up to 12 series.
COLOURS = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#000000",
    "#8C564B",
    "#7F7F7F",
    "#BCBD22",
    "#17BECF",
)
STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#1a1a1a",
    foreground_strong="#1a1a1a",
    foreground_subtle="#d0d0d0",
    opacity="1",
    opacity_hover="1",
    colors=COLOURS,
    font_family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
    label_font_size=13,
    major_label_font_size=13,
    legend_font_size=13,
    title_font_size=16,
    value_font_size=12,
)
MEASURES = {"count": "Number of actions", "amount_eur": "Total amount (EUR)"}
_SCRIPT = re.compile(r"<script\b.*?</script>", re.S)


def _config(**extra) -> dict:
    return {
        **dict(
            style=STYLE,
            js=[],
            disable_xml_declaration=True,
            legend_at_bottom=True,
            legend_at_bottom_columns=3,
            print_values=False,
            show_y_guides=True,
            width=800,
            height=460,
            margin=16,
            truncate_label=40,
            truncate_legend=30,
        ),
        **extra,
    }


def _finish(svg: str, title: str, desc: str) -> str:
    """Drop pygal's script and give the chart an accessible name and description."""
    svg = _SCRIPT.sub("", svg)
    head_end = svg.index(">", svg.index("<svg")) + 1
    opening = svg[:head_end].replace(
        "<svg ", '<svg role="img" aria-labelledby="chart-title chart-desc" ', 1
    )
    labels = (
        f'<title id="chart-title">{escape(title)}</title>'
        f'<desc id="chart-desc">{escape(desc)}</desc>'
    )
    return opening + labels + svg[head_end:]


def _count_ticks(top: int) -> list[int]:
    """Whole-number axis labels for counts (pygal would draw 0.2, 0.4, ...)."""
    step = max(1, -(-top // 8))
    return list(range(0, top + step, step))


def describe(rows: list[dict], measure: str, what: str) -> str:
    """A sentence a screen reader can say instead of the picture."""
    if not rows:
        return f"No actions match: the chart of {what} is empty."
    value = (lambda r: r["count"]) if measure == "count" else (lambda r: r["amount_eur"])
    shown = "; ".join(f"{r['label']}: {_fmt(value(r), measure)}" for r in rows[:30])
    more = f"; and {len(rows) - 30} more" if len(rows) > 30 else ""
    return f"{MEASURES[measure]} by {what}. {shown}{more}."


def _fmt(value, measure: str) -> str:
    return str(value) if measure == "count" else short_money(value, "EUR")


def grouped_chart(args: dict, measure: str = "count", title: str | None = None):
    """Actions per group under /v1/stats/actions filters: (svg, rows, title, desc)."""
    group = args["group_by"]
    rows = group_rows(args)
    what = group.replace("_", " ")
    title = title or f"{MEASURES[measure]} by {what}"
    values = [r["count"] if measure == "count" else r["amount_eur"] for r in rows]
    labels = [r["label"] if group != "type" else words(r["label"]) for r in rows]
    if group == "year":
        chart = pygal.Bar(**_config(title=title, show_legend=False, x_title="Year"))
        chart.x_labels = labels
    else:
        rows_shown = max(len(rows), 1)
        chart = pygal.HorizontalBar(
            **_config(title=title, show_legend=False, height=max(240, 90 + 30 * rows_shown))
        )
        chart.x_labels = labels
    if measure == "amount_eur":
        chart.value_formatter = lambda v: short_money(v, "EUR")
    elif values:
        chart.y_labels = _count_ticks(max(values))
    chart.add(MEASURES[measure], values)
    desc = describe(rows, measure, what)
    return _finish(chart.render(is_unicode=True), title, desc), rows, title, desc


def per_year_by_type(filters: dict, vocab_types: list[str]):
    """Actions per year, stacked by type: (svg, table rows, title, desc)."""
    title = "Actions per year, by type"
    per_type = {}
    years: set[str] = set()
    for action_type in vocab_types:
        rows = group_rows({**filters, "type": [action_type], "group_by": "year"})
        if rows:
            per_type[action_type] = {r["key"]: r["count"] for r in rows}
            years.update(per_type[action_type])
    ordered = sorted(years)
    chart = pygal.StackedBar(**_config(title=title, x_title="Year"))
    chart.x_labels = ordered
    for action_type, counts in per_type.items():
        chart.add(words(action_type), [counts.get(y) for y in ordered])
    if ordered:
        chart.y_labels = _count_ticks(
            max(sum(c.get(y, 0) for c in per_type.values()) for y in ordered)
        )
    table = [{"year": y, "counts": {t: c.get(y, 0) for t, c in per_type.items()}} for y in ordered]
    totals = {y: sum(c.get(y, 0) for c in per_type.values()) for y in ordered}
    desc = (
        "Number of actions each year, split by type. "
        + "; ".join(f"{y}: {totals[y]}" for y in ordered)
        + "."
        if ordered
        else "No actions."
    )
    return _finish(chart.render(is_unicode=True), title, desc), table, list(per_type), title, desc


GROUP_NAMES = tuple(GROUPS)
