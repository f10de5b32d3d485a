"""Dashboards and data exports read dimension titles, tag labels and indicator texts through
the questionnaire's one accessor, so they follow the reader's language (issue 16)."""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import translation

from dashboards.selectors.common import dimension_catalogue, tag_labels
from exports.rows import DataScope, dimension_rows, indicator_rows

pytestmark = pytest.mark.django_db
DATA = Path(__file__).resolve().parents[2] / "questionnaires/data"


@pytest.fixture
def shipped(db):
    for version in (1, 2):
        call_command("questionnaire_load", str(DATA / f"imp-core-v{version}.yaml"), "--publish")


def test_dimension_titles_and_tag_labels_follow_the_active_language(shipped):
    with translation.override("fr"):
        titles = [d.title for d in dimension_catalogue()]
        labels = tag_labels()
    assert titles[0] == "Direction et gestion"
    assert titles[2] == "Espace humanitaire, droits de l’homme et protection des civils"
    assert labels["LEAD-B-HQCONTROL"] == "Décisions essentielles gardées au Siège"
    with translation.override("en"):
        assert dimension_catalogue()[0].title == "Leadership and management"
        assert tag_labels()["LEAD-B-HQCONTROL"] == "Key decisions kept at headquarters"


def test_data_export_rows_carry_the_texts_in_the_requesters_language(shipped):
    scope = DataScope(())
    with translation.override("fr"):
        dims = {(row[1], row[3]): row[4] for row in dimension_rows(scope)}
        inds = {(row[1], row[3]): row for row in indicator_rows(scope)}
    assert dims[(2, "POL")] == "Stratégie politique et continuum de la paix"
    assert dims[(1, "POL")] == "Stratégie politique et continuum de la paix"  # v1 too (issue 28)
    statement, *_rubric, source = inds[(2, "RES-04")][6:]
    assert statement.startswith("Les projets à effet rapide (PER) sont planifiés")
    assert source.startswith("Executive summary")  # a citation, never translated
