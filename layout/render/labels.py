"""How a catalog row reads: the county it is filed under, the plan's verbs as labels and kinds of work,
project names in a language, and the explorer's plain project table."""

from __future__ import annotations

import numpy as np
import pandas as pd

from layout.i18n import t
from layout.plan.zones import zone_names

__all__ = [
    "ACTIONS",
    "action_label",
    "action_phrase",
    "effective_county",
    "project_names",
    "project_table",
    "shares_any",
]


def effective_county(catalog: pd.DataFrame) -> pd.Series:
    """The county a row is filed under: its stated ``county``, else the one its point falls in."""
    stated = catalog["county"].fillna("").astype(str)
    computed = catalog.get("computed_county", pd.Series("", index=catalog.index)).fillna("").astype(str)
    return stated.where(stated != "", computed)


def shares_any(column: pd.Series, wanted: tuple[str, ...]) -> np.ndarray:
    """Rows whose tuple-valued ``column`` shares a value with ``wanted``."""
    want = set(wanted)
    return np.fromiter((bool(want.intersection(v or ())) for v in column), dtype=bool, count=len(column))


#: The plan's verbs (the catalog's ``action``) in English, and the kind of work each names. Verbs that
#: name no kind of construction (依托, 利用, 支持 …) have kind ``None``: tables and decks show no action.
ACTIONS: dict[str, tuple[str, str | None]] = {
    "新建": ("new build", "new"),
    "续建": ("continued build", "continued"),
    "升级改造": ("upgrade", "upgrade"),
    "改造提升": ("upgrade and improve", "upgrade"),
    "改造升级": ("upgrade", "upgrade"),
    "以…为载体": ("build on", None),
    "建设": ("build", "build"),
    "加快建设": ("speed up building", "build"),
    "重点建设": ("build as a priority", "build"),
    "推动建设": ("push building", "build"),
    "统筹建设": ("build in coordination", "build"),
    "规划建设": ("plan and build", "build"),
    "参与建设": ("take part in building", "build"),
    "建好": ("build", "build"),
    "搭建": ("set up", "build"),
    "打造": ("develop", "build"),
    "开发": ("develop", "build"),
    "开辟": ("open up", "build"),
    "布局": ("lay out", "build"),
    "推进": ("advance", "advance"),
    "统筹推进": ("advance in coordination", "advance"),
    "启动": ("launch", "advance"),
    "完善": ("complete", "improve"),
    "加快完善": ("speed up completing", "improve"),
    "优化": ("optimise", "improve"),
    "提升": ("improve", "improve"),
    "加强": ("strengthen", "improve"),
    "运行": ("operate", "operate"),
    "上线运行": ("go live", "operate"),
    "依托": ("rely on", None),
    "利用": ("make use of", None),
    "挖掘": ("tap", None),
    "支持": ("support", None),
    "落户": ("attract", None),
    "落实": ("carry out", None),
}


def _action(action: str) -> tuple[str, str | None]:
    """(English, kind) of a verb, or of the longest known verb it starts with (重点建设… → 重点建设)."""
    if action in ACTIONS:
        return ACTIONS[action]
    known = [v for v in ACTIONS if action.startswith(v)]
    return ACTIONS[max(known, key=len)] if known else (action, None)


def action_label(action: str, lang: str = "zh") -> str:
    """The plan's verb as the filter shows it: as written in Chinese, translated in English."""
    if lang == "zh" or not action:
        return action
    english = _action(action)[0]
    return english[:1].upper() + english[1:]


def action_phrase(action, lang: str = "zh") -> str:
    """What kind of work a project is, as a readable phrase (新建项目, Upgrade …); "" when the plan's verb
    names none (依托, 利用 …) or there is no verb."""
    kind = _action(str(action or ""))[1]
    return t(f"action_kind.{kind}", lang) if kind else ""


def project_names(catalog: pd.DataFrame, lang: str = "zh") -> pd.Series:
    """Projects' names in ``lang``: in English the catalog's ``name_en`` where it has one, else the Chinese."""
    name = catalog["name"].astype(str)
    if lang == "en" and "name_en" in catalog:
        english = catalog["name_en"].fillna("").astype(str)
        name = english.where(english != "", name)
    return name


def project_table(catalog: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Catalog rows as the explorer's plain project table, headers and labels in ``lang``.

    Parameters
    ----------
    catalog
        Catalog rows (:func:`layout.catalog.projects.load_catalog` columns).
    lang
        "zh" or "en": headers, sectors, actions, zones and precisions in that language; the English
        name where the catalog has one.

    Returns
    -------
    One row per project, text only (``st.dataframe`` never renders HTML).
    """
    return pd.DataFrame(
        {
            t("field.id", lang): catalog["id"].astype(str).to_numpy(),
            t("field.name", lang): project_names(catalog, lang).to_numpy(),
            t("field.sector", lang): [t(f"sector.{s}", lang, default=s) for s in catalog["sector"].astype(str)],
            t("field.action", lang): [action_label(a, lang) for a in catalog["action"].fillna("").astype(str)],
            t("field.county", lang): effective_county(catalog).to_numpy(),
            t("field.zones", lang): [zone_names(z, lang) for z in catalog["zones"]],
            t("field.poles", lang): [zone_names(p, lang) for p in catalog["poles"]],
            t("field.precision", lang): [t(f"precision.{p}", lang) for p in catalog["precision"]],
            t("field.plan_section", lang): catalog["plan_section"].fillna("").astype(str).to_numpy(),
            t("field.plan_quote", lang): catalog["plan_quote"].fillna("").astype(str).to_numpy(),
        }
    )
