"""The one colour scheme for findings against target bands (method v2 and later).

Every page and file that shows a flag reads it from here: the board (``templates/assessments``
through the ``flag-*`` CSS classes of ``static/css/imp.css``, which a test keeps in step with
these hex values), the dashboards' figures and tables (``dashboards/figures.py``), and the
exports (scorecard PDF through the same figures; XLSX fills from ``FlagStyle.colour`` and
``FlagStyle.text_colour``).

Colour-blind safe: Okabe & Ito (2008) orange for shortfall, blue for over-integration, bluish
green for in band, and a neutral grey for "insufficient data" (no finding). Colour is never
alone: each flag also has a text label and a symbol (▼ below the band, ▲ above it, ● in band,
○ no finding), and a Plotly marker symbol and bar pattern for charts. ``text_colour`` is the
text to print on ``colour`` with a contrast of at least 4.5:1.

Pure: no database, no request. Usage::

    from scoring.flags import flag_key, flag_style

    style = flag_style(flag_key(row.flag, sufficient=row.sufficient))
    style.colour, style.symbol, str(style.label)
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# The keys. Stored IndicatorScore.flag uses the first two ("" when in band).
SHORTFALL = "shortfall"
OVER_INTEGRATION = "over_integration"
IN_BAND = "in_band"
INSUFFICIENT = "insufficient"  # not enough applicable answers: no finding either way
FLAG_KEYS = (SHORTFALL, OVER_INTEGRATION, IN_BAND, INSUFFICIENT)


@dataclass(frozen=True)
class FlagStyle:
    key: str
    label: Promise  # translatable text shown beside (or instead of) the colour
    colour: str  # fill, "#RRGGBB"
    text_colour: str  # text printed on ``colour`` (contrast >= 4.5:1)
    symbol: str  # a text marker, so the flag reads without colour
    marker: str  # Plotly marker symbol
    pattern: str  # Plotly bar pattern shape ("" = solid)

    @property
    def css_class(self) -> str:
        """The CSS class of ``static/css/imp.css`` that paints this flag (``flag-shortfall``)."""
        return "flag-" + self.key.replace("_", "-")

    @property
    def argb(self) -> str:
        """The fill as openpyxl wants it ("FFE69F00")."""
        return "FF" + self.colour.lstrip("#").upper()


FLAG_STYLES: dict[str, FlagStyle] = {
    SHORTFALL: FlagStyle(
        key=SHORTFALL,
        label=_("shortfall"),
        colour="#E69F00",  # Okabe–Ito orange
        text_colour="#000000",
        symbol="▼",
        marker="triangle-down",
        pattern="/",
    ),
    OVER_INTEGRATION: FlagStyle(
        key=OVER_INTEGRATION,
        label=_("over-integration"),
        colour="#0072B2",  # Okabe–Ito blue
        text_colour="#FFFFFF",
        symbol="▲",
        marker="triangle-up",
        pattern="x",
    ),
    IN_BAND: FlagStyle(
        key=IN_BAND,
        label=_("in band"),
        colour="#009E73",  # Okabe–Ito bluish green
        text_colour="#000000",
        symbol="●",
        marker="circle",
        pattern="",
    ),
    INSUFFICIENT: FlagStyle(
        key=INSUFFICIENT,
        label=_("insufficient data"),
        colour="#BBBBBB",
        text_colour="#000000",
        symbol="○",
        marker="circle-open",
        pattern=".",
    ),
}


# Method v3's critical finding (a safeguard breached): it leads every summary. Okabe–Ito
# vermillion, distinct from the shortfall's orange by its symbol (◆) and its pattern, never by
# colour alone; and the unverified safeguard (◇, reddish purple): not shown to be in band.
CRITICAL = "critical"
UNVERIFIED = "unverified"
CRITICAL_STYLE = FlagStyle(
    key=CRITICAL,
    label=_("critical finding"),
    colour="#D55E00",  # Okabe–Ito vermillion
    text_colour="#000000",
    symbol="◆",
    marker="diamond",
    pattern="+",
)
UNVERIFIED_STYLE = FlagStyle(
    key=UNVERIFIED,
    label=_("unverified safeguard"),
    colour="#CC79A7",  # Okabe–Ito reddish purple
    text_colour="#000000",
    symbol="◇",
    marker="diamond-open",
    pattern="-",
)
FINDING_STYLES: dict[str, FlagStyle] = {CRITICAL: CRITICAL_STYLE, UNVERIFIED: UNVERIFIED_STYLE}


def flag_key(flag: str | None, *, sufficient: bool = True) -> str:
    """The display key of a stored flag: an insufficient finding is never in band or flagged."""
    if not sufficient:
        return INSUFFICIENT
    if flag in (SHORTFALL, OVER_INTEGRATION):
        return flag
    return IN_BAND


def finding_style(status: str) -> FlagStyle:
    """The style of a method 3 indicator status: critical and unverified their own, the flags
    (shortfall, over-integration, in band, insufficient) as method 2's."""
    return FINDING_STYLES.get(status) or flag_style(status)


def flag_style(key: str) -> FlagStyle:
    """The style of a display key (see ``flag_key``); unknown keys read as insufficient."""
    return FLAG_STYLES.get(key, FLAG_STYLES[INSUFFICIENT])
