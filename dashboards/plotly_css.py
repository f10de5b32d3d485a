"""plotly.js's own global style rules, as a static stylesheet for a strict CSP.

plotly.js normally injects these rules in a ``<style>`` element, which ``style-src 'self'``
forbids. It skips that when the page already has an element ``#plotly.js-style-global`` with
the class ``no-inline-styles``: the dashboards' layout links ``static/dashboards/plotly.css``
that way. The file is generated from the pinned bundle (a test checks it still matches):

    .venv/bin/python -m dashboards.plotly_css > static/dashboards/plotly.css

The map library bundled in plotly.js (MapLibre) injects its own ``<style>`` when the bundle
loads, unless an element with the id ``MAPLIBRE_STYLE_ID`` exists: the layout renders one
(no map is drawn here). A test checks the id still matches the pinned bundle.
"""

import re
from pathlib import Path

import plotly

BUNDLE = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
MAPLIBRE_STYLE_ID = "9f215cf04c5486422605d13261cb87401f4e7763b6296af81e98efbc0130da53"
_MAPLIBRE_STYLE = re.compile(
    r'document\.getElementById\("([0-9a-f]{64})"\)\)\{var \w+=document\.createElement\("style"\)'
)
_RULES = re.compile(r"\"([^\"]*)\":(?:'([^']*)'|\"([^\"]*)\")")


def plotly_base_css(bundle: Path = BUNDLE) -> str:
    source = bundle.read_text(encoding="utf-8")
    start = source.index('{"X,X div"')
    end = source.index("};for(", start)
    lines = [f"/* Generated from plotly.js {_version(source)} by dashboards/plotly_css.py. */"]
    for key, single, double in _RULES.findall(source[start + 1 : end]):
        selector = key.replace(",", " ,", 1) if key.startswith(",") else key
        selector = selector.replace("X", ".js-plotly-plot .plotly").replace("Y", ".plotly-notifier")
        lines.append(f"{selector}{{{single or double}}}")
    return "\n".join(lines) + "\n"


def plotly_maplibre_style_ids(bundle: Path = BUNDLE) -> list[str]:
    """The ids whose presence stops the bundle from injecting its map library's ``<style>``."""
    return _MAPLIBRE_STYLE.findall(bundle.read_text(encoding="utf-8"))


def _version(source: str) -> str:
    match = re.search(r"plotly\.js v([0-9.]+)", source[:400])
    return match.group(1) if match else "?"


if __name__ == "__main__":
    print(plotly_base_css(), end="")
