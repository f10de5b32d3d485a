"""On a machine without a working chromium, PDF exports fail within seconds with the reason,
the exports page says so beforehand, and nothing hangs (it used to, for ever).

The time bounds here are generous on purpose: the behaviour is "fails instead of waiting for
ever" (the hanging stub sleeps 120 s), not a figure, and a busy machine (two cores shared by
many processes) can take several seconds to start Python or answer a request. How fast it
fails on a quiet machine is for a benchmark to say."""

import json
import os
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from exports import figure_renderer
from exports.models import ExportJob, ExportStatus

pytestmark = pytest.mark.django_db

PROJECT_ROOT = Path(__file__).resolve().parents[2]
MESSAGE = "PDF exports need chromium: apt-get install chromium"
# Less than the hanging stub's 120 s, far more than the 3 s start limit (see the module doc).
NEVER_HANGS = 60

# Renders one figure with each broken browser, in a fresh process with no browser on the PATH.
SCRIPT = textwrap.dedent(
    """
    import json, os, sys, time
    import django
    django.setup()
    import plotly.graph_objects as go
    from django.test.utils import override_settings
    from exports.figure_renderer import (
        FigureRendererUnavailable, figure_server_stop, figure_svg,
    )

    results = {}
    for case, path in json.loads(sys.argv[1]).items():
        started = time.monotonic()
        with override_settings(EXPORT_BROWSER_PATH=path, EXPORT_BROWSER_START_TIMEOUT=3):
            try:
                figure_svg(go.Figure(go.Scatter(y=[1, 2])), width=100, height=100)
                outcome = "rendered"
            except FigureRendererUnavailable as error:
                outcome = str(error)
            finally:
                figure_server_stop()
        results[case] = [outcome, time.monotonic() - started]
    print(json.dumps(results))
    """
)


def _broken_browsers(tmp_path: Path) -> dict[str, str | None]:
    dies = tmp_path / "dies"
    dies.write_text("#!/bin/sh\nexit 1\n")
    hangs = tmp_path / "hangs"
    hangs.write_text(f"#!/bin/sh\nexec {shutil.which('sleep')} 120\n")
    for script in (dies, hangs):
        script.chmod(0o755)
    return {"missing": str(tmp_path / "no-such-browser"), "dies": str(dies), "hangs": str(hangs)}


def test_the_renderer_without_a_browser_fails_within_seconds(tmp_path):
    env = {
        **os.environ,
        "PATH": str(tmp_path),  # no chromium anywhere on it
        "DJANGO_SETTINGS_MODULE": "imp_assess.settings",
        "DEBUG": "1",
    }
    env.pop("BROWSER_PATH", None)
    run = subprocess.run(  # noqa: S603 (our own interpreter and script)
        [sys.executable, "-c", SCRIPT, json.dumps(_broken_browsers(tmp_path))],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,  # Django set-up plus three cases on a busy machine
    )
    assert run.returncode == 0, run.stderr[-3000:]
    results = json.loads(run.stdout.strip().splitlines()[-1])
    for case, (outcome, seconds) in results.items():
        assert outcome.startswith(MESSAGE), (case, outcome)
        assert seconds < NEVER_HANGS, (case, seconds)
    # No browser at all: not even an attempt (an attempt waits the 3 s start limit).
    assert results["missing"][1] < 3
    assert "did not start" in results["dies"][0]
    assert "did not start within 3 s" in results["hangs"][0]


def test_a_pdf_export_without_chromium_fails_at_once_with_the_reason(client, known_data, settings):
    settings.EXPORT_BROWSER_PATH = "/nonexistent/chromium"
    # An earlier test may have cached the real browser as found, or left its chromium
    # running (EXPORT_FIGURE_PROCESS_KEEP_ALIVE): this test starts from a process without one.
    figure_renderer.browser_found.cache_clear()
    figure_renderer.figure_server_stop()
    personas = known_data.personas
    client.force_login(personas.focal_point_a)
    started = time.monotonic()
    response = client.post(
        reverse(
            "exports:mission_scorecard", args=[personas.mission_a.pk, known_data.current_period.pk]
        )
    )
    assert time.monotonic() - started < NEVER_HANGS
    job = ExportJob.objects.get()
    assert job.status == ExportStatus.FAILED
    assert job.error == MESSAGE
    assert response["Location"] == reverse("exports:job", args=[job.pk])
    assert MESSAGE in client.get(response["Location"]).content.decode()


def test_the_exports_page_says_so_before_anyone_asks(client, known_data, settings):
    client.force_login(known_data.personas.analyst)
    settings.EXPORT_BROWSER_PATH = "/nonexistent/chromium"
    figure_renderer.browser_found.cache_clear()
    try:
        page = client.get(reverse("exports:index")).content.decode()
        assert MESSAGE in page
        settings.EXPORT_BROWSER_PATH = str(Path(sys.executable))  # any executable will do here
        figure_renderer.browser_found.cache_clear()
        # Looked up once per process: not again on every page.
        assert MESSAGE not in client.get(reverse("exports:index")).content.decode()
        settings.EXPORT_BROWSER_PATH = "/nonexistent/chromium"
        assert MESSAGE not in client.get(reverse("exports:index")).content.decode()
    finally:
        figure_renderer.browser_found.cache_clear()


def test_the_browser_check_command_says_what_is_missing(settings, capsys):
    settings.EXPORT_BROWSER_PATH = "/nonexistent/chromium"
    call_command("exports_browser_check")
    assert MESSAGE in capsys.readouterr().out
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="apt-get install chromium"):
        call_command("exports_browser_check", "--strict")


def test_make_run_prints_the_check_once_before_serving():
    makefile = (PROJECT_ROOT / "Makefile").read_text()
    recipe = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert recipe.count("exports_browser_check") == 1
    assert recipe.index("exports_browser_check") < recipe.index("runserver")
