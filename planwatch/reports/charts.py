"""Charts for the documents: PNG images drawn with matplotlib in the Noto CJK font.

The font comes from the system's fonts-noto-cjk package (the set-up installs it) and is
registered by path, so that Chinese text never falls back to a font without the glyphs. The
figures are built without pyplot: no global figure registry, nothing left open between builds.
"""

import io
from functools import cache
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from matplotlib import font_manager, rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from planwatch.catalog import numbers
from planwatch.evaluation.vocabulary import STATUS_COLOURS

FONT_DIR = Path("/usr/share/fonts/opentype/noto")
FONT_FILES = ("NotoSansCJK-Regular.ttc", "NotoSerifCJK-Regular.ttc")
FONT_FAMILY = "Noto Sans CJK SC"
MM = 1 / 25.4  # inches
DPI = 200
# Status colours are the dashboard's, so that a reader recognises them on paper.
COLOURS = {str(k): v for k, v in STATUS_COLOURS.items()}
SERIES_COLOUR = "#1c7ed6"
TARGET_COLOUR = "#c92a2a"
FORECAST_COLOUR = "#868e96"


@cache
def cjk_font_path() -> str:
    """Register the Noto CJK faces once and return the file the chart font resolves to."""
    for name in FONT_FILES:
        path = FONT_DIR / name
        if path.exists():
            font_manager.fontManager.addfont(str(path))
    try:
        found = font_manager.findfont(
            font_manager.FontProperties(family=FONT_FAMILY), fallback_to_default=False
        )
    except ValueError:
        found = ""
    if "NotoSansCJK" not in Path(found).name:
        raise ImproperlyConfigured(
            f"The chart font {FONT_FAMILY} is missing: install the fonts-noto-cjk package."
        )
    return found


def cjk_style():
    """The charts' matplotlib settings, as a context manager: CJK font, small type, no frame."""
    cjk_font_path()
    return rc_context(
        {
            "font.family": "sans-serif",
            "font.sans-serif": [FONT_FAMILY],
            "axes.unicode_minus": False,  # the CJK font's minus sign is the ASCII one
            "font.size": 8,
            "axes.titlesize": 8.5,
            "axes.spines.top": False,
            "axes.spines.right": False,
        }
    )


def _png(fig: Figure) -> bytes:
    FigureCanvasAgg(fig)
    out = io.BytesIO()
    # No date or software version in the file: the same data draws the same bytes.
    fig.savefig(out, format="png", dpi=DPI, metadata={"Software": None})
    return out.getvalue()


def status_by_area(lines: list[tuple[str, dict]], status_labels: dict) -> bytes:
    """Horizontal stacked bars: for every area, its targets by status."""
    with cjk_style():
        height = 22 + 8 * len(lines)
        fig = Figure(figsize=(150 * MM, height * MM))
        ax = fig.add_axes((0.22, 0.2 + 6 / height, 0.76, 1 - (0.24 + 14 / height)))
        names = [name for name, _ in lines][::-1]
        left = [0] * len(lines)
        for status, label in status_labels.items():
            counts = [counts.get(status, 0) for _, counts in lines][::-1]
            if not any(counts):
                continue
            ax.barh(names, counts, left=left, color=COLOURS[status], label=label, height=0.6)
            for i, n in enumerate(counts):
                if n:
                    ax.text(left[i] + n / 2, i, str(n), ha="center", va="center", color="white")
            left = [a + b for a, b in zip(left, counts, strict=True)]
        ax.set_xlabel("目标数（个）")
        ax.xaxis.get_major_locator().set_params(integer=True)
        fig.legend(loc="lower center", ncol=4, frameon=False, fontsize=7.5)
        return _png(fig)


