"""Reading and writing questionnaire files: YAML (the source format) and XLSX (for review)."""

from pathlib import Path

import yaml
from django.conf import settings
from openpyxl import Workbook

from imp_assess.cells import cell_text
from questionnaires.quotes import Report, report_at
from questionnaires.rules_spec import BandSourceSpec
from questionnaires.spec import (
    IndicatorSpec,
    QuestionnaireSpec,
    SpecInvalid,
    spec_from_data,
    translatable_items,
)
from questionnaires.steps import STEP_NAMES


def configured_report() -> Report | None:
    """The report's text quotes are checked against; None where it is not installed."""
    return report_at(Path(settings.QUESTIONNAIRE_REPORT_FILE))


def spec_from_yaml(text: str) -> QuestionnaireSpec:
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "file"
        problem = getattr(exc, "problem", None) or str(exc)
        raise SpecInvalid([f"{where}: not valid YAML ({problem})"]) from None
    if not isinstance(raw, dict):
        raise SpecInvalid(["file: expected a mapping with code, version, title and dimensions"])
    return spec_from_data(raw, report=configured_report())


def spec_from_file(path: Path) -> QuestionnaireSpec:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SpecInvalid([f"{path}: cannot be read ({exc})"]) from None
    return spec_from_yaml(text)


class _BlockDumper(yaml.SafeDumper):
    """Long texts as folded blocks so that reviewers read prose, not escapes."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    if len(value) > 80 and "\n" not in value and value == value.strip():
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=">")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_BlockDumper.add_representer(str, _represent_str)


def spec_to_yaml(spec: QuestionnaireSpec) -> str:
    return yaml.dump(
        spec.as_data(),
        Dumper=_BlockDumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
    )


class _SafeSheet:
    """A write-only sheet whose text cells go through ``imp_assess.cells.cell_text``."""

    def __init__(self, sheet):
        self.sheet = sheet

    def append(self, row) -> None:
        self.sheet.append([cell_text(value) for value in row])


def spec_to_xlsx(spec: QuestionnaireSpec, path: Path) -> None:
    """A workbook for people who review wording offline: one row per indicator."""
    workbook = Workbook(write_only=True)
    about = _SafeSheet(workbook.create_sheet("Questionnaire"))
    for row in (
        ("Code", spec.code),
        ("Version", spec.version),
        ("Title", spec.title),
        ("Description", spec.description),
    ):
        about.append(row)

    dimensions = _SafeSheet(workbook.create_sheet("Dimensions"))
    dimensions.append(["Code", "Title", "Description", "Default target step", "Weight"])
    for dim in spec.dimensions:
        dimensions.append(
            [dim.code, dim.title, dim.description, dim.default_target_step, float(dim.weight)]
        )

    indicators = _SafeSheet(workbook.create_sheet("Indicators"))
    header = ["Dimension", "Code", "Coherence level", "Weight", "Statement", "Guidance"]
    header += [f"Step {step}: {name}" for step, name in STEP_NAMES.items()] + ["Source"]
    header += ["Answered by", "Target band from", "Target band to", "Basis", "Quote", "Note"]
    header += ["Asked when", "Band source", "Bands by phase", "Bands by profile", "Safeguard"]
    header += ["Voice", "Voice rationale", "External context"]
    indicators.append(header)
    for dim, ind in spec.indicators():
        indicators.append(
            [
                dim.code,
                ind.code,
                ind.coherence_level,
                float(ind.weight),
                ind.statement,
                ind.guidance,
            ]
            + [ind.rubric[step] for step in STEP_NAMES]
            + [ind.source, _answered_by(ind.applies_to)]
            + [ind.target.min if ind.target else None, ind.target.max if ind.target else None]
            + [ind.basis, ind.quote, ind.note]
            + _context_cells(ind)
        )

    tags = _SafeSheet(workbook.create_sheet("Barriers and enablers"))
    tags.append(["Dimension", "Kind", "Code", "Label", "Basis", "Source", "Quote", "Note"])
    for dim, kind, tag in spec.tags():
        tags.append(
            [dim.code, kind, tag.code, tag.label, tag.basis, tag.source, tag.quote, tag.note]
        )

    if spec.glossary:
        glossary = _SafeSheet(workbook.create_sheet("Glossary"))
        glossary.append(["Term", "Definition", "Basis", "Source", "Quote", "Note"])
        for entry in spec.glossary:
            glossary.append(
                [entry.term, entry.definition, entry.basis, entry.source, entry.quote, entry.note]
            )
    rows = translation_rows(spec)
    if rows:
        # One row per text, English beside each other language, for translation reviewers.
        languages = sorted(
            {lang for _, item in translatable_items(spec) for lang in item.translations}
        )
        translations = _SafeSheet(workbook.create_sheet("Translations"))
        translations.append(["Item", "Field", "English", *languages])
        for item, field, english, texts in rows:
            translations.append(
                [item, field, english, *(texts.get(lang, "") for lang in languages)]
            )
    workbook.save(path)


def translation_rows(spec: QuestionnaireSpec) -> list[tuple[str, str, str, dict[str, str]]]:
    """(item, field, English text, {language: text}) for every translatable text, once the
    file has translations at all; empty for an English-only version."""
    items = list(translatable_items(spec))
    if not any(item.translations for _, item in items):
        return []
    rows = []
    for location, item in items:
        done = {lang: texts.flat() for lang, texts in item.translations.items()}
        for field, english in item.texts().items():
            if english:
                rows.append(
                    (location, field, english, {k: v.get(field, "") for k, v in done.items()})
                )
    return rows


def _band_source_text(source: BandSourceSpec | None) -> str:
    if source is None:
        return ""
    if source.basis == "report":
        return f"report, {source.source}: “{source.quote}”"
    return f"practice: {source.practice}"


def _when_text(when: dict) -> str:
    return "; ".join(f"{key} = {value}" for key, value in when.items())


def _context_cells(ind: IndicatorSpec) -> list:
    """The v3 columns: applicability by profile, band sources, phase and profile bands,
    safeguard and external context, as reviewers read them."""
    phases = [
        f"{phase}: {band.min}–{band.max} ({_band_source_text(band.band_source)})"
        for phase, band in ind.target_by_phase.items()
    ]
    rules = [
        f"when {_when_text(rule.when)}: {rule.target.min}–{rule.target.max}, {rule.reason} "
        f"({_band_source_text(rule.band_source)})"
        for rule in ind.band_when
    ]
    return [
        _when_text(ind.applies_when),
        _band_source_text(ind.band_source),
        "\n".join(phases),
        "\n".join(rules),
        "yes" if ind.safeguard else "",
        ", ".join(ind.voice),
        ind.voice_rationale,
        "yes" if ind.context else "",
    ]


def _answered_by(applies_to: list[str]) -> str:
    """The file's codes, comma-separated; empty means every component (as in v1)."""
    return ", ".join(applies_to) if applies_to else "every component"
