"""How a demo mission is marked wherever a mission is named in plain text (forms, charts,
PDF tables): the one home of the marker. Pages use a "DEMO" badge beside the name."""

DEMO_MARK = "· DEMO"


def demo_marked(text: str, *, is_demo: bool) -> str:
    """``text`` followed by the demo marker when the mission is a demo one."""
    return f"{text} {DEMO_MARK}" if is_demo else text
