"""Turn an uploaded file into text the chunker understands (Markdown where structure exists).

HTML goes through a real parser (BeautifulSoup; scripts, styles and page chrome dropped) and
markdownify (headings survive as ``#``), PDF through pypdf (text per page), DOCX through
python-docx (Heading styles become ``#`` levels, tables become rows) once its zip is known to
unpack to a bounded size. Callers run this in a budgeted worker process (:mod:`.worker`).
"""

from __future__ import annotations

import io
import re
from pathlib import PurePath

import msgspec

__all__ = [
    "Extracted",
    "extract",
    "SUPPORTED_SUFFIXES",
    "UnsupportedDocument",
    "UnreadableDocument",
]

SUPPORTED_SUFFIXES = (".md", ".markdown", ".txt", ".html", ".htm", ".pdf", ".docx")


class UnsupportedDocument(ValueError):
    """The file's type is not one kefu can read, or its content is unreadable."""


class UnreadableDocument(UnsupportedDocument):
    """A supported type whose content cannot be read (damaged, not text, scanned images)."""


class Extracted(msgspec.Struct, frozen=True):
    title: str
    text: str
    content_type: str  # text/markdown | text/plain


def extract(data: bytes, filename: str) -> Extracted:
    suffix = PurePath(filename).suffix.lower()
    stem = PurePath(filename).stem.replace("_", " ").replace("-", " ")
    if suffix in (".md", ".markdown"):
        text = _decode(data)
        return Extracted(_markdown_title(text) or stem, text, "text/markdown")
    if suffix == ".txt":
        return Extracted(stem, _decode(data), "text/plain")
    if suffix in (".html", ".htm"):
        return _html(_decode(data), stem)
    if suffix == ".pdf":
        return _pdf(data, stem)
    if suffix == ".docx":
        return _docx(data, stem)
    raise UnsupportedDocument(
        f"{filename}: unsupported file type; use one of {', '.join(SUPPORTED_SUFFIXES)}"
    )


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableDocument("the file is not UTF-8 or GB18030 text")


def _markdown_title(text: str) -> str:
    for line in text.splitlines():
        if line.startswith("# "):
            return line[2:].strip()
        if line.strip():
            return ""
    return ""


_NOT_CONTENT = ("script", "style", "noscript", "template", "iframe", "object", "embed", "svg",
                "nav", "footer", "head", "form")  # fmt: skip


def _html(html: str, stem: str) -> Extracted:
    from bs4 import BeautifulSoup
    from markdownify import MarkdownConverter

    soup = BeautifulSoup(html, "html.parser")
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    for element in soup(list(_NOT_CONTENT)):
        element.decompose()
    text = MarkdownConverter(heading_style="ATX", strip=["img"]).convert_soup(soup).strip()
    text = re.sub(r"\n{3,}", "\n\n", text)
    return Extracted(title or _markdown_title(text) or stem, text, "text/markdown")


def _pdf(data: bytes, stem: str) -> Extracted:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [(page.extract_text() or "").strip() for page in reader.pages]
        title = (reader.metadata.title if reader.metadata and reader.metadata.title else "") or stem
    except (PdfReadError, ValueError, KeyError) as exc:
        raise UnreadableDocument(f"unreadable PDF: {exc}") from exc
    text = "\n\n".join(p for p in pages if p)
    if not text:
        raise UnreadableDocument("the PDF has no extractable text (scanned images need OCR first)")
    return Extracted(str(title), text, "text/plain")


#: A DOCX is a zip: refuse one that unpacks past this, or past this many times its size.
DOCX_MAX_UNPACKED = 64 * 1_048_576
DOCX_MAX_RATIO = 100


def _check_zip(data: bytes) -> None:
    """Refuse a zip bomb before any parser inflates it."""
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise UnreadableDocument(f"unreadable DOCX: {exc}") from exc
    if unpacked > DOCX_MAX_UNPACKED or unpacked > DOCX_MAX_RATIO * max(len(data), 1):
        raise UnreadableDocument(
            f"the DOCX unpacks to {unpacked} bytes (limit {DOCX_MAX_UNPACKED}, "
            f"or {DOCX_MAX_RATIO}x its size): not a document kefu will open"
        )


def _docx(data: bytes, stem: str) -> Extracted:
    import zipfile

    import docx
    from docx.opc.exceptions import PackageNotFoundError

    _check_zip(data)
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, ValueError, KeyError) as exc:
        raise UnreadableDocument(f"unreadable DOCX: {exc}") from exc
    lines: list[str] = []
    title = document.core_properties.title or ""
    for paragraph in document.paragraphs:
        text = paragraph.text.strip()
        if not text:
            continue
        style = (paragraph.style.name if paragraph.style is not None else "") or ""
        if style == "Title":
            title = title or text
            lines.append(f"# {text}")
        elif style.startswith("Heading"):
            level = int(style.split()[-1]) if style.split()[-1].isdigit() else 2
            lines.append(f"{'#' * min(6, level + 1)} {text}")
        else:
            lines.append(text)
        lines.append("")
    for table in document.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text.strip() for cell in row.cells))
        lines.append("")
    return Extracted(title or stem, "\n".join(lines).strip(), "text/markdown")
