"""A response as an Excel workbook, to answer offline: written for one response, read back.

One sheet per dimension: each indicator asked of the component with its statement and the
five rubric steps (locked), then the answer (a drop-down), the evidence, the barrier and
enabler tags and other tags (editable). A hidden sheet names the assessment, the
component, the questionnaire version, the language and each answer's revision when the
file was made, so an upload is matched to its response and a later change on the server
is a conflict, never overwritten.

Reading trusts nothing in the file: the package is checked first (``package_checked``), then
every editable cell is validated and all errors are returned together.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, Protection
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from assessments.models import (
    EVIDENCE_MAX_LENGTH,
    OTHER_TAGS_MAX_LENGTH,
    REASON_MAX_LENGTH,
    AnswerChoice,
    Assessment,
    Response,
)
from assessments.selectors import (
    assessment_bands,
    assessment_declared_not_applicable,
    response_answers,
    response_applicable_indicators,
)
from assessments.services import AnswerInput
from imp_assess.ooxml import OoxmlRefused, ooxml_check, ooxml_write
from imp_assess.typography import labelled
from questionnaires.models import Dimension, DimensionTag, Indicator
from questionnaires.selectors import dimension_tags

FORMAT = "imp-assess-response-workbook/1"
META_SHEET = "_imp_assess"
# Bytes of the uploaded file, and of its parts once unpacked (counted while unpacking).
MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_UNPACKED_BYTES = 30 * 1024 * 1024
HEADER_ROW = 3
FIRST_ROW = 4
# Columns (1-based): code, statement, steps 1–5, then the editable ones, then the band.
COL_CODE, COL_STATEMENT, COL_STEP_1 = 1, 2, 3
COL_ANSWER, COL_EVIDENCE, COL_TAGS, COL_OTHER, COL_BAND = 8, 9, 10, 11, 12
META_KEYS: tuple[str, ...] = (
    *("format", "assessment", "response", "mission", "period", "component"),
    *("questionnaire", "version", "language"),
)
META_ENTRIES_ROW = 12  # indicator, sheet, row, revision from here down
CHOICES_COLUMN = "D"  # the drop-down's labels, rows 1–7 of the hidden sheet
_TAG_SEPARATORS = re.compile(r"[,;\n]+")


class WorkbookRefused(ValueError):
    """The file as a whole cannot be read as this response's workbook; the message says why."""


@dataclass(frozen=True)
class WorkbookIndicator:
    indicator: Indicator
    tags: list[DimensionTag]
    band: tuple[int, int] | None  # shown only to those who may see bands


@dataclass(frozen=True)
class WorkbookSource:
    """What a response's workbook holds, fetched by the view through selectors."""

    assessment_id: int
    response_id: int | None
    mission_code: str
    period_label: str
    component: str
    questionnaire_code: str
    questionnaire_version: int
    dimensions: list[tuple[Dimension, list[WorkbookIndicator]]]
    answers: dict  # indicator code → Answer
    show_bands: bool


@dataclass(frozen=True)
class CellError:
    sheet: str
    row: int
    indicator_code: str
    message: str


@dataclass
class WorkbookContent:
    """What an uploaded workbook says: its identity and one input per indicator row."""

    meta: dict[str, str]
    inputs: list[AnswerInput] = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)


def _choice_labels() -> list[tuple[str, str]]:
    """(value, label) of the drop-down in the active language."""
    return [(value, str(label)) for value, label in AnswerChoice.choices]


def _unlocked(cell) -> None:
    cell.protection = Protection(locked=False)
    cell.alignment = Alignment(wrap_text=True, vertical="top")


