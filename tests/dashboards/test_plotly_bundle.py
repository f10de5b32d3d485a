"""The dashboards load a partial plotly.js bundle (static/vendor/plotly-dashboards/): it must
hold every trace type the figures use, be the version of the pinned Python package, and keep
its licence beside it."""

import re
from pathlib import Path

import plotly

ROOT = Path(__file__).resolve().parents[2]
VENDOR = ROOT / "static" / "vendor" / "plotly-dashboards"
BUNDLE = VENDOR / "plotly-dashboards.min.js"


def _trace_types_used() -> set[str]:
    source = "".join(
        path.read_text(encoding="utf-8")
        for path in [*(ROOT / "dashboards").rglob("*.py"), *(ROOT / "exports").rglob("*.py")]
    )
    return {name.lower() for name in re.findall(r"\bgo\.([A-Z]\w+)\(", source)} - {"figure"}


def test_partial_bundle_registers_every_trace_type_the_figures_use():
    registered = set(
        re.findall(r'moduleType:"trace",name:"(\w+)"', BUNDLE.read_text(encoding="utf-8"))
    )
    missing = _trace_types_used() - registered
    assert not missing, (
        f"add {sorted(missing)} to static/vendor/plotly-dashboards/entry.js.txt and rebuild "
        "the bundle (README.md there)"
    )


def test_partial_bundle_is_the_pinned_plotly_js_version_with_its_licence():
    full = (Path(plotly.__file__).parent / "package_data" / "plotly.min.js").read_text(
        encoding="utf-8"
    )[:200]
    version = re.search(r"plotly\.js v([\d.]+)", full).group(1)
    assert BUNDLE.read_text(encoding="utf-8")[:200].startswith(f"/*! plotly.js v{version} ")
    assert "MIT" in (VENDOR / "LICENSE").read_text(encoding="utf-8")


def test_partial_bundle_is_well_under_the_full_one():
    full = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    assert BUNDLE.stat().st_size < full.stat().st_size / 3
