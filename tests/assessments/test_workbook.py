# ruff: noqa: F811 (the IMP-CORE v3 fixture is imported from the storage tests)
"""The offline workbook: download, fill with openpyxl, upload back through HTTP."""

import io
import subprocess
import zipfile
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from assessments.models import Answer, AnswerChoice
from assessments.services import AnswerInput, response_answers_save, response_get_or_create
from assessments.workbook import META_ENTRIES_ROW, META_SHEET
from tests.scoring.test_method_v3_storage import assessment_v3  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def _download(client, assessment, component="political", language="en") -> bytes:
    url = reverse("assessments:workbook_download", args=[assessment.pk, component])
    reply = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert reply.status_code == 200, reply.content[:300]
    assert reply["Content-Type"].startswith("application/vnd.openxmlformats")
    return reply.content


def _rows(book) -> dict[str, tuple[str, int]]:
    meta = book[META_SHEET]
    rows = {}
    for code, sheet, row, _revision in meta.iter_rows(
        min_row=META_ENTRIES_ROW, max_col=4, values_only=True
    ):
        if not code:
            break
        rows[code] = (sheet, row)
    return rows


def _fill(data: bytes, values: dict[str, dict]) -> bytes:
    """Set cells by indicator code: answer (col H), evidence (I), tags (J), other (K)."""
    book = load_workbook(io.BytesIO(data))
    rows = _rows(book)
    columns = {"answer": 8, "evidence": 9, "tags": 10, "other": 11}
    for code, cells in values.items():
        sheet, row = rows[code]
        for key, value in cells.items():
            book[sheet].cell(row, columns[key]).value = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _upload(client, assessment, data: bytes, component="political", language="en"):
    url = reverse("assessments:workbook", args=[assessment.pk, component])
    upload = io.BytesIO(data)
    upload.name = "answers.xlsx"
    return client.post(url, {"workbook": upload}, HTTP_ACCEPT_LANGUAGE=language)


def _answers(assessment, component="political") -> dict[str, tuple]:
    return {
        a.indicator.code: (a.choice, a.evidence, tuple(a.tag_codes), a.revision)
        for a in Answer.objects.filter(
            response__assessment=assessment, response__component=component
        ).select_related("indicator")
    }


def _label(value: str, language: str) -> str:
    with translation.override(language):
        return str(AnswerChoice(value).label)


def test_workbook_has_a_sheet_per_dimension_locked_except_the_answer_cells(
    client, personas, assessment_a
):
    client.force_login(personas.respondent_a)
    book = load_workbook(io.BytesIO(_download(client, assessment_a)))
    assert book.sheetnames == [META_SHEET, "LEAD", "HUM"]
    assert book[META_SHEET].sheet_state == "hidden"
    sheet = book["LEAD"]
    assert sheet.protection.sheet
    sheet_name, row = _rows(book)["LEAD-01"]
    assert sheet.cell(row, 1).value == "LEAD-01"
    assert sheet.cell(row, 1).protection.locked
    assert sheet.cell(row, 2).protection.locked
    assert all(not sheet.cell(row, column).protection.locked for column in (8, 9, 10, 11))
    validations = sheet.data_validations.dataValidation
    assert validations and validations[0].type == "list"
    assert f"{sheet.cell(row, 8).coordinate}" in str(validations[0].sqref)
    # A respondent does not see the bands.
    assert sheet.cell(3, 12).value is None


@pytest.mark.parametrize("language", ["en", "fr"])
def test_round_trip_saves_the_answers_with_history(client, personas, assessment_a, language):
    client.force_login(personas.respondent_a)
    data = _download(client, assessment_a, language=language)
    book = load_workbook(io.BytesIO(data))
    headers = [c.value for c in book["LEAD"][3]]
    assert ("Indicateur" in headers) == (language == "fr")
    filled = _fill(
        data,
        {
            "LEAD-01": {
                "answer": _label("3", language),
                "evidence": "Joint plan",
                "tags": "LEAD-B-ROLES",
            },
            "LEAD-02": {"answer": _label("na", language), "evidence": "No such body here"},
            "HUM-01": {"answer": _label("dk", language)},
        },
    )
    reply = _upload(client, assessment_a, filled, language=language)
    assert reply.status_code == 200, reply.content.decode()[:2000]
    assert _answers(assessment_a) == {
        "LEAD-01": ("3", "Joint plan", ("LEAD-B-ROLES",), 1),
        "LEAD-02": ("na", "No such body here", (), 1),
        "HUM-01": ("dk", "", (), 1),
    }
    record = Answer.objects.get(indicator__code="LEAD-01").history.first()
    assert record.history_change_reason == "uploaded from workbook"
    assert record.history_user == personas.respondent_a
    assert "LEAD-01" in reply.content.decode()


