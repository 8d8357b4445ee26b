"""The evaluation's status map: the print map's machinery (:func:`layout.render.printmap.draw_map`) with
projects coloured by their status on the report's date, as a Figure or PNG bytes.
"""

from __future__ import annotations

from layout.evaluation.figures import (
    STATUS_ORDER,
    reported_line,
    status_label,
)
from layout.evaluation.partition import MUNICIPAL
from layout.evaluation.report import DEMO_RED, MIN_PT, Report, fmt_value, report_title, source_line
from layout.i18n import t
from layout.plan.text import PLAN_TITLE
from layout.render.palette import status_color

# --------------------------------------------------------------------------------------------
# The status map (print-map machinery, projects coloured by status)


def status_map_figure(
    report: Report, *, lang: str = "zh", figsize: tuple[float, float] | None = None, titles: bool = True
):
    """The print map of the report's scope with every project coloured by its status (未填报 grey)."""
    import matplotlib

    from layout.render.fonts import RENDER_LOCK, font_rc
    from layout.render.printmap import draw_map
    from layout.render.printmap_plan import PAGE_SIZE

    with RENDER_LOCK, matplotlib.rc_context(font_rc()):
        return _status_map(report, lang=lang, figsize=figsize or PAGE_SIZE, titles=titles, draw_map=draw_map)


def _status_map(report: Report, *, lang: str, figsize: tuple[float, float], titles: bool, draw_map):
    ev = report.evaluation
    cat = report.catalog.set_index("id", drop=False)
    projects = ev.projects.reindex(cat.index)
    labels = {s: status_label(s, lang) for s in STATUS_ORDER}
    cat = cat.assign(
        sector=projects["status"].map(labels).to_numpy(),
        lon=projects["lon"].to_numpy(),
        lat=projects["lat"].to_numpy(),
        precision=projects["precision"].to_numpy(),
    ).reset_index(drop=True)
    colors = {labels[s]: status_color(s) for s in STATUS_ORDER}
    fig = draw_map(
        "city" if ev.scope == MUNICIPAL else ev.scope,
        cat,
        lang=lang,
        figsize=figsize,
        sectors=list(labels.values()),
        colors=colors,
        titles=titles,
        made=report.made,
    )
    if titles and len(fig.texts) >= 3:
        fig.texts[0].set_text(report_title(report, lang))
        total = ev.total
        fig.texts[1].set_text(
            " ｜ ".join(
                [
                    reported_line(total, lang),
                    f"{t('eval.col.share_started', lang)} {fmt_value('share_started', total['share_started'])}",
                    f"{t('eval.col.share_completed', lang)} {fmt_value('share_completed', total['share_completed'])}",
                ]
            )
        )
        credits = fig.texts[-1].get_text().replace(PLAN_TITLE, t("eval.plan_title", lang))  # English in English
        fig.texts[-1].set_text(source_line(report, lang) + "\n" + credits)
    if report.demo:
        mark_demo(fig, lang, alpha=0.35)
    from matplotlib.text import Text

    for text in fig.findobj(Text):  # printed at true size: nothing under 8 pt
        if text.get_text() and text.get_fontsize() < MIN_PT:
            text.set_fontsize(MIN_PT)
    return fig


def mark_demo(fig, lang: str, *, alpha: float = 0.3) -> None:
    """ "演示数据" / "demo data" across the middle of ``fig``, in red at ``alpha``."""
    fig.text(
        0.5,
        0.5,
        t("eval.demo_mark", lang),
        fontsize=48,
        color=DEMO_RED,
        alpha=alpha,
        rotation=20,
        ha="center",
        va="center",
    )


def map_png(report: Report, *, lang: str = "zh", figsize: tuple[float, float] = (7.45, 5.55), dpi: int = 160) -> bytes:
    from layout.render.export import figure_bytes

    return figure_bytes(status_map_figure(report, lang=lang, figsize=figsize, titles=False), "png", dpi=dpi)
