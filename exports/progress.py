"""Progress reporting for long exports, throttled so the database is not written per row."""

from collections.abc import Callable

ProgressCallback = Callable[[int], None]


class Progress:
    """Counts work done out of ``total`` and reports whole percentages between ``start`` and
    ``end`` (so that a step of a larger job maps onto its share of the bar)."""

    def __init__(
        self, total: int, report: ProgressCallback | None, *, start: int = 0, end: int = 100
    ):
        self.total = max(total, 1)
        self.report = report
        self.start, self.end = start, end
        self.done = 0
        self._last = -1

    def advance(self, n: int = 1) -> None:
        self.done += n
        if self.report is None:
            return
        percent = self.start + (self.end - self.start) * min(self.done, self.total) // self.total
        if percent != self._last:
            self._last = percent
            self.report(percent)