def test_every_error_is_listed_and_nothing_is_saved(client, personas, assessment_a):
    client.force_login(personas.respondent_a)
    filled = _fill(
        _download(client, assessment_a),
        {
            "LEAD-01": {"answer": "7", "tags": "NOT-A-TAG"},
            "LEAD-02": {"answer": "na", "evidence": "=1+1"},
            "HUM-01": {"answer": "2", "evidence": "x" * 2001},
        },
    )
    reply = _upload(client, assessment_a, filled)
    assert reply.status_code == 400
    page = reply.content.decode()
    assert "“7” is not an answer" in page
    assert "Unknown barrier or enabler: NOT-A-TAG" in page
    assert "formula" in page
    assert "Evidence is limited to 2000 characters" in page
    assert "The workbook has 4 errors" in page
    assert _answers(assessment_a) == {}


def test_not_applicable_without_a_reason_is_an_error(client, personas, assessment_a):
    client.force_login(personas.respondent_a)
    filled = _fill(_download(client, assessment_a), {"LEAD-02": {"answer": "Not applicable"}})
    reply = _upload(client, assessment_a, filled)
    assert reply.status_code == 400
    assert "needs its reason" in reply.content.decode()
    assert _answers(assessment_a) == {}


def test_second_upload_of_the_same_file_changes_nothing(client, personas, assessment_a):
    client.force_login(personas.respondent_a)
    filled = _fill(_download(client, assessment_a), {"LEAD-01": {"answer": "4"}})
    assert _upload(client, assessment_a, filled).status_code == 200
    first = _answers(assessment_a)
    reply = _upload(client, assessment_a, filled)
    assert reply.status_code == 200
    assert "changed no answer" in reply.content.decode()
    assert _answers(assessment_a) == first
    assert Answer.history.filter(indicator__code="LEAD-01").count() == 1


def test_answer_changed_on_the_server_is_a_conflict_and_the_rest_is_saved(
    client, personas, assessment_a, second_political_respondent_a
):
    client.force_login(personas.respondent_a)
    filled = _fill(
        _download(client, assessment_a),
        {"LEAD-01": {"answer": "4", "evidence": "mine"}, "HUM-01": {"answer": "2"}},
    )
    response = response_get_or_create(assessment=assessment_a, component="political")
    response_answers_save(
        response=response,
        by=second_political_respondent_a,
        answers=[AnswerInput("LEAD-01", choice="2", evidence="theirs", base_revision=0)],
    )
    reply = _upload(client, assessment_a, filled)
    assert reply.status_code == 409
    page = reply.content.decode()
    assert "Keep mine" in page and "Keep theirs" in page
    assert _answers(assessment_a)["LEAD-01"][:2] == ("2", "theirs")  # not overwritten
    assert _answers(assessment_a)["HUM-01"][0] == "2"  # the rest is saved

    resolve = reverse("assessments:workbook_resolve", args=[assessment_a.pk, "political"])
    reply = client.post(
        resolve,
        {
            "conflict": "LEAD-01",
            "LEAD-01-choice": "4",
            "LEAD-01-evidence": "mine",
            "LEAD-01-other_tags": "",
            "LEAD-01-revision": "0",
            "LEAD-01-saved_revision": "1",
            "LEAD-01-keep": "mine",
        },
    )
    assert reply.status_code == 200, reply.content.decode()[:2000]
    assert _answers(assessment_a)["LEAD-01"][:2] == ("4", "mine")


