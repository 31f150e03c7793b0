"""Remove web-scrape residue and lift the dateline, title and category into
metadata. Every sentence of the article itself is kept."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Lines left over from image markup: ".jpg)", "photo.png)", "![](x.webp)".
_IMAGE_RESIDUE = re.compile(
    r"^\s*(!?\[[^\]]*\]\([^)]*\)|\S*\.(jpe?g|png|gif|webp|svg)\)?)\s*$", re.I
)
# Photo captions: a short line ending with a photo credit.
_CAPTION = re.compile(r"(^|[.!?]\s*)(Ảnh|Photo|Фото)\s*:\s*[^.!?]{1,60}\.?\s*$", re.I)
# "date 2025-10-31 Thời sự Title…" at the very start of the file.
_DATELINE = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\s+", re.I)
# Vietnamese news ledes open with a time of day and a date: "Sáng 31/10, …".
_VI_LEDE = re.compile(r"\s(?=(Sáng|Chiều|Tối|Trưa|Đêm|Ngày|Hôm)\s+(nay|qua|\d))")
_MAX_CAPTION_CHARS = 300
_MAX_TITLE_CHARS = 200


@dataclass
class CleanedText:
    text: str
    title: str
    date: str | None
    category: str | None
    removed_lines: int


def clean_article(raw: str, title_hint: str | None = None) -> CleanedText:
    text = raw.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    lines = text.split("\n")
    kept: list[str] = []
    removed = 0
    for line in lines:
        stripped = line.strip()
        if _IMAGE_RESIDUE.match(stripped) or (
            len(stripped) <= _MAX_CAPTION_CHARS and _CAPTION.search(stripped)
        ):
            removed += 1
            continue
        kept.append(line.rstrip())
    while kept and not kept[0].strip():
        kept.pop(0)

    date = category = None
    first = kept[0].strip() if kept else ""
    match = _DATELINE.match(first)
    if match:
        date = match.group(1)
        first = first[match.end() :]
        category, first = _split_category(first)
    title, lede = _split_title(first, title_hint)
    body = [lede] if lede else []
    body += kept[1:]
    article = "\n".join([title, *body]).strip()
    article = re.sub(r"\n{3,}", "\n\n", article)
    return CleanedText(article, title, date, category, removed)


def _split_category(line: str) -> tuple[str | None, str]:
    """'Thời sự Đổi mới tư duy…' -> ('Thời sự', 'Đổi mới tư duy…'): the category
    runs until the next capitalised word."""
    words = line.split()
    for i in range(1, min(len(words), 5)):
        if words[i][:1].isupper():
            return " ".join(words[:i]), " ".join(words[i:])
    return None, line


def _split_title(line: str, title_hint: str | None) -> tuple[str, str]:
    """The title is the first line; when the scrape glued the lede onto it, cut
    at the lede's opening ('Sáng 31/10, …') or at the first full stop."""
    if len(line) <= _MAX_TITLE_CHARS:
        return line, ""
    if title_hint and line.startswith(title_hint):
        return title_hint, line[len(title_hint) :].strip()
    lede = _VI_LEDE.search(line)
    if lede and lede.start() <= _MAX_TITLE_CHARS:
        return line[: lede.start()].strip(), line[lede.start() :].strip()
    stop = re.search(r"[.!?](\s|$)", line)
    if stop and stop.end() <= _MAX_TITLE_CHARS:
        return line[: stop.end()].strip(), line[stop.end() :].strip()
    return line[:_MAX_TITLE_CHARS].rsplit(" ", 1)[0], line
