"""How a demo mission is marked wherever a mission is named in plain text (forms, charts,
PDF tables): the one home of the marker. Pages use a "DEMO" badge beside the name."""

from django.utils.translation import gettext, gettext_noop

# Translated where it is shown (gettext at call time), so a label follows the reader's language.
DEMO_MARK = gettext_noop("· DEMO")


def demo_mark() -> str:
    return gettext(DEMO_MARK)


def demo_marked(text: str, *, is_demo: bool) -> str:
    """``text`` followed by the demo marker when the mission is a demo one."""
    return f"{text} {demo_mark()}" if is_demo else text
