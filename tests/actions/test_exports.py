"""The data export's actions sheet (XLSX and CSV) and the scorecard's actions section."""

import csv
import datetime
import io
import shutil
import subprocess
import zipfile

import pytest
from openpyxl import load_workbook

from actions.services import action_create, action_note_add, action_update
from exports.csv_zip import data_csv_zip_write
from exports.pdf import scorecard_pdf_write
from exports.tables import DataScope
from exports.xlsx import data_xlsx_write
from tests.exports.conftest import requires_chromium  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

HEADER = [
    "action_id", "mission", "agreed_in", "dimension", "indicators", "barriers", "description",
    "owner", "owner_user", "due", "status", "dropped_reason", "overdue", "last_note_on",
    "last_note",
]  # fmt: skip


@pytest.fixture
def two_actions(personas, quarters):
    first = quarters.assessments[0]
    overdue = action_create(
        assessment=first, by=personas.focal_point_a, description="-1 roles clarified",
        owner="Chief of Staff", indicator_codes=["LEAD-01"], barrier_codes=["LEAD-B-ROLES"],
        owner_user=personas.respondent_a, due=(first.period.year, first.period.quarter),
    )  # fmt: skip
    dropped = action_create(
        assessment=quarters.assessments[2], by=personas.focal_point_a, description="Forum",
        owner="OCHA", dimension_code="HUM", due=(2099, 4),
    )  # fmt: skip
    action_update(
        action=dropped, by=personas.focal_point_a, description="Forum", owner="OCHA",
        due=(2099, 4), status="dropped", dropped_reason="Merged into the ISF review",
    )  # fmt: skip
    action_note_add(action=overdue, by=personas.focal_point_a, text="first",
                    noted_on=datetime.date(2020, 1, 1))  # fmt: skip
    action_note_add(action=overdue, by=personas.focal_point_a, text="=latest",
                    noted_on=datetime.date(2020, 2, 1))  # fmt: skip
    return overdue, dropped


def test_xlsx_and_csv_have_the_actions_sheet(personas, quarters, two_actions, tmp_path):
    overdue, dropped = two_actions
    first = overdue.assessment.period.label
    xlsx = tmp_path / "data.xlsx"
    counts = data_xlsx_write(path=xlsx, scope=DataScope())
    assert counts["actions"] == 2
    workbook = load_workbook(xlsx, read_only=True)
    rows = [[cell.value for cell in row] for row in workbook["actions"].iter_rows()]
    workbook.close()
    assert rows[0] == HEADER
    assert rows[1] == [
        overdue.pk, "MSN-A", first, "LEAD", "LEAD-01", "LEAD-B-ROLES", "'-1 roles clarified",
        "Chief of Staff", "respondent_a", first, "planned", None, True, "2020-02-01", "'=latest",
    ]  # fmt: skip
    assert rows[2][10:13] == ["dropped", "Merged into the ISF review", False]
    archive = tmp_path / "data.zip"
    data_csv_zip_write(path=archive, scope=DataScope(mission_ids=(personas.mission_b.pk,)))
    with zipfile.ZipFile(archive) as opened:
        text = io.TextIOWrapper(opened.open("actions.csv"), encoding="utf-8", newline="")
        assert list(csv.reader(text)) == [HEADER]  # mission B's export: none of A's actions


@pytest.mark.usefixtures("requires_chromium")
def test_scorecard_has_the_actions_section(personas, quarters, two_actions, tmp_path):
    overdue, dropped = two_actions
    path = tmp_path / "scorecard.pdf"
    scorecard_pdf_write(
        path=path,
        user=personas.analyst,
        mission_id=personas.mission_a.pk,
        period_id=quarters.periods[2].pk,
    )
    assert shutil.which("pdftotext"), "poppler-utils (pdftotext) is needed to read the PDF"
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Actions agreed and their status" in text
    # Agreed in Q-3 and still open: carried to Q-1's scorecard, overdue.
    line = next(line for line in text.splitlines() if "roles clarified" in line)
    assert overdue.assessment.period.label in line and "LEAD: LEAD-01" in line
    assert "Planned" in line and "overdue" in line
    # Agreed in Q-1 itself and dropped: shown with its reason.
    assert "Dropped: Merged into the ISF" in text


def test_briefing_deck_has_an_actions_slide_per_mission(personas, quarters, two_actions, tmp_path):
    from pptx import Presentation

    from exports.deck import briefing_deck_write, deck_slide_count

    overdue, dropped = two_actions
    path = tmp_path / "deck.pptx"
    briefing_deck_write(
        path=path,
        user=personas.analyst,
        mission_ids=[personas.mission_a.pk],
        period_id=quarters.periods[2].pk,
    )
    presentation = Presentation(str(path))
    assert len(presentation.slides) == deck_slide_count(1) == 6
    slide = presentation.slides[-1]
    assert slide.shapes.title.text_frame.text == "MSN-A: actions agreed"
    table = next(s.table for s in slide.shapes if s.name == "actions-MSN-A")
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[0] == ["Agreed in", "Addresses", "What will be done", "Owner", "Due", "Status"]
    carried = next(row for row in rows if "roles clarified" in row[2])
    assert carried[:2] == [overdue.assessment.period.label, "LEAD: LEAD-01"]
    assert carried[3] == "Chief of Staff" and carried[5] == "Planned — overdue"
    assert any(row[5] == "Dropped: Merged into the ISF review" for row in rows)
    assert (
        "UN CONFIDENTIAL"
        in next(s for s in slide.shapes if s.name == "Classification marking").text_frame.text
    )
