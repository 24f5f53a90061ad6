"""Uploaded files become searchable text: Markdown, text, HTML, PDF, DOCX."""

from __future__ import annotations

import io

import pytest

from shared.kb.chunk import chunk_markdown
from shared.kb.extract import UnsupportedDocument, extract


def minimal_pdf(lines: list[str]) -> bytes:
    """A one-page PDF with Helvetica text, written by hand (no PDF writer needed)."""
    content = (
        "BT /F1 12 Tf 72 720 Td " + " ".join(f"({line}) Tj 0 -16 Td" for line in lines) + " ET"
    )
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        f"<< /Length {len(content)} >>\nstream\n{content}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = io.BytesIO(), []
    out.write(b"%PDF-1.4\n")
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n{body}\nendobj\n".encode())
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()


def test_html_keeps_headings_and_drops_scripts():
    html = b"""<html><head><title>Shop help</title><script>var x = 1;</script></head>
    <body><nav>Home | Cart</nav><h2>Returns</h2><p>Return within <b>30 days</b>.</p>
    <h2>Shipping</h2><ul><li>Free over $49</li></ul></body></html>"""
    doc = extract(html, "help.html")
    assert doc.title == "Shop help"
    assert doc.content_type == "text/markdown"
    assert "var x" not in doc.text and "Home | Cart" not in doc.text
    chunks = chunk_markdown(doc.text, title=doc.title)
    assert [c.heading for c in chunks] == ["Shop help > Returns", "Shop help > Shipping"]
    assert "30 days" in chunks[0].text


def test_docx_headings_become_sections_and_tables_rows():
    import docx

    document = docx.Document()
    document.add_heading("Warranty guide", level=0)
    document.add_heading("How long is the warranty?", level=1)
    document.add_paragraph("Furniture has a 2-year warranty.")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Lamps", "2 years"
    buffer = io.BytesIO()
    document.save(buffer)
    doc = extract(buffer.getvalue(), "warranty.docx")
    assert doc.title == "Warranty guide"
    chunks = chunk_markdown(doc.text, title=doc.title)
    assert chunks[0].heading == "Warranty guide > How long is the warranty?"
    assert "2-year warranty" in chunks[0].text and "Lamps | 2 years" in doc.text


def test_pdf_text_is_extracted():
    doc = extract(
        minimal_pdf(["Gift cards never expire.", "One code per order."]), "promo-rules.pdf"
    )
    assert "Gift cards never expire." in doc.text
    assert doc.title == "promo rules"


def test_chinese_text_in_gb18030_is_read():
    doc = extract("退货政策：签收后30天内可退货。".encode("gb18030"), "退货.txt")
    assert "30天" in doc.text


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"MZ\x90\x00", "setup.exe", "unsupported file type"),
        (b"not a pdf at all", "broken.pdf", "unreadable PDF"),
        (b"PK\x03\x04 nope", "broken.docx", "unreadable DOCX"),
        (minimal_pdf([]), "empty.pdf", "no extractable text"),
    ],
)
def test_unreadable_files_are_refused_clearly(data, name, message):
    with pytest.raises(UnsupportedDocument, match=message):
        extract(data, name)
