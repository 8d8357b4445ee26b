"""The 草案 mark on files made from a draft plan: maps (PNG, HTML), decks (PPTX) and workbooks (XLSX).

Applied to the finished file's bytes, so the modules that draw maps and reports stay as they are. PDF is not
marked here: the CLI refuses a PDF from a draft rather than write one without the mark.
"""

from __future__ import annotations

import io

from layout.errors import InputError

__all__ = ["MARKABLE", "mark_draft"]

MARKABLE = ("png", "html", "pptx", "xlsx")
RED = (192, 0, 0)


def _text(name: str) -> str:
    return f"草案 · {name} · 未经批准"


def mark_draft(data: bytes, fmt: str, *, name: str) -> bytes:
    """``data`` (a file in ``fmt``) with the 草案 mark of the draft ``name``.

    Raises
    ------
    InputError
        For a format that cannot carry the mark (pdf): choose png, html, pptx or xlsx.
    """
    fmt = fmt.lower()
    if fmt == "html":
        banner = (
            f'<div style="position:fixed;top:0;left:0;right:0;z-index:10000;background:#c00000;color:#fff;'
            f'font:bold 16px sans-serif;text-align:center;padding:4px">{_text(name)}</div>'
        )
        text = data.decode("utf-8")
        at = text.find("<body")
        at = text.find(">", at) + 1 if at >= 0 else 0
        return (text[:at] + banner + text[at:]).encode("utf-8")
    if fmt == "png":
        from PIL import Image, ImageDraw, ImageFont

        from layout.render.fonts import cjk_font_path

        img = Image.open(io.BytesIO(data)).convert("RGBA")
        size = max(24, img.width // 30)
        font = ImageFont.truetype(str(cjk_font_path()), size)
        draw = ImageDraw.Draw(img)
        draw.text((size // 2, size // 2), _text(name), fill=(*RED, 255), font=font)
        out = io.BytesIO()
        img.save(out, format="PNG")
        return out.getvalue()
    if fmt == "pptx":
        from pptx import Presentation
        from pptx.dml.color import RGBColor
        from pptx.util import Emu, Pt

        prs = Presentation(io.BytesIO(data))
        for slide in prs.slides:
            box = slide.shapes.add_textbox(Emu(prs.slide_width // 2), Emu(0), Emu(prs.slide_width // 2), Pt(24))
            box.text_frame.text = _text(name)
            run = box.text_frame.paragraphs[0].runs[0]
            run.font.size, run.font.bold, run.font.color.rgb = Pt(12), True, RGBColor(*RED)
        out = io.BytesIO()
        prs.save(out)
        return out.getvalue()
    if fmt == "xlsx":
        from openpyxl import load_workbook

        wb = load_workbook(io.BytesIO(data))
        for ws in wb.worksheets:
            ws.oddHeader.center.text = _text(name)
        note = wb.create_sheet("草案", 0)
        note["A1"] = _text(name)
        note["A2"] = "本文件由规划草案生成，草案内容均为编制人员录入，尚未批准。"
        wb.properties.title = f"【草案】{wb.properties.title or ''}"
        out = io.BytesIO()
        wb.save(out)
        return out.getvalue()
    raise InputError(
        f"--format {fmt}: 草案 {name} 暂不能输出 {fmt}（无法加草案标记）；请用 png、html、pptx 或 xlsx / "
        f"a file from a draft must carry the 草案 mark; use png, html, pptx or xlsx"
    )
