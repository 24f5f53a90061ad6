"""Split documents into passages: by Markdown headings, then by paragraphs with overlap."""

from __future__ import annotations

import re

import msgspec

__all__ = ["Chunk", "chunk_markdown", "chunk_text"]

_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")


class Chunk(msgspec.Struct, frozen=True):
    heading: str
    text: str


_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s")
_CJK_END = re.compile(r"[\u3000-\u9fff\uff00-\uffef]$")


def _unwrap(paragraph: str) -> str:
    """Join hard-wrapped lines (no space between Chinese lines); keep list items apart."""
    lines = [line.strip() for line in paragraph.strip().splitlines()]
    out = lines[0]
    for line in lines[1:]:
        if _LIST_ITEM.match(line):
            out += "\n" + line
        elif _CJK_END.search(out) or not out:
            out += line
        else:
            out += " " + line
    return out


def chunk_text(
    text: str, *, heading: str = "", max_chars: int = 1200, overlap: int = 1
) -> list[Chunk]:
    """Paragraph windows of at most ``max_chars``, each repeating ``overlap`` paragraphs."""
    paragraphs = [_unwrap(p) for p in re.split(r"\n\s*\n", text) if p.strip()]
    chunks: list[Chunk] = []
    window: list[str] = []
    for para in paragraphs:
        while len(para) > max_chars:  # one huge paragraph: hard split
            head, para = para[:max_chars], para[max_chars:]
            if window:
                chunks.append(Chunk(heading, "\n\n".join(window)))
                window = []
            chunks.append(Chunk(heading, head))
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
        match = _HEADING.match(line)
        if match is None:
            sections[-1][1].append(line)
        elif len(match.group(1)) == 1 and not title:
            title = match.group(2)  # a top-level "# Title" names the document
        else:
            sections.append((match.group(2), []))
    chunks: list[Chunk] = []
    for heading, lines in sections:
        body = "\n".join(lines).strip()
        if not body:
            continue
        name = " > ".join(part for part in (title, heading) if part) if heading else title
        chunks.extend(chunk_text(body, heading=name, max_chars=max_chars))
    return chunks
