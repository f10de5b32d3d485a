"""Whether a quote of the report is verbatim and in the place its source cites (pure).

The one home of the quote check: the loader runs it on every report-based quote of a file
(indicators, tags, glossary entries and band sources) when the report's text is at hand,
and tests/questionnaires/test_sources.py runs it on the shipped files.

Places: the executive summary's paragraphs ("para. N", counted from "The final and
concluding conference…" as para. 1; a block that starts in lower case continues the
paragraph before it, across a page break) and the sections after it, by their headings.
Runs of whitespace, line breaks included, count as one space.
"""

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

SECTION_HEADINGS = (
    "1. Introduction",
    "1.1 Structure",
    "1.2 Defining integration",
    "1.3 Integration is not an end in itself",
)
REPORT_FILE_NAME = "integrated-missions-revisited-oslo-2007.txt"


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def report_places(text: str) -> dict[str, str]:
    """The citable places of the report: "para. N" and the section headings."""
    blocks = [normalise(block) for block in re.split(r"\n\s*\n", text) if block.strip()]
    merged: list[str] = []
    for block in blocks:
        if merged and block[0].islower():
            merged[-1] += " " + block
        else:
            merged.append(block)
    first = next(n for n, b in enumerate(merged) if b.startswith("The final and concluding"))
    places: dict[str, str] = {}
    current = None
    paragraph = 0
    for block in merged[first:]:
        if block in SECTION_HEADINGS or block == "FOOTNOTES":
            current = block
            places[current] = ""
        elif current is None:
            paragraph += 1
            places[f"para. {paragraph}"] = block
        else:
            places[current] += " " + block
    return places


def cited_places(source: str) -> set[str]:
    """The places a source cites: "Executive summary, paras. 16-17; 1.3 ..." → {...}."""
    places = {heading for heading in SECTION_HEADINGS if heading in source}
    for match in re.finditer(r"paras?\.\s*(\d+(?:\s*(?:-|–|,|and)\s*\d+)*)", source):
        for part in re.split(r"\s*(?:,|and)\s*", match.group(1)):
            bounds = re.split(r"\s*[-–]\s*", part.strip())
            low, high = int(bounds[0]), int(bounds[-1])
            places.update(f"para. {n}" for n in range(low, high + 1))
    return places


@dataclass(frozen=True)
class Report:
    """The report's text, whole and by place."""

    text: str
    places: dict[str, str]

    @classmethod
    def of(cls, raw: str) -> "Report":
        return cls(normalise(raw), report_places(raw))

    def quote_problem(self, quote: str, source: str) -> str | None:
        """Why a quote does not hold up against the report, or None when it does."""
        wanted = normalise(quote)
        if wanted not in self.text:
            return f"not found in the report: {quote!r}"
        places = cited_places(source)
        if not places:
            return f"source {source!r} cites no paragraph or section"
        unknown = places - self.places.keys()
        if unknown:
            return f"source {source!r} cites places the report does not have: {sorted(unknown)}"
        if not any(wanted in self.places[place] for place in places):
            return f"{quote!r} is in the report but not in {sorted(places)}"
        return None


@cache
def report_at(path: Path) -> Report | None:
    """The report read from ``path``; None when the file is not there (the check is skipped)."""
    try:
        return Report.of(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