def _dimension_sheet(book: Workbook, dimension: Dimension, rows: list[WorkbookIndicator], source):
    sheet = book.create_sheet(dimension.code[:31])
    sheet["A1"] = f"{dimension.code} — {dimension.text('title')}"
    sheet["A1"].font = Font(bold=True, size=13)
    sheet["A2"] = _(
        'Fill in the answer, evidence and tag columns only. A "not applicable" answer needs '
        "its reason in the evidence column. Tags are codes from the list below, separated by "
        "commas."
    )
    headers = [
        _("Indicator"),
        _("Statement"),
        *[f"{step} — {name}" for step, name, _text in rows[0].indicator.rubric],
        _("Answer"),
        _("Evidence (or the reason when not applicable)"),
        _("Barriers and enablers (codes)"),
        _("Other barriers or enablers"),
    ]
    if source.show_bands:
        headers.append(_("Target band"))
    for column, header in enumerate(headers, start=1):
        sheet.cell(HEADER_ROW, column, header).font = Font(bold=True)
    validation = DataValidation(
        type="list",
        formula1=f"'{META_SHEET}'!${CHOICES_COLUMN}$1:${CHOICES_COLUMN}$7",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=_("Answer"),
        error=_("Choose a step from 1 to 5, not applicable or don't know."),
    )
    sheet.add_data_validation(validation)
    labels = dict(_choice_labels())
    placed = []
    for offset, item in enumerate(rows):
        row = FIRST_ROW + offset
        indicator = item.indicator
        answer = source.answers.get(indicator.code)
        sheet.cell(row, COL_CODE, indicator.code)
        sheet.cell(row, COL_STATEMENT, indicator.text("statement"))
        for step, _name, text in indicator.rubric:
            sheet.cell(row, COL_STEP_1 + step - 1, text)
        values = {
            COL_ANSWER: labels.get(answer.choice, "") if answer else "",
            COL_EVIDENCE: _evidence_or_reason(answer),
            COL_TAGS: ", ".join(answer.tag_codes) if answer else "",
            COL_OTHER: answer.other_tags if answer else "",
        }
        for column, value in values.items():
            # Typed text, never a formula, even when the saved text starts with "=".
            cell = sheet.cell(row, column)
            cell.value = value
            cell.data_type = "s"
            _unlocked(cell)
        validation.add(sheet.cell(row, COL_ANSWER))
        if source.show_bands and item.band:
            sheet.cell(row, COL_BAND, "{}–{}".format(*item.band))
        for column in range(COL_CODE, COL_OTHER + 1):
            sheet.cell(row, column).alignment = Alignment(wrap_text=True, vertical="top")
        placed.append((indicator.code, sheet.title, row, answer.revision if answer else 0))
    tags_row = FIRST_ROW + len(rows) + 1
    sheet.cell(tags_row, 1, _("Barriers and enablers of this dimension")).font = Font(bold=True)
    for offset, tag in enumerate(rows[0].tags, start=1):
        sheet.cell(tags_row + offset, 1, tag.code)
        sheet.cell(tags_row + offset, 2, labelled(tag.get_kind_display(), tag.text("label")))
    widths = (12, 50, *[30] * 5, 24, 50, 30, 30, 12)
    for letter, width in zip("ABCDEFGHIJKL", widths, strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = sheet.cell(FIRST_ROW, COL_STEP_1)
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False  # widths may be changed; contents stay locked
    return placed


def _evidence_or_reason(answer) -> str:
    """The evidence column: the evidence, or for a "not applicable" answer with none, its
    reason (the column says it carries the reason, and an upload reads it back as both)."""
    if answer is None:
        return ""
    if answer.evidence or answer.choice != AnswerChoice.NOT_APPLICABLE:
        return answer.evidence
    return answer.na_reason


def workbook_build(source: WorkbookSource) -> bytes:
    """The response's workbook in the active language."""
    book = Workbook()
    meta = book.active
    meta.title = META_SHEET
    language = translation.get_language() or settings.LANGUAGE_CODE
    values = {
        "format": FORMAT,
        "assessment": source.assessment_id,
        "response": source.response_id or "",
        "mission": source.mission_code,
        "period": source.period_label,
        "component": source.component,
        "questionnaire": source.questionnaire_code,
        "version": source.questionnaire_version,
        "language": language,
    }
    for row, key in enumerate(META_KEYS, start=1):
        meta.cell(row, 1, key)
        meta.cell(row, 2, values[key])
    for row, (value, label) in enumerate(_choice_labels(), start=1):
        meta[f"{CHOICES_COLUMN}{row}"] = label
        meta[f"E{row}"] = value
    for column, title in enumerate(("indicator", "sheet", "row", "revision"), start=1):
        meta.cell(META_ENTRIES_ROW - 1, column, title)
    entries = []
    for dimension, rows in source.dimensions:
        if rows:
            entries.extend(_dimension_sheet(book, dimension, rows, source))
    for offset, entry in enumerate(entries):
        for column, value in enumerate(entry, start=1):
            meta.cell(META_ENTRIES_ROW + offset, column, value)
    meta.sheet_state = "hidden"
    meta.protection.sheet = True
    book.security = WorkbookProtection(lockStructure=True)
    if len(book.worksheets) > 1:
        book.active = 1
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def package_checked(data: bytes) -> bytes:
    """The workbook rebuilt from the parts the hardened reader checked (``imp_assess.ooxml``:
    real bytes counted while unpacking, no document types, macros, ActiveX, embedded objects
    or external links), after refusing a file over the upload limit."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise WorkbookRefused(
            _("The file is larger than %(n)d MB.") % {"n": MAX_UPLOAD_BYTES // (1024 * 1024)}
        )
    try:
        parts = ooxml_check(
            data, max_bytes=MAX_UNPACKED_BYTES, max_xml_bytes=MAX_UNPACKED_BYTES, kind="xlsx"
        )
    except OoxmlRefused as refusal:
        raise WorkbookRefused(str(refusal)) from None
    return ooxml_write(parts)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _choice_by_label() -> dict[str, str]:
    """Every label the drop-down has in any language, and the bare values, to a value."""
    known = {value: value for value in AnswerChoice.values}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            known.update({label.casefold(): value for value, label in _choice_labels()})
    return known


def _meta(book) -> dict[str, str]:
    if META_SHEET not in book.sheetnames:
        raise WorkbookRefused(_("This file is not a workbook downloaded from this application."))
    sheet = book[META_SHEET]
    meta = {
        _text(sheet.cell(row, 1).value): _text(sheet.cell(row, 2).value) for row in range(1, 10)
    }
    if meta.get("format") != FORMAT:
        raise WorkbookRefused(_("This file is not a workbook downloaded from this application."))
    return meta


def _entries(book) -> list[tuple[str, str, int, int]]:
    sheet = book[META_SHEET]
    entries = []
    for row in sheet.iter_rows(min_row=META_ENTRIES_ROW, max_col=4, values_only=True):
        code, sheet_name, number, revision = row
        if not code:
            break
        try:
            entries.append((_text(code), _text(sheet_name), int(number), int(revision)))
        except (TypeError, ValueError):
            raise WorkbookRefused(_("The workbook's hidden sheet was changed.")) from None
    return entries


def workbook_read(data: bytes, *, tags_by_indicator: dict[str, set[str]]) -> WorkbookContent:
    """Read an uploaded workbook: its identity (``meta``) and every indicator row, validated.

    ``tags_by_indicator``: the tag codes each indicator of the response may carry. Raises
    ``WorkbookRefused`` when the file as a whole cannot be read; cell errors are listed in
    ``errors`` (all of them), with no inputs worth saving when there is any."""
    checked = package_checked(data)
    try:
        book = load_workbook(io.BytesIO(checked), data_only=False, keep_vba=False, keep_links=False)
    except Exception:  # openpyxl raises many kinds on a broken package
        raise WorkbookRefused(_("This Excel workbook cannot be read.")) from None
    content = WorkbookContent(meta=_meta(book))
    choices = _choice_by_label()
    for code, sheet_name, row, revision in _entries(book):
        if sheet_name not in book.sheetnames:
            raise WorkbookRefused(_("The sheet %(sheet)s is missing.") % {"sheet": sheet_name})
        sheet: Worksheet = book[sheet_name]

        def error(message: str, *, sheet_name=sheet_name, row=row, code=code) -> None:
            content.errors.append(CellError(sheet_name, row, code, message))

        if _text(sheet.cell(row, COL_CODE).value) != code:
            error(_("The indicator code was changed or the row moved."))
            continue
        cells = {c: sheet.cell(row, c) for c in (COL_ANSWER, COL_EVIDENCE, COL_TAGS, COL_OTHER)}
        if any(cell.data_type == "f" for cell in cells.values()):
            error(_("The row contains a formula; type plain values."))
            continue
        answer = _text(cells[COL_ANSWER].value)
        choice = choices.get(answer.casefold()) if answer else ""
        if choice is None:
            error(
                _(
                    "“%(value)s” is not an answer: choose a step from 1 to 5, not applicable or "
                    "don't know."
                )
                % {"value": answer}
            )
            choice = ""
        evidence = _text(cells[COL_EVIDENCE].value)
        not_applicable = choice == AnswerChoice.NOT_APPLICABLE
        if not_applicable and not evidence:
            error(_("A “not applicable” answer needs its reason in the evidence column."))
        if not_applicable and len(evidence) > REASON_MAX_LENGTH:
            error(
                _("The reason is limited to %(n)d characters (%(length)d given).")
                % {"n": REASON_MAX_LENGTH, "length": len(evidence)}
            )
        if len(evidence) > EVIDENCE_MAX_LENGTH:
            error(
                _("Evidence is limited to %(n)d characters (%(length)d given).")
                % {"n": EVIDENCE_MAX_LENGTH, "length": len(evidence)}
            )
        tag_codes = tuple(
            dict.fromkeys(t.strip() for t in _TAG_SEPARATORS.split(_text(cells[COL_TAGS].value)))
        )
        tag_codes = tuple(t for t in tag_codes if t)
        unknown = [t for t in tag_codes if t not in tags_by_indicator.get(code, set())]
        if unknown:
            error(_("Unknown barrier or enabler: %(codes)s") % {"codes": ", ".join(unknown)})
        other_tags = _text(cells[COL_OTHER].value)
        if len(other_tags) > OTHER_TAGS_MAX_LENGTH:
            error(
                _("Other barriers or enablers are limited to %(n)d characters.")
                % {"n": OTHER_TAGS_MAX_LENGTH}
            )
        content.inputs.append(
            AnswerInput(
                indicator_code=code,
                choice=choice,
                evidence=evidence,
                tag_codes=tag_codes,
                other_tags=other_tags,
                base_revision=revision,
                # The evidence column carries a "not applicable" answer's reason: saved as the
                # answer's reason too, which IMP-CORE v3 requires (as the answering page does).
                na_reason=evidence if not_applicable else "",
            )
        )
    return content


def workbook_source(
    *, assessment: Assessment, component: str, response: Response | None, show_bands: bool
) -> WorkbookSource:
    """What the response's workbook shows: the indicators asked of the component and not
    declared not applicable for the mission, by dimension, with their tags and bands."""
    declared = assessment_declared_not_applicable(assessment=assessment)
    bands = {
        item.indicator.code: item.band
        for dimension_bands in assessment_bands(assessment=assessment)
        for item in dimension_bands.indicators
    }
    by_dimension: dict[int, tuple[Dimension, list[WorkbookIndicator]]] = {}
    for indicator in response_applicable_indicators(assessment=assessment, component=component):
        if indicator.code in declared:
            continue
        dimension = indicator.dimension
        if dimension.pk not in by_dimension:
            by_dimension[dimension.pk] = (dimension, [])
            tags = dimension_tags(dimension=dimension)
        by_dimension[dimension.pk][1].append(
            WorkbookIndicator(indicator, tags, bands.get(indicator.code))
        )
    return WorkbookSource(
        assessment_id=assessment.pk,
        response_id=response.pk if response else None,
        mission_code=assessment.mission.code,
        period_label=assessment.period.label,
        component=component,
        questionnaire_code=assessment.questionnaire.code,
        questionnaire_version=assessment.questionnaire.version,
        dimensions=list(by_dimension.values()),
        answers=response_answers(response=response) if response else {},
        show_bands=show_bands,
    )


def workbook_filename(source: WorkbookSource) -> str:
    return f"{source.mission_code}-{source.period_label}-{source.component}.xlsx".replace(" ", "-")
