"""Split documents into passages: by Markdown headings, then by paragraphs with overlap."""

from __future__ import annotations

import re

import msgspec

__all__ = ["Chunk", "chunk_markdown", "chunk_text"]

_HEADING = re.compile(r"(#{1,6})[ \t]+(\S.*)")


class Chunk(msgspec.Struct, frozen=True, gc=False):  # strings only: no cycles
    heading: str
    text: str
    terms: str = ""  # retrieval terms, space-separated (filled by kb.worker.prepare_text)


_LIST_ITEM = re.compile(r"(?:[-*+]|\d+[.)])\s")


def _heading(line: str) -> tuple[int, str] | None:
    """(level, text) of a Markdown ATX heading line (``## Returns ##``), else None."""
    match = _HEADING.match(line) if line.startswith("#") else None
    if match is None:
        return None
    return len(match.group(1)), match.group(2).rstrip().rstrip("#").rstrip() or match.group(2)


def _ends_cjk(text: str) -> bool:
    return bool(text) and ("\u3000" <= text[-1] <= "\u9fff" or "\uff00" <= text[-1] <= "\uffef")


def _unwrap(paragraph: str) -> str:
    """Join hard-wrapped lines (no space between Chinese lines); keep list items apart.

    Linear in the paragraph: pieces are joined once (a document of many short lines is a
    paragraph of many lines)."""
    lines = [line.strip() for line in paragraph.strip().splitlines()]
    parts = [lines[0]]
    for previous, line in zip(lines, lines[1:], strict=False):
        if _LIST_ITEM.match(line):
            parts.append("\n")
        elif not _ends_cjk(previous):
            parts.append(" ")
        parts.append(line)
    return "".join(parts)


def chunk_text(
    text: str, *, heading: str = "", max_chars: int = 1200, overlap: int = 1
) -> list[Chunk]:
    """Paragraph windows of at most ``max_chars``, each repeating ``overlap`` paragraphs."""
    paragraphs = [_unwrap(p) for p in re.split(r"\n\s*\n", text) if p.strip()]
    chunks: list[Chunk] = []
    window: list[str] = []
    for para in paragraphs:
        if len(para) > max_chars:  # one huge paragraph: hard split (by offsets, not copies)
            if window:
                chunks.append(Chunk(heading, "\n\n".join(window)))
                window = []
            cut = (len(para) - 1) // max_chars * max_chars  # the rest (<= max) goes on
            chunks.extend(Chunk(heading, para[i : i + max_chars]) for i in range(0, cut, max_chars))
            para = para[cut:]
        if window and len("\n\n".join([*window, para])) > max_chars:
            chunks.append(Chunk(heading, "\n\n".join(window)))
            window = window[-overlap:] if overlap else []
            if len("\n\n".join([*window, para])) > max_chars:
                window = []
        window.append(para)
    if window:
        chunks.append(Chunk(heading, "\n\n".join(window)))
    return chunks


def chunk_markdown(text: str, *, title: str = "", max_chars: int = 1200) -> list[Chunk]:
    """One or more chunks per section; the heading names the section (``Doc > Section``)."""
    sections: list[tuple[str, list[str]]] = [("", [])]
    for line in text.splitlines():
        heading = _heading(line)
        if heading is None:
            sections[-1][1].append(line)
        elif heading[0] == 1 and not title:
            title = heading[1]  # a top-level "# Title" names the document
        else:
            sections.append((heading[1], []))
    chunks: list[Chunk] = []
    for heading, lines in sections:
        body = "\n".join(lines).strip()
        if not body:
            continue
        name = " > ".join(part for part in (title, heading) if part) if heading else title
        chunks.extend(chunk_text(body, heading=name, max_chars=max_chars))
    return chunks