def series_grid(panels: list[dict], *, columns: int = 3) -> bytes:
    """Small multiples of key series: district values, the target, the forecast where given.

    Each panel: {"title", "unit", "values": {year: value}, "threshold", "target_year",
    "forecast": [{"year", "value", "lo80", "hi80"}], "status"}.
    """
    with cjk_style():
        rows = -(-len(panels) // columns)
        fig = Figure(figsize=(156 * MM, (8 + 52 * rows) * MM))
        axes = fig.subplots(rows, columns, squeeze=False)
        for ax, panel in zip(axes.flat, panels, strict=False):
            _panel(ax, panel)
        for ax in list(axes.flat)[len(panels) :]:
            ax.set_visible(False)
        fig.tight_layout(pad=0.6, h_pad=1.2, w_pad=0.8)
        return _png(fig)


def _panel(ax, panel: dict) -> None:
    values = panel["values"]
    years = sorted(values)
    ax.plot(years, [values[y] for y in years], marker="o", ms=2.5, lw=1.4, color=SERIES_COLOUR)
    forecast = panel.get("forecast") or []
    if forecast and years:
        fy = [years[-1]] + [p["year"] for p in forecast]
        fv = [values[years[-1]]] + [p["value"] for p in forecast]
        ax.plot(fy, fv, ls="--", lw=1, color=FORECAST_COLOUR)
        ax.fill_between(
            [p["year"] for p in forecast],
            [p["lo80"] for p in forecast],
            [p["hi80"] for p in forecast],
            color=FORECAST_COLOUR,
            alpha=0.18,
            lw=0,
        )
    threshold = panel.get("threshold")
    if threshold is not None:
        ax.axhline(threshold, color=TARGET_COLOUR, lw=0.9, ls=":")
        ax.annotate(
            f"目标 {numbers.number(threshold, 2, trim=True)}",
            xy=(1, threshold),
            xycoords=("axes fraction", "data"),
            ha="right",
            va="bottom",
            fontsize=6.5,
            color=TARGET_COLOUR,
        )
    end = max([*years, *(p["year"] for p in forecast)] or [panel.get("target_year", 2030)])
    start = min(years) if years else end - 1
    ax.set_xlim(start - 0.4, end + 0.4)
    ax.xaxis.get_major_locator().set_params(integer=True)
    if panel.get("from_zero"):
        # Rates and shares start at 0, so that noise of a tenth does not look like a slump.
        top = max(
            [*values.values(), threshold or 0, *(p.get("hi80") or 0 for p in forecast)] or [1]
        )
        ax.set_ylim(0, top * 1.08 if top > 0 else 1)
    ax.tick_params(labelsize=6.5)
    title = panel["title"]
    if len(title) > 14:
        title = title[:13] + "…"
    ax.set_title(title, loc="left")
    unit = panel.get("unit")
    if unit:
        ax.set_ylabel(unit, fontsize=6.5)
    status = panel.get("status")
    if status:
        ax.spines["left"].set_color(COLOURS.get(status, "#333333"))
        ax.spines["left"].set_linewidth(2)
    if not years:
        ax.text(0.5, 0.5, "无数据", transform=ax.transAxes, ha="center", va="center")


def rates_by_area(names: list[str], series: list[tuple[str, list[float], str]]) -> bytes:
    """Grouped bars of rates (0–1) by area, e.g. 达标率 and 预计达标率."""
    with cjk_style():
        fig = Figure(figsize=(150 * MM, 80 * MM))
        ax = fig.add_axes((0.09, 0.3, 0.89, 0.6))
        width = 0.8 / max(len(series), 1)
        for k, (label, rates, colour) in enumerate(series):
            xs = [i + (k - (len(series) - 1) / 2) * width for i in range(len(names))]
            ax.bar(xs, [r * 100 for r in rates], width=width, color=colour, label=label)
            for x, r in zip(xs, rates, strict=True):
                ax.text(x, r * 100 + 1.5, numbers.number(r * 100, 0), ha="center", fontsize=6.5)
        ax.set_xticks(range(len(names)))
        ax.set_xticklabels(names, rotation=30, ha="right")
        ax.set_ylim(0, 110)
        ax.set_ylabel("百分比（%）")
        ax.legend(frameon=False, ncol=len(series), loc="upper right", fontsize=7)
        return _png(fig)
