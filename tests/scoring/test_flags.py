"""The one colour scheme for flags: colour-blind safe, readable, never colour alone, one home."""

import re
from pathlib import Path

import pytest

from scoring.flags import (
    FLAG_KEYS,
    FLAG_STYLES,
    IN_BAND,
    INSUFFICIENT,
    OVER_INTEGRATION,
    SHORTFALL,
    flag_key,
    flag_style,
)

CSS = Path(__file__).resolve().parents[2] / "static" / "css" / "imp.css"


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_every_flag_has_a_style_with_label_and_symbol():
    assert set(FLAG_STYLES) == set(FLAG_KEYS)
    symbols = {style.symbol for style in FLAG_STYLES.values()}
    assert len(symbols) == len(FLAG_KEYS)  # the symbol alone tells the flags apart
    assert len({style.colour for style in FLAG_STYLES.values()}) == len(FLAG_KEYS)
    for style in FLAG_STYLES.values():
        assert str(style.label)


def test_shortfall_and_over_integration_are_okabe_ito():
    assert flag_style(SHORTFALL).colour in {"#E69F00", "#D55E00"}
    assert flag_style(OVER_INTEGRATION).colour == "#0072B2"
    assert flag_style(IN_BAND).colour == "#009E73"


@pytest.mark.parametrize("key", FLAG_KEYS)
def test_text_on_each_flag_colour_is_readable(key):
    style = flag_style(key)
    assert _contrast(style.colour, style.text_colour) >= 4.5


@pytest.mark.parametrize("key", FLAG_KEYS)
def test_css_classes_use_the_same_hex(key):
    style = flag_style(key)
    rule = re.search(r"\." + re.escape(style.css_class) + r"\s*\{([^}]*)\}", CSS.read_text())
    assert rule, style.css_class
    assert f"background: {style.colour};" in rule.group(1)
    assert f"color: {style.text_colour};" in rule.group(1)


def test_flag_key_reads_stored_flags():
    assert flag_key("shortfall") == SHORTFALL
    assert flag_key("over_integration") == OVER_INTEGRATION
    assert flag_key("") == IN_BAND
    assert flag_key(None) == IN_BAND
    assert flag_key("over_integration", sufficient=False) == INSUFFICIENT
    assert flag_style("nonsense") == flag_style(INSUFFICIENT)
    assert flag_style(SHORTFALL).argb == "FFE69F00"
    assert flag_style(OVER_INTEGRATION).css_class == "flag-over-integration"


@pytest.mark.parametrize("key", ["critical", "unverified"])
def test_critical_and_unverified_styles_are_readable_distinct_and_in_the_css(key):
    from scoring.flags import FINDING_STYLES

    style = FINDING_STYLES[key]
    assert _contrast(style.colour, style.text_colour) >= 4.5
    others = {s.symbol for s in FLAG_STYLES.values()} | {s.colour for s in FLAG_STYLES.values()}
    assert style.symbol not in others and style.colour not in others
    rule = re.search(r"\." + re.escape(style.css_class) + r"\s*\{([^}]*)\}", CSS.read_text())
    assert rule and f"background: {style.colour};" in rule.group(1)
