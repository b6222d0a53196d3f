"""The title of an amending law names the laws it amends: those laws are part of its name, not
references of their own (scripts/eval_tasks/GUIDELINES.md §2.1)."""
from __future__ import annotations

import re
from dataclasses import replace

from ..vietnamese import is_upper_line
from .citations import LAW_TYPES, Mention

# An amending law's title after its number ("Luật số 56/2024/QH15 sửa đổi, bổ sung một số
# điều của Luật …"), and what stands between the laws the title lists (", ", " và ").
_TITLE_OF = re.compile(r"\s*,?\s*(?:về\s+(?:việc\s+)?)?sửa đổi,? bổ sung (?:một số điều )?(?:của )?"
                       r"(?:các )?(?=(?:bộ )?luật )")
_LISTED = re.compile(r"(?:,\s*[^\W\d][^;.,()]{0,25})?(?:,\s*|\s+và\s+)|")
_AMENDING_NAME = re.compile(r"(?:luật|bộ luật|pháp lệnh) sửa đổi")


def amending_titles(text: str, low: str, mentions: list[Mention]) -> list[Mention]:
    """Leave out the laws an amending law's title lists: they name the amending law.

    "Luật số 90/2025/QH15 sửa đổi, bổ sung một số điều của Luật Đấu thầu, Luật Hải quan …"
    is one reference; "Luật sửa đổi, bổ sung một số điều của Luật Quy hoạch, Luật Đầu tư và
    Luật Đấu thầu" is one, named in full (GUIDELINES §2.1).
    """
    kept: list[Mention] = []
    reach = None  # where the title of the amending law last kept reaches
    for mention in mentions:
        listed = mention.number is None and mention.type in LAW_TYPES and reach is not None \
            and _LISTED.fullmatch(low, reach, mention.start) is not None
        if not listed:
            kept.append(mention)
            reach = None
            if mention.type in LAW_TYPES and mention.number is None:
                reach = _named_end(mention) if _AMENDING_NAME.match(low, mention.start) else None
            elif mention.type in LAW_TYPES and (title := _TITLE_OF.match(low, mention.end)):
                reach = title.end()
            continue
        title, reach = kept[-1], _named_end(mention)
        if title.number is None and not is_upper_line(text):  # the name runs on
            kept[-1] = replace(title, end=max(title.end, mention.end),
                               date=title.date or mention.date,
                               name=re.sub(r"\s+", " ", text[title.start:reach]))
    return kept


def _named_end(mention: Mention) -> int:
    """Return where a named law's name ends in the text (before its year or date)."""
    return mention.start + len(mention.name or "")
