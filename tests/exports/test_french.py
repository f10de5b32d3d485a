"""Exports in French: the scorecard PDF's headings, and a job written in the language its
requester read the site in (kept on the job), whatever the worker's own language."""

import datetime
import re

import pytest
import time_machine
from django.utils import translation
from openpyxl import load_workbook
from pypdf import PdfReader

from assessments.models import Assessment
from exports.models import ExportJob, ExportKind
from exports.pdf import scorecard_pdf_write
from exports.services.requesting import export_job_request
from exports.services.running import export_job_run, job_language
from missions.models import Mission
from security.models import UserProfile

pytestmark = pytest.mark.django_db


def _pypdf_text(path) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(path).pages).split())


@pytest.mark.usefixtures("requires_chromium")
def test_scorecard_pdf_in_french_has_french_headings(known_data, tmp_path):
    Mission.objects.filter(pk=known_data.personas.mission_a.pk).update(is_demo=True)
    path = tmp_path / "fiche.pdf"
    with translation.override("fr"):
        scorecard_pdf_write(
            path=path,
            user=known_data.personas.analyst,
            mission_id=known_data.personas.mission_a.pk,
            period_id=known_data.current_period.pk,
        )
    text = _pypdf_text(path)
    for heading in (
        "Constats : indicateurs hors de leur fourchette",
        "Obstacles les plus fréquents",
        "Leviers les plus fréquents",
        "DONNÉES DE DÉMONSTRATION",
        "Alignement sur les cibles",
        "Niveau d’intégration",
    ):
        assert heading in text, heading
    for english in ("Findings: indicators outside", "Most frequent barriers", "DEMO DATA"):
        assert english not in text, english
    # The same card in English, for contrast: the headings did come from the catalogue.
    english_path = tmp_path / "scorecard.pdf"
    scorecard_pdf_write(
        path=english_path,
        user=known_data.personas.analyst,
        mission_id=known_data.personas.mission_a.pk,
        period_id=known_data.current_period.pk,
    )
    assert "Most frequent barriers" in _pypdf_text(english_path)
    assert Assessment.objects.filter(mission=known_data.personas.mission_a).exists()


def test_export_job_keeps_the_requesters_language(known_data):
    analyst = known_data.personas.analyst
    with translation.override("fr"):
        job = export_job_request(by=analyst, kind=ExportKind.DATA_XLSX)
    job = ExportJob.objects.get(pk=job.pk)
    assert job.parameters["language"] == "fr"
    assert job_language(job) == "fr"
    # A job from before the language was kept: the requester's profile decides.
    job.parameters.pop("language")
    assert job_language(job) == "en"
    UserProfile.objects.create(user=analyst, language="fr")
    assert job_language(job) == "fr"


def test_worker_writes_the_data_workbook_in_the_requesters_language(known_data, tmp_path):
    with translation.override("fr"):
        job = export_job_request(by=known_data.personas.analyst, kind=ExportKind.DATA_XLSX)
    destination = tmp_path / "donnees.xlsx"
    with translation.override("en"):  # the worker's own language does not matter
        done = export_job_run(job_id=job.pk, destination=destination)
    assert done is not None and done.status == "done", done and done.error
    readme = load_workbook(destination, read_only=True)["README"]
    cells = {str(cell.value) for row in readme.iter_rows() for cell in row if cell.value}
    assert "Exportation de données imp-assess" in cells
    assert "Code de la mission (voir le tableau des missions)." in cells
    assert "imp-assess data export" not in cells
    # The classification marking is an official label: the French one, from the settings.
    assert "NATIONS UNIES — CONFIDENTIEL" in cells and "UN CONFIDENTIAL" not in cells


def _deck_texts(path) -> str:
    from pptx import Presentation

    texts = []
    for slide in Presentation(str(path)).slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                texts.append(shape.text_frame.text)
            if shape.has_table:
                texts.extend(cell.text for row in shape.table.rows for cell in row.cells)
        texts.append(slide.notes_slide.notes_text_frame.text)
    return "\n".join(texts)


# The first of a month: French writes « 1er octobre 2026 ».
FIRST_OF_OCTOBER = datetime.datetime(2026, 10, 1, 9, 30, tzinfo=datetime.UTC)
_DECIMAL_POINT = re.compile(r"(?<![-\w.])\d+\.\d+\b")  # 3.4, not imp-score-2.0 nor 1.2.3


def test_french_deck_uses_french_quarters_dates_and_numbers(known_data, tmp_path):
    from exports.deck import briefing_deck_write

    personas, period = known_data.personas, known_data.current_period
    path = tmp_path / "diaporama.pptx"
    with translation.override("fr"), time_machine.travel(FIRST_OF_OCTOBER, tick=False):
        briefing_deck_write(
            path=path,
            user=personas.analyst,
            mission_ids=[personas.mission_a.pk, personas.mission_b.pk],
            period_id=period.pk,
        )
    text = _deck_texts(path)
    assert f"T{period.quarter}\u00a0{period.year}" in text
    assert period.label not in text  # the code 2026-Q3 is for URLs and files
    assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", text), "ISO dates in a French deck"
    # A decimal point (not a version such as imp-score-2.0) is English: French writes 3,4.
    assert not _DECIMAL_POINT.search(text), "decimal points in a French deck"
    assert re.search(r"\b\d+,\d\b", text), "no decimal comma in a French deck"
    assert "Données extraites le 1er octobre 2026 09:30 UTC" in text
    assert "Données extraites" in text and "Taux de réponse" in text
    assert "NATIONS UNIES — CONFIDENTIEL" in text and "UN CONFIDENTIAL" not in text


@pytest.mark.usefixtures("requires_chromium")
def test_french_scorecard_pdf_uses_french_quarters_dates_and_numbers(known_data, tmp_path):
    personas, period = known_data.personas, known_data.current_period
    path = tmp_path / "fiche.pdf"
    with translation.override("fr"), time_machine.travel(FIRST_OF_OCTOBER, tick=False):
        scorecard_pdf_write(
            path=path,
            user=personas.analyst,
            mission_id=personas.mission_a.pk,
            period_id=period.pk,
        )
    text = _pypdf_text(path)
    reader = PdfReader(path)
    quarter = f"T{period.quarter}\u00a0{period.year}"
    # the running title and the document's title: « Fiche de résultats MSN T3 2026 »
    assert str(reader.metadata.title).endswith(quarter), reader.metadata.title
    assert quarter in text.replace(" ", "\u00a0") or f"T{period.quarter} {period.year}" in text
    assert f"{period.year}-Q" not in text, "a quarter code in a French PDF"
    assert "01/10/2026" in text and "2026-10-01" not in text
    assert not _DECIMAL_POINT.search(text), "decimal points in a French PDF"
    assert re.search(r"\b\d+,\d\b", text), "no decimal comma in a French PDF"


def test_french_data_workbook_readme_writes_the_date_out_in_french(known_data, tmp_path):
    with translation.override("fr"):
        job = export_job_request(by=known_data.personas.analyst, kind=ExportKind.DATA_XLSX)
    destination = tmp_path / "donnees.xlsx"
    with time_machine.travel(FIRST_OF_OCTOBER, tick=False):
        done = export_job_run(job_id=job.pk, destination=destination)
    assert done is not None and done.status == "done", done and done.error
    readme = load_workbook(destination, read_only=True)["README"]
    rows = {row[0]: row[1:2] for row in readme.iter_rows(values_only=True) if row and row[0]}
    assert rows["Produit le (UTC)"] == ("1er octobre 2026 09:30",)