def test_keep_theirs_writes_nothing(client, personas, assessment_a, second_political_respondent_a):
    client.force_login(personas.respondent_a)
    response = response_get_or_create(assessment=assessment_a, component="political")
    response_answers_save(
        response=response,
        by=second_political_respondent_a,
        answers=[AnswerInput("LEAD-01", choice="2", evidence="theirs", base_revision=0)],
    )
    before = _answers(assessment_a)
    resolve = reverse("assessments:workbook_resolve", args=[assessment_a.pk, "political"])
    reply = client.post(
        resolve,
        {
            "conflict": "LEAD-01",
            "LEAD-01-choice": "4",
            "LEAD-01-revision": "0",
            "LEAD-01-saved_revision": "1",
            "LEAD-01-keep": "theirs",
        },
    )
    assert reply.status_code == 200
    assert _answers(assessment_a) == before


def test_resolve_without_a_choice_is_refused(client, personas, assessment_a):
    client.force_login(personas.respondent_a)
    resolve = reverse("assessments:workbook_resolve", args=[assessment_a.pk, "political"])
    reply = client.post(resolve, {"conflict": "LEAD-01", "LEAD-01-choice": "4"})
    assert reply.status_code == 400
    assert _answers(assessment_a) == {}


def test_workbook_of_another_mission_is_refused_saying_which(
    client, personas, assessment_a, assessment_b
):
    client.force_login(personas.respondent_b)
    other = _fill(
        _download(client, assessment_b, component="military"), {"HUM-01": {"answer": "2"}}
    )
    client.force_login(personas.respondent_a)
    reply = _upload(client, assessment_a, other)
    assert reply.status_code == 400
    assert "This workbook is for mission MSN-B, not MSN-A." in reply.content.decode()
    assert _answers(assessment_a) == {}


def test_workbook_of_another_questionnaire_version_is_refused(client, personas, assessment_a):
    client.force_login(personas.respondent_a)
    data = _download(client, assessment_a)
    book = load_workbook(io.BytesIO(data))
    meta = book[META_SHEET]
    for row in range(1, 10):
        if meta.cell(row, 1).value == "version":
            meta.cell(row, 2).value = 7
    out = io.BytesIO()
    book.save(out)
    reply = _upload(client, assessment_a, out.getvalue())
    assert reply.status_code == 400
    assert "made for questionnaire version 7" in reply.content.decode()


def test_a_file_that_is_not_a_workbook_is_refused(client, personas, assessment_a):
    client.force_login(personas.respondent_a)
    reply = _upload(client, assessment_a, b"not a zip at all")
    assert reply.status_code == 400
    assert "This is not a valid Excel (.xlsx) file." in reply.content.decode()


def test_a_file_over_the_size_limit_is_refused(client, personas, assessment_a, settings):
    client.force_login(personas.respondent_a)
    reply = _upload(client, assessment_a, b"0" * (2 * 1024 * 1024 + 1))
    assert reply.status_code == 400
    assert "larger than 2 MB" in reply.content.decode()


