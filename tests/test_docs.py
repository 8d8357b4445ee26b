"""The documentation: a README that stays a front door, and links that lead somewhere."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import ROOT

DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
# [text](target) and ![alt](target); the target ends at the first space or closing parenthesis
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")


def prose(text: str) -> str:
    """``text`` without fenced code blocks and inline code (links there are examples, not links)."""
    text = re.sub(r"^```.*?^```", "", text, flags=re.S | re.M)
    return re.sub(r"`[^`\n]*`", "", text)


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: the rendered text, lower-cased, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading).replace("`", "").strip().lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def anchors(path: Path) -> set[str]:
    text = re.sub(r"^```.*?^```", "", path.read_text(encoding="utf-8"), flags=re.S | re.M)
    seen: dict[str, int] = {}
    found = set()
    for heading in re.findall(r"^#{1,6} (.+)$", text, flags=re.M):
        base = slug(heading)
        n = seen.get(base, 0)
        seen[base] = n + 1
        found.add(base if n == 0 else f"{base}-{n}")
    return found


def relative_links(path: Path) -> list[str]:
    return [t for t in LINK.findall(prose(path.read_text(encoding="utf-8"))) if not re.match(r"[a-z]+:", t)]


def test_readme_is_a_front_door():
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 150, f"README.md has {len(lines)} lines; move detail into docs/ (at most 150)"
    text = "\n".join(lines)
    assert "make run" in text and "make test" in text and "![" in text


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_every_relative_link_points_at_an_existing_file_and_heading(doc):
    broken = []
    for target in relative_links(doc):
        file_part, _, anchor = target.partition("#")
        dest = (doc.parent / file_part).resolve() if file_part else doc
        if not dest.exists():
            broken.append(f"{target}: no file {dest.relative_to(ROOT) if dest.is_relative_to(ROOT) else dest}")
        elif anchor and dest.suffix == ".md" and anchor not in anchors(dest):
            broken.append(f"{target}: no heading #{anchor} in {dest.name}")
    assert broken == [], f"{doc.relative_to(ROOT)}: broken links: {broken}"


def test_the_link_checker_sees_links_and_headings(tmp_path):
    page = tmp_path / "page.md"
    page.write_text(
        "# Plans as versions: from 十四五 to 十五五 (`python -m layout plan …`)\n## 批量核查 (batch check)\n## Tests\n"
        "## Tests\n[a](other.md#x) ![b](pic.png) `[c](code.md)` [d](https://example.org)\n"
        "```\n## not a heading\n[e](fenced.md)\n```\n",
        encoding="utf-8",
    )
    assert relative_links(page) == ["other.md#x", "pic.png"]
    assert anchors(page) == {
        "plans-as-versions-from-十四五-to-十五五-python--m-layout-plan-",
        "批量核查-batch-check",
        "tests",
        "tests-1",
    }


def test_the_architecture_page_names_every_room_and_module():
    from test_build import LAYOUT_DIR, ROOMS

    rows = {}
    for line in (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8").splitlines():
        if m := re.match(r"\| `layout/(\w+)` \|", line):
            rows[m.group(1)] = line
    assert sorted(rows) == sorted(ROOMS), "docs/architecture.md should have one row per room"
    unnamed = [
        f"layout/{room}/{p.name}"
        for room in ROOMS
        for p in sorted((LAYOUT_DIR / room).glob("*.py"))
        if p.name != "__init__.py" and f"`{p.name}`" not in rows[room]
    ]
    assert unnamed == [], f"docs/architecture.md does not name: {unnamed}"
