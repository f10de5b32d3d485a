"""Plotly figures to SVG through kaleido, with one headless chromium kept alive.

Plotly's static export (``fig.to_image``) drives chromium through kaleido. Starting chromium
costs about two seconds; rendering a figure in a running one about a tenth of that. kaleido
1.x runs a persistent "sync server" (``kaleido.start_sync_server``): while it runs, every
``fig.to_image`` call goes through the same chromium. ``figure_batch()`` starts it for a
batch of figures and, unless ``EXPORT_FIGURE_PROCESS_KEEP_ALIVE`` says to keep it warm for the
next request, stops it afterwards.

The server is one per process and not safe for concurrent calls, so renders take a lock.
MathJax is switched off: the figures hold no formulas, and its default source is a CDN.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import warnings
from collections.abc import Iterator

import kaleido
from django.conf import settings

logger = logging.getLogger(__name__)
# kaleido and choreographer log every browser tab they open at INFO: noise in a worker's log.
for _name in ("kaleido", "choreographer"):
    logging.getLogger(_name).setLevel(logging.WARNING)

_lock = threading.RLock()
_batch_depth = 0


def figure_server_running() -> bool:
    return kaleido._global_server.is_running()  # noqa: SLF001 (kaleido exposes no getter)


def _start() -> None:
    if not figure_server_running():
        logger.info("starting the figure renderer (kaleido + chromium)")
        kaleido.start_sync_server(mathjax=False, timeout=60, silence_warnings=True)


def figure_server_stop() -> None:
    with _lock:
        if figure_server_running():
            kaleido.stop_sync_server(silence_warnings=True)


@contextlib.contextmanager
def figure_batch() -> Iterator[None]:
    """Render every figure inside the block with one chromium process."""
    global _batch_depth
    with _lock:
        _start()
        _batch_depth += 1
    try:
        yield
    finally:
        with _lock:
            _batch_depth -= 1
            if _batch_depth == 0 and not settings.EXPORT_FIGURE_PROCESS_KEEP_ALIVE:
                figure_server_stop()


def figure_svg(figure, *, width: int, height: int) -> bytes:
    """The figure as SVG bytes, sized in CSS pixels."""
    with _lock, figure_batch():
        try:
            return _to_svg(figure, width, height)
        except Exception:
            # A chromium that died (killed, out of memory) leaves a dead server behind:
            # start a fresh one once before giving up.
            logger.warning("figure rendering failed; restarting the renderer", exc_info=True)
            figure_server_stop()
            _start()
            return _to_svg(figure, width, height)


def _to_svg(figure, width: int, height: int) -> bytes:
    with warnings.catch_warnings():
        # plotly passes its default request headers as "kopts", which a running server
        # ignores (it was configured when started) and warns about on every figure.
        warnings.filterwarnings("ignore", message="The kopts argument is ignored")
        return figure.to_image(format="svg", width=width, height=height)
