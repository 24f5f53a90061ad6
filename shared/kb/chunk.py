"""Split documents into passages: by Markdown headings, then by paragraphs with overlap.

Markdown tables become one line per row, each cell named by its column. A section that is a
list of questions and answers (a plain-text or PDF FAQ: "Q: … A: …",
"问：… 答：…", or question lines ending in "?" each followed by its answer) becomes one passage per
answer, its question the heading, as an owner's Q&A entry is: a passage of five unrelated answers
would be shown whole for any one of them, and its meaning blurred for the embedder."""

from __future__ import annotations

import re

import msgspec

__all__ = ["Chunk", "chunk_markdown", "chunk_text", "chunk_section", "questions_and_answers"]

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


_TABLE_ROW = re.compile(r"\s*\|.*\|\s*")
_TABLE_RULE = re.compile(r"\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*")


def _cells(row: str) -> list[str]:
    return [cell.strip() for cell in row.strip().strip("|").split("|")]


def tables_as_lines(text: str) -> str:
    """Markdown tables (uploaded, or from HTML) as one list line per row, each cell named by
    its column: "- Plan: Pro; Price: ¥18/month". A row of pipes reads badly in a chat bubble,
    and a row that names its columns is found by them ("Pro price"). Linear in the text."""
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        if (
            i + 1 < len(lines)
            and _TABLE_ROW.fullmatch(lines[i])
            and _TABLE_RULE.fullmatch(lines[i + 1])
        ):
            header = _cells(lines[i])
            i += 2
            while i < len(lines) and _TABLE_ROW.fullmatch(lines[i]):
                named = [
                    f"{name}: {cell}" if name else cell
                    for name, cell in zip(header, _cells(lines[i]), strict=False)
                    if cell
                ]
                out.append("- " + "; ".join(named))
                i += 1
            continue
        out.append(lines[i])
        i += 1
    return "\n".join(out)


def chunk_text(
    text: str, *, heading: str = "", max_chars: int = 1200, overlap: int = 1
) -> list[Chunk]:
    """Paragraph windows of at most ``max_chars``, each repeating ``overlap`` paragraphs."""
    paragraphs = [_unwrap(p) for p in re.split(r"\n\s*\n", tables_as_lines(text)) if p.strip()]
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


_Q_MARK = re.compile(r"(?:q|question|问题?)\s*\d{0,3}\s*[:：.、)）]\s*", re.IGNORECASE)
_A_MARK = re.compile(r"(?:a|answer|答|回答)\s*\d{0,3}\s*[:：.、)）]\s*", re.IGNORECASE)
_NUMBERED = re.compile(r"(?:\d{1,3}\s*[.、)）]|[（(]\d{1,3}[)）]|[-+•])\s*")
_EMPHASIS = "*_ \t"


def _question(line: str) -> tuple[str, bool] | None:
    """(the question, whether it was marked "Q:"/"问：") when ``line`` is one, else None."""
    text = line.strip().strip(_EMPHASIS)
    marked = _Q_MARK.match(text)
    if marked is not None:
        rest = text[marked.end() :].strip(_EMPHASIS)
        return (rest, True) if rest else None
    numbered = _NUMBERED.match(text)
    if numbered is not None:
        text = text[numbered.end() :].strip(_EMPHASIS)
    if len(text) <= 200 and text.endswith(("?", "？")):
        return text, False
    return None


def questions_and_answers(body: str) -> tuple[str, list[tuple[str, str]]] | None:
    """(text before the first question, [(question, answer)…]) when ``body`` is a list of at
    least two answered questions, else None. Linear in the body."""
    intro: list[str] = []
    pairs: list[tuple[str, list[str]]] = []
    for line in body.splitlines():
        found = _question(line) if line.strip() else None
        if found is not None and (not pairs or found[1] or any(x.strip() for x in pairs[-1][1])):
            pairs.append((found[0], []))
        elif found is not None:  # a question over two lines, nothing answered yet
            pairs[-1] = (f"{pairs[-1][0]} {found[0]}", pairs[-1][1])
        elif pairs:
            if not any(x.strip() for x in pairs[-1][1]):
                marked = _A_MARK.match(line.strip())
                line = line.strip()[marked.end() :] if marked else line
            pairs[-1][1].append(line)
        else:
            intro.append(line)
    answered = [(q, "\n".join(a).strip()) for q, a in pairs]
    if len(answered) < 2 or not all(a for _, a in answered):
        return None
    return "\n".join(intro).strip(), answered


def chunk_section(body: str, *, heading: str = "", max_chars: int = 1200) -> list[Chunk]:
    """A section's passages: one per answer when it is a list of questions and answers (the
    question joins the heading), else paragraph windows (:func:`chunk_text`)."""
    faq = questions_and_answers(body)
    if faq is None:
        return chunk_text(body, heading=heading, max_chars=max_chars)
    intro, pairs = faq
    chunks = []
    if "\n" not in intro and len(intro) <= 120:  # a title line ("Acme - FAQ"): it names them
        heading = " > ".join(part for part in (heading, intro.strip(_EMPHASIS + "#")) if part)
    else:
        chunks = chunk_text(intro, heading=heading, max_chars=max_chars)
    for question, answer in pairs:
        name = f"{heading} > {question}" if heading else question
        chunks.extend(chunk_text(answer, heading=name, max_chars=max_chars))
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
        chunks.extend(chunk_section(body, heading=name, max_chars=max_chars))
    return chunks
