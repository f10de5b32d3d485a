"""plotly.js's own global style rules, as a static stylesheet for a strict CSP.

plotly.js normally injects these rules in a ``<style>`` element, which ``style-src 'self'``
forbids. It skips that when the page already has an element ``#plotly.js-style-global`` with
the class ``no-inline-styles``: the dashboards' layout links ``static/dashboards/plotly.css``
that way. The file is generated from the pinned bundle (a test checks it still matches):

    .venv/bin/python -m dashboards.plotly_css > static/dashboards/plotly.css
"""

import re
from pathlib import Path

import plotly

BUNDLE = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
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


def _version(source: str) -> str:
    match = re.search(r"plotly\.js v([0-9.]+)", source[:400])
    return match.group(1) if match else "?"


if __name__ == "__main__":
    print(plotly_base_css(), end="")