def _repacked(data: bytes, extra: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        for name, content in extra.items():
            target.writestr(name, content)
    return out.getvalue()


EXTERNAL_LINK = (
    b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
    b'.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxml'
    b'formats.org/officeDocument/2006/relationships/externalLinkPath" Target="file:///C:/o.xlsx"'
    b' TargetMode="External"/></Relationships>'
)


@pytest.mark.parametrize(
    ("part", "message"),
    [
        ("xl/vbaProject.bin", "macros"),  # the hardened reader's words
        (
            "xl/externalLinks/_rels/externalLink1.xml.rels",
            "links to content outside it",
        ),
    ],
)
def test_macros_and_external_links_are_refused(client, personas, assessment_a, part, message):
    client.force_login(personas.respondent_a)
    content = EXTERNAL_LINK if part.endswith(".rels") else b"<x/>"
    data = _repacked(_download(client, assessment_a), {part: content})
    reply = _upload(client, assessment_a, data)
    assert reply.status_code == 400
    assert message in reply.content.decode()


def test_a_part_that_unpacks_beyond_the_limit_is_refused(client, personas, assessment_a):
    client.force_login(personas.respondent_a)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", b"<Types/>")
        package.writestr("xl/workbook.xml", b" " * (31 * 1024 * 1024))
    reply = _upload(client, assessment_a, out.getvalue())
    assert reply.status_code == 400
    assert "too large once unpacked" in reply.content.decode()


def test_focal_point_workbook_of_mission_level_indicators_shows_bands(
    client, personas, assessment_a_v2
):
    client.force_login(personas.focal_point_a)
    data = _download(client, assessment_a_v2, component="mission")
    book = load_workbook(io.BytesIO(data))
    rows = _rows(book)
    assert set(rows) == {"MS-01", "MS-04"}
    sheet, row = rows["MS-01"]
    assert book[sheet].cell(row, 12).value == "2–3"
    filled = _fill(data, {"MS-01": {"answer": "3"}})
    assert _upload(client, assessment_a_v2, filled, component="mission").status_code == 200
    assert _answers(assessment_a_v2, "mission")["MS-01"][0] == "3"


def test_respondent_cannot_download_another_components_workbook(client, personas, assessment_a):
    client.force_login(personas.respondent_a)
    url = reverse("assessments:workbook_download", args=[assessment_a.pk, "military"])
    assert client.get(url).status_code == 404


@pytest.mark.service
def test_libreoffice_resaved_workbook_uploads(client, personas, assessment_a, tmp_path: Path):
    client.force_login(personas.respondent_a)
    filled = _fill(
        _download(client, assessment_a),
        {"LEAD-01": {"answer": "5", "evidence": "Shared analysis", "tags": "LEAD-E-RETREAT"}},
    )
    source = tmp_path / "in" / "answers.xlsx"
    source.parent.mkdir()
    source.write_bytes(filled)
    out = tmp_path / "out"
    subprocess.run(  # noqa: S603 - fixed arguments, our own temporary file
        [
            "/usr/bin/soffice",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    resaved = (out / "answers.xlsx").read_bytes()
    assert resaved != filled
    reply = _upload(client, assessment_a, resaved)
    assert reply.status_code == 200, reply.content.decode()[:3000]
    assert _answers(assessment_a)["LEAD-01"][:3] == ("5", "Shared analysis", ("LEAD-E-RETREAT",))


def test_a_not_applicable_answer_on_imp_core_v3_saves_its_reason_from_the_workbook(
    client, personas, assessment_v3
):
    """IMP-CORE v3 needs a written reason with every "not applicable" answer: the workbook's
    evidence column carries it and the upload saves it as the answer's reason, as the
    answering page does; the next download shows it back."""
    client.force_login(personas.respondent_a)
    data = _download(client, assessment_v3)
    code = next(iter(_rows(load_workbook(io.BytesIO(data)))))
    reason = "No humanitarian operation in this district."
    filled = _fill(data, {code: {"answer": "Not applicable", "evidence": reason}})
    reply = _upload(client, assessment_v3, filled)
    assert reply.status_code == 200
    assert "1 answer changed by the workbook" in reply.content.decode()
    answer = Answer.objects.get(
        response__assessment=assessment_v3, response__component="political", indicator__code=code
    )
    assert (answer.choice, answer.na_reason) == (AnswerChoice.NOT_APPLICABLE, reason)
    book = load_workbook(io.BytesIO(_download(client, assessment_v3)))
    sheet, row = _rows(book)[code]
    assert book[sheet].cell(row, 9).value == reason


def test_a_reason_over_the_limit_is_an_error_naming_the_row(client, personas, assessment_v3):
    from assessments.models import REASON_MAX_LENGTH

    client.force_login(personas.respondent_a)
    data = _download(client, assessment_v3)
    code = next(iter(_rows(load_workbook(io.BytesIO(data)))))
    long_reason = "x" * (REASON_MAX_LENGTH + 1)
    filled = _fill(data, {code: {"answer": "Not applicable", "evidence": long_reason}})
    reply = _upload(client, assessment_v3, filled)
    assert reply.status_code == 400
    page = reply.content.decode()
    assert code in page and f"The reason is limited to {REASON_MAX_LENGTH} characters" in page
    assert _answers(assessment_v3) == {}
