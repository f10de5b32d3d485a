"""The API against the live app over HTTP, with nothing but a token, as BI tools use it.

- Power Query reads a CSV endpoint page by page (following the ``Link`` header) and gets
  exactly the rows of the data export's table for the same person.
- Schemathesis generates requests from our own OpenAPI schema: no 5xx, and every response
  conforms to the schema (status code, content type, body). ``max_examples`` per operation
  is kept small so that ``make test`` stays quick.
"""

import csv
import io
import re
import urllib.request
import zipfile

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from exports.csv_zip import data_csv_zip_write
from exports.permissions import data_scope_answer_components, data_scope_mission_ids
from exports.tables import DataScope
from tests.api.conftest import token_for

pytestmark = pytest.mark.django_db(transaction=True)

NEXT_LINK = re.compile(r'<([^>]+)>;\s*rel="next"')


def _get(url: str, key: str, accept: str = "text/csv") -> tuple[str, dict]:
    request = urllib.request.Request(  # noqa: S310 (the live test server)
        url, headers={"Authorization": f"Bearer {key}", "Accept": accept}
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return response.read().decode(), dict(response.headers)


def _export_rows(user, table: str, tmp_path) -> list[list[str]]:
    mission_ids = data_scope_mission_ids(user)
    path = tmp_path / f"export-{user.pk}.zip"
    # As the data export job builds its scope: a respondent's figures follow the component rule.
    scope = DataScope(
        mission_ids=mission_ids,
        answer_components=data_scope_answer_components(user, mission_ids),
    )
    data_csv_zip_write(path=path, scope=scope)
    with zipfile.ZipFile(path) as archive:
        text = archive.read(f"{table}.csv").decode()
    return list(csv.reader(io.StringIO(text)))


@pytest.mark.parametrize("persona", ["analyst", "respondent_a"])
@pytest.mark.parametrize(
    ("path", "table"),
    [
        ("/api/v1/scores/dimensions/", "dimension_scores"),
        ("/api/v1/scores/indicators/", "indicator_scores"),
    ],
)
def test_power_query_reads_csv_pages_and_gets_the_data_exports_rows(
    live_server, personas, small, tmp_path, persona, path, table
):
    user = personas.all()[persona]
    key = token_for(user)
    url, header, rows, pages = f"{live_server.url}{path}?page_size=3", None, [], 0
    while url:
        text, headers = _get(url, key)
        assert headers["Content-Type"].startswith("text/csv")
        page = list(csv.reader(io.StringIO(text)))
        header = header or page[0]
        assert page[0] == header
        rows += page[1:]
        pages += 1
        match = NEXT_LINK.search(headers.get("Link", ""))
        url = match[1] if match else None
    exported = _export_rows(user, table, tmp_path)
    assert header == exported[0]
    assert sorted(rows) == sorted(exported[1:])
    assert len(rows) == len(exported) - 1 > 0
    assert pages == -(-len(rows) // 3) or pages == len(rows) // 3 + 1


def test_schemathesis_no_server_error_and_responses_match_the_schema(live_server, personas, small):
    key = token_for(personas.analyst)
    headers = {"Authorization": f"Bearer {key}"}
    schema = schemathesis.openapi.from_url(
        f"{live_server.url}/api/v1/schema/?format=json", headers=headers
    )
    checks = [
        not_a_server_error,
        status_code_conformance,
        content_type_conformance,
        response_schema_conformance,
    ]
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=6,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def run(case):
            case.call_and_validate(base_url=live_server.url, headers=headers, checks=checks)

        run()
