"""The plan's text (益阳市“十四五”服务业发展规划), shipped with the package, and quote look-ups.

Quotes are compared with all whitespace removed: the source text carries page-break artefacts
(line breaks inside words, spaces around numbers) that a quote need not reproduce.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

__all__ = ["PLAN_FILE", "PLAN_TITLE", "load_plan_text", "plan_sentences", "quote_in_plan", "sentences_naming", "squash"]

PLAN_FILE = Path(__file__).with_name("plan.txt")
PLAN_TITLE = "益阳市“十四五”服务业发展规划"
_SENTENCE_END = re.compile(r"(?<=[。；！？])")


def squash(text: str) -> str:
    """``text`` with every whitespace character removed."""
    return "".join(text.split())


@cache
def load_plan_text() -> str:
    return PLAN_FILE.read_text(encoding="utf-8")


@cache
def _squashed_plan() -> str:
    return squash(load_plan_text())


def quote_in_plan(quote: str) -> bool:
    """Whether ``quote`` occurs verbatim in the plan (whitespace ignored)."""
    q = squash(quote)
    return bool(q) and q in _squashed_plan()


@cache
def plan_sentences() -> tuple[str, ...]:
    """The plan's sentences, whitespace removed. Headings end a sentence; blank lines do not, since
    the source breaks paragraphs (even words) at page ends."""
    blocks: list[str] = []
    current: list[str] = []
    for line in load_plan_text().splitlines():
        if line.lstrip().startswith("#"):
            blocks.append("".join(current))
            current = []
        else:
            current.append(squash(line))
    blocks.append("".join(current))
    return tuple(s for block in blocks for s in _SENTENCE_END.split(block) if s)


def sentences_naming(*names: str) -> list[str]:
    """Every sentence of the plan that contains any of ``names``, in plan order."""
    keys = [squash(n) for n in names if n]
    return [s for s in plan_sentences() if any(k in s for k in keys)]
