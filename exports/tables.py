"""The tables of a data export: names, columns and what each column means.

The XLSX workbook and the CSV archive write exactly these tables, with exactly these columns,
in this order; the rows come from ``exports.rows``. ``readme_lines`` is the README that goes
with them.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from exports import rows
from exports.rows import DataScope
from imp_assess.dates import datetime_long
from imp_assess.typography import join_clauses, labelled
from missions.models import Mission
from scoring.method import METHOD_VERSION_LABEL

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

__all__ = ["TABLES", "Column", "DataScope", "Table", "readme_lines"]


@dataclass(frozen=True)
class Column:
    name: str
    description: StrOrPromise
    # Values are flag keys (shortfall, over_integration, in_band, insufficient): the XLSX
    # workbook colours these cells from the one colour module.
    flag: bool = False


@dataclass(frozen=True)
class Table:
    name: str  # sheet name and CSV file stem
    description: StrOrPromise
    columns: tuple[Column, ...]
    rows: Callable[[DataScope], Iterator[tuple]]
    count: Callable[[DataScope], int]

    @property
    def headers(self) -> list[str]:
        return [column.name for column in self.columns]


# Method v3's gated headline (``scoring.headline``), from the assessment's method 3 result;
# empty without one. The index table and the API's assessments carry them.
HEADLINE_TABLE_COLUMNS = (
    Column(
        "critical_findings",
        _(
            "Method 3: number of critical findings (a safeguard's voice component, or its "
            "value, outside the band). Read it first."
        ),
    ),
    Column(
        "unverified_safeguards",
        _("Method 3: safeguards that unanswered cells leave possibly outside their band."),
    ),
    Column(
        "contested_indicators",
        _("Method 3: indicators where a component is 2 steps or more from the voice."),
    ),
    Column(
        "coverage",
        _("Method 3: share of applicable indicators with a sufficient finding, 0 to 1."),
    ),
    Column(
        "alignment_shown",
        _(
            "Method 3: the alignment shown, 0 to 100, capped at 50 with a critical finding or "
            "an unverified safeguard; empty when there are not enough answers, or for a reader "
            "who may not read every component's answers."
        ),
    ),
    Column(
        "alignment_uncapped",
        _(
            "Method 3: the alignment before the cap, 0 to 100; empty for a reader who may not "
            "read every component's answers."
        ),
    ),
    Column(
        "enough_answers",
        _("Method 3: FALSE below the coverage threshold (0.6): no headline figure."),
    ),
)
_MISSION = Column("mission", _("Mission code (see the missions table)."))
_QUARTER = Column("quarter", _("Quarter of the assessment, e.g. 2026-Q3."))
_METHOD = Column(
    "method_version",
    _(
        "Scoring-method version that produced the score: the current method, or an older one "
        "for a quarter that was not rescored."
    ),
)
_PHASE = Column(
    "phase",
    _("Mission phase recorded by the focal point: start_up, consolidation or drawdown."),
)

TABLES: tuple[Table, ...] = (
    Table(
        "missions",
        _("Missions in this export."),
        (
            Column("code", _("Stable mission code.")),
            Column("name", _("Mission name.")),
            Column("kind", _("pko = peacekeeping operation, spm = special political mission.")),
            Column("region", _("Region.")),
            Column("demo_data", _("TRUE for fictional demo missions with synthetic answers.")),
        ),
        rows.mission_rows,
        rows.mission_count,
    ),
    Table(
        "periods",
        _("Quarters of the assessment cycle."),
        (
            Column("quarter", _("Quarter label, e.g. 2026-Q3.")),
            Column("year", _("Year.")),
            Column("quarter_number", _("Quarter of the year, 1 to 4.")),
            Column("opens_on", _("First day of answering.")),
            Column("closes_on", _("Last day of answering.")),
        ),
        rows.period_rows,
        rows.period_count,
    ),
    Table(
        "dimensions",
        _("Dimensions of every published (or retired) questionnaire version."),
        (
            Column("questionnaire", _("Questionnaire code.")),
            Column("version", _("Questionnaire version.")),
            Column("order", _("Position of the dimension in the questionnaire.")),
            Column("dimension", _("Stable dimension code (LEAD, POL, HUM, …).")),
            Column("title", _("Dimension title.")),
            Column("default_target_step", _("Default target step, 1 to 5.")),
            Column("weight", _("Weight of the dimension in the index.")),
        ),
        rows.dimension_rows,
        rows.dimension_count,
    ),
    Table(
        "indicators",
        _("Indicators and their five-step rubric, per questionnaire version."),
        (
            Column("questionnaire", _("Questionnaire code.")),
            Column("version", _("Questionnaire version.")),
            Column("dimension", _("Dimension code.")),
            Column("indicator", _("Stable indicator code.")),
            Column("coherence_level", _("policy_strategic, operational_programmatic or admin.")),
            Column("weight", _("Weight of the indicator in its dimension.")),
            Column("statement", _("What the indicator asks about.")),
            Column("rubric_1", _("Step 1, co-existence: the described situation.")),
            Column("rubric_2", _("Step 2, networking / information sharing.")),
            Column("rubric_3", _("Step 3, coordination.")),
            Column("rubric_4", _("Step 4, collaboration / joint planning.")),
            Column("rubric_5", _("Step 5, full integration.")),
            Column("source", _("Passage of the Oslo 2007 report it comes from.")),
        ),
        rows.indicator_rows,
        rows.indicator_count,
    ),
    Table(
        "answers",
        _("Every answer, one row per mission, quarter, component and indicator (long format)."),
        (
            _MISSION,
            _QUARTER,
            Column("component", _("Mission component that answered.")),
            Column("dimension", _("Dimension code of the indicator.")),
            Column("indicator", _("Indicator code (see the indicators table).")),
            Column(
                "answer",
                _("Step 1 to 5, N/A (not applicable), DK (don't know), or empty (not answered)."),
            ),
            Column("evidence", _("Evidence the respondent gave (free text).")),
            Column("barriers_enablers", _("Codes of the barriers and enablers tagged.")),
        ),
        rows.answer_rows,
        rows.answer_count,
    ),
    Table(
        "targets",
        _("Target step per dimension, set by the mission's focal point for the quarter."),
        (
            _MISSION,
            _QUARTER,
            Column("dimension", _("Dimension code.")),
            Column("target_step", _("Target step, 1 to 5.")),
        ),
        rows.target_rows,
        rows.target_count,
    ),
    Table(
        "index",
        _(
            "Headline per assessment: target alignment with shortfall and over-integration, "
            "integration level, completeness (empty when not scored yet)."
        ),
        (
            _MISSION,
            _QUARTER,
            Column("questionnaire", _("Questionnaire code answered.")),
            Column("questionnaire_version", _("Questionnaire version answered.")),
            Column("status", _("open, submitted or approved.")),
            _METHOD,
            Column(
                "index",
                _(
                    "Integration level, 0 to 100: higher is not better (method 1 called it "
                    "the integration index)."
                ),
            ),
            Column("stage", _("Step of the spectrum nearest to the mean score.")),
            Column("score", _("Weighted mean of the dimension scores, 1 to 5.")),
            Column("completeness", _("Share of expected answers given as a step, 0 to 1.")),
            Column("sufficient", _("TRUE when enough answers were given for the score.")),
            Column("components", _("Components whose answers were scored.")),
            Column("computed_at", _("When the score was computed (UTC).")),
            Column(
                "alignment",
                _("Target alignment, 0 to 100: 100 = every indicator in its band (method 2)."),
            ),
            Column("shortfall", _("Points of alignment lost below the target bands.")),
            Column("shortfall_indicators", _("Number of indicators flagged shortfall.")),
            Column("over_integration", _("Points of alignment lost above the target bands.")),
            Column(
                "over_integration_indicators", _("Number of indicators flagged over-integration.")
            ),
            _PHASE,
            Column(
                "not_responded",
                _("Components that did not respond (counted as missing in completeness)."),
            ),
            *HEADLINE_TABLE_COLUMNS,
        ),
        rows.index_rows,
        rows.index_count,
    ),
    Table(
        "dimension_scores",
        _("Score per dimension against its target."),
        (
            _MISSION,
            _QUARTER,
            _METHOD,
            Column("dimension", _("Dimension code.")),
            Column("score", _("Dimension score, 1 to 5.")),
            Column("target", _("Target step.")),
            Column(
                "gap",
                _(
                    "Method 1: target minus score. Method 2: the dimension's main finding in "
                    "steps (positive = shortfall, negative = over-integration); the indicator "
                    "counts are the findings."
                ),
            ),
            Column("gap_flag", _("shortfall or over_integration when the gap is a finding.")),
            Column("completeness", _("Share of expected answers given as a step, 0 to 1.")),
            Column("sufficient", _("TRUE when enough answers were given for the score.")),
            Column("divergence", _("Mean range between components over the indicators.")),
            Column("divergence_flag", _("TRUE when components see the dimension differently.")),
            Column("band_min", _("Lowest step of its indicators' target bands (method 2).")),
            Column("band_max", _("Highest step of its indicators' target bands (method 2).")),
            Column("alignment", _("Target alignment of the dimension, 0 to 100 (method 2).")),
            Column("shortfall", _("Points of alignment lost below the bands.")),
            Column("shortfall_indicators", _("Number of its indicators flagged shortfall.")),
            Column("over_integration", _("Points of alignment lost above the bands.")),
            Column(
                "over_integration_indicators",
                _("Number of its indicators flagged over-integration."),
            ),
        ),
        rows.dimension_score_rows,
        rows.dimension_score_count,
    ),
    Table(
        "indicator_scores",
        _("Findings per indicator against its target band (method 2 and later)."),
        (
            _MISSION,
            _QUARTER,
            _METHOD,
            Column("dimension", _("Dimension code.")),
            Column("indicator", _("Indicator code.")),
            Column(
                "applicable",
                _("FALSE when declared not applicable or asked of nobody who responded."),
            ),
            Column("value", _("Mean of the components' steps, 1 to 5.")),
            Column("band_min", _("Lowest step of the target band that applied.")),
            Column("band_max", _("Highest step of the target band that applied.")),
            Column(
                "band_source",
                _("default (the questionnaire's band) or override (the focal point's)."),
            ),
            Column(
                "distance",
                _("Value minus the nearest band limit: 0 in band, negative below, positive above."),
            ),
            Column(
                "flag",
                _(
                    "shortfall, over_integration, in_band, or insufficient (too few answers for "
                    "a finding); empty when not applicable."
                ),
                flag=True,
            ),
            Column("rationale", _("The focal point's written rationale for an overridden band.")),
            _PHASE,
            Column("counted", _("Steps given.")),
            Column("expected", _("Answers expected from the components it applies to.")),
            Column("sufficient", _("TRUE when enough answers were given for a finding.")),
            Column("spread", _("Highest minus lowest step between components.")),
            Column(
                "status",
                _(
                    "Method 3: critical, unverified, shortfall, over_integration, in_band, "
                    "insufficient or not_applicable."
                ),
            ),
            Column(
                "contested",
                _("Method 3: TRUE when a component is 2 steps or more from the voice."),
            ),
            Column(
                "band_reason",
                _(
                    "Method 3: why this band applied (phase, profile rule, override), or why the "
                    "indicator is not asked."
                ),
            ),
        ),
        rows.indicator_score_rows,
        rows.indicator_score_count,
    ),
    Table(
        "coherence_scores",
        _("Score per level of coherence."),
        (
            _MISSION,
            _QUARTER,
            _METHOD,
            Column("coherence_level", _("policy_strategic, operational_programmatic or admin.")),
            Column("score", _("Score, 1 to 5.")),
            Column("completeness", _("Share of expected answers given as a step, 0 to 1.")),
            Column("sufficient", _("TRUE when enough answers were given for the score.")),
        ),
        rows.coherence_rows,
        rows.coherence_count,
    ),
    Table(
        "actions",
        _(
            "Actions the missions agreed on their findings, followed until done or dropped "
            "(docs/actions.md)."
        ),
        (
            Column("action_id", _("Stable number of the action.")),
            _MISSION,
            Column("agreed_in", _("Quarter whose findings the action was agreed on.")),
            Column("dimension", _("Dimension code the action addresses.")),
            Column(
                "indicators",
                _("Codes of the flagged indicators it addresses; empty: the whole dimension."),
            ),
            Column("barriers", _("Codes of the barrier tags it addresses.")),
            Column("description", _("What will be done (typed by the focal point).")),
            Column("owner", _("Office or post that owns the action.")),
            Column("owner_user", _("User of the mission who owns it, if named.")),
            Column("due", _("Quarter by which it is due, e.g. 2026-Q4.")),
            Column("status", _("planned, in_progress, done or dropped.")),
            Column("dropped_reason", _("Why it was dropped.")),
            Column(
                "overdue",
                _("TRUE when the due quarter has passed and it is neither done nor dropped."),
            ),
            Column("last_note_on", _("Date of the latest progress note.")),
            Column("last_note", _("The latest progress note.")),
        ),
        rows.action_rows,
        rows.action_count,
    ),
)


def _written_out_utc(moment) -> str:
    """For the README's reader: "2 December 2026, 04:11", « 2 décembre 2026 04:11 » in French
    (the data sheets keep ISO 8601)."""
    with timezone.override(datetime.UTC):
        return datetime_long(moment)


def readme_lines(*, scope: DataScope, generated_at, marking: str) -> list[tuple]:
    """The README table: what the export holds and what every column means."""
    missions = scope.missions()
    has_demo = missions.filter(is_demo=True).exists()
    lines: list[tuple] = [
        (str(_("imp-assess data export")), None, None),
        (str(_("Classification")), marking, None),
        (str(_("Generated at (UTC)")), _written_out_utc(generated_at), None),
        (str(_("Scoring-method version")), METHOD_VERSION_LABEL, None),
        (str(_("Missions")), missions.count(), None),
    ]
    if scope.answer_components:
        codes = Mission.objects.in_bulk([m for m, _components in scope.answer_components])
        lines.append(
            (
                str(_("Answers")),
                join_clauses(
                    labelled(codes[m].code, ", ".join(components) or "—")
                    for m, components in scope.answer_components
                    if m in codes
                ),
                str(
                    _(
                        "Only the answers and evidence of these components (yours); the scores "
                        "cover every component."
                    )
                ),
            )
        )
    if has_demo:
        lines.append(
            (
                str(_("DEMO DATA")),
                str(_("Missions marked demo_data are fictional; their answers are synthetic.")),
                None,
            )
        )
    lines.append(
        (
            str(_("Formulas")),
            str(
                _(
                    "Text that begins with = + - @ or a tab (also after spaces or invisible "
                    "characters, and in their full-width forms) was given a leading ' so that "
                    "no spreadsheet runs it as a formula; characters that XML forbids were "
                    "replaced by \ufffd."
                )
            ),
            None,
        )
    )
    lines.append((None, None, None))
    lines.append((str(_("table")), str(_("column")), str(_("meaning"))))
    for table in TABLES:
        lines.append((table.name, None, str(table.description)))
        for column in table.columns:
            lines.append((table.name, column.name, str(column.description)))
    return lines
