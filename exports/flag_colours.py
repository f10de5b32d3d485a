"""Placeholder for the one colour scheme of findings (shortfall, over-integration, in band).

The ``display`` branch brings the project's single colour module (``scoring.flags``); until it
is on main, the exports read these stand-ins, with the same names and the same hex values, so
that switching is a change of import and the deletion of this file.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

SHORTFALL = "shortfall"
OVER_INTEGRATION = "over_integration"
IN_BAND = "in_band"
INSUFFICIENT = "insufficient"


@dataclass(frozen=True)
class FlagStyle:
    key: str
    label: Promise
    colour: str
    text_colour: str
    symbol: str

    @property
    def argb(self) -> str:
        return "FF" + self.colour.lstrip("#").upper()


FLAG_STYLES: dict[str, FlagStyle] = {
    SHORTFALL: FlagStyle(SHORTFALL, _("shortfall"), "#E69F00", "#000000", "▼"),
    OVER_INTEGRATION: FlagStyle(OVER_INTEGRATION, _("over-integration"), "#0072B2", "#FFFFFF", "▲"),
    IN_BAND: FlagStyle(IN_BAND, _("in band"), "#009E73", "#000000", "●"),
    INSUFFICIENT: FlagStyle(INSUFFICIENT, _("insufficient data"), "#BBBBBB", "#000000", "○"),
}


def flag_key(flag: str | None, *, sufficient: bool = True) -> str:
    if not sufficient:
        return INSUFFICIENT
    if flag in (SHORTFALL, OVER_INTEGRATION):
        return flag
    return IN_BAND


def flag_style(key: str) -> FlagStyle:
    return FLAG_STYLES.get(key, FLAG_STYLES[INSUFFICIENT])
