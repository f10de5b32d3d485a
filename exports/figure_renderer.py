"""Plotly figures to SVG through kaleido, with one headless chromium kept alive.

Plotly's static export drives chromium through kaleido. Starting chromium costs about two
seconds; rendering a figure in a running one about a tenth of that. ``figure_batch()`` starts
one chromium for a batch of figures and, unless ``EXPORT_FIGURE_PROCESS_KEEP_ALIVE`` says to
keep it warm for the next request, stops it afterwards.

A missing or dead browser is an error within seconds, never a wait: kaleido's own "sync
server" waits for ever when its browser thread dies (a machine without chromium hung a PDF
export, and the test suite, for good). So this module runs kaleido on an event loop thread of
its own and waits for every step with a time limit:

- no browser at all: ``FigureRendererUnavailable`` at once ("PDF exports need chromium:
  apt-get install chromium"), before anything starts; ``browser_found()`` tells pages and
  ``manage.py exports_browser_check`` the same beforehand;
- a browser that does not start (crashes, hangs): the same error after
  ``EXPORT_BROWSER_START_TIMEOUT`` seconds at most, and the process is killed;
- a figure that does not come back within ``EXPORT_FIGURE_TIMEOUT``: the renderer is restarted
  once, then the error is raised.

Speed (issue #29). kaleido's ``calc_fig`` ends each figure with a reload of its browser tab
(plotly.js parsed again: about two thirds of a figure's time and of chromium's CPU), and the
caller waits for it. This module renders through kaleido's tab directly (``_render``: the same
``kaleido_scopes.plotly`` call, which draws in a fresh element and purges it, as kaleido 0.x
did without reloads) and reloads a tab only every ``RENDERS_PER_RELOAD`` figures. Those are
kaleido 1.5 internals (kaleido is pinned; ``tests/exports/test_pdf_fast_path.py`` checks the
SVG against kaleido's own ``calc_fig``). And ``figure_svg_later`` starts a figure without
waiting: a document's or a whole pack's figures render in the browser's own process, on
``FIGURE_TABS`` tabs, while this process lays out text (WeasyPrint), and the SVG is waited for
only when the layout reaches the image. A figure that failed that way is rendered again, as
``figure_svg`` does, after a restart of the renderer.

The browser is ``BROWSER_PATH`` (the ``EXPORT_BROWSER_PATH`` setting) when set, otherwise the
first chromium-like browser choreographer (kaleido's browser driver) finds on the ``PATH`` or
in the usual places. The renderer is one per process and not safe for concurrent calls, so
renders take a lock. MathJax is switched off: the figures hold no formulas, and its default
source is a CDN.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import functools
import logging
import os
import signal
import threading
from collections.abc import Iterator

import kaleido
from choreographer.browsers.chromium import Chromium
from django.conf import settings
from django.utils.translation import gettext as _
from kaleido import _profiler
from kaleido._utils import fig_tools
from plotly.io._utils import validate_coerce_fig_to_dict

logger = logging.getLogger(__name__)
# kaleido and choreographer log every browser tab they open at INFO: noise in a worker's log.
for _name in ("kaleido", "choreographer", "browser_proc"):
    logging.getLogger(_name).setLevel(logging.WARNING)

_lock = threading.RLock()
_batch_depth = 0
_renderer: _Renderer | None = None
CLOSE_TIMEOUT = 10
# Browser tabs kaleido renders on: with two, one tab reloads (kaleido reloads a tab after each
# figure) while the other draws, and a scorecard's two figures render side by side.
FIGURE_TABS = 2
# A tab is reloaded (a fresh page, as kaleido does after every figure) after this many figures.
RENDERS_PER_RELOAD = 50


class FigureRendererUnavailable(RuntimeError):
    """No browser to draw figures with; the message says what to install."""


def missing_browser_message() -> str:
    return _("PDF exports need chromium: apt-get install chromium")


def browser_path() -> str | None:
    """The browser kaleido would drive, or None when there is none."""
    configured = settings.EXPORT_BROWSER_PATH
    if configured:
        return configured if os.path.isfile(configured) and os.access(configured, os.X_OK) else None
    return Chromium.find_browser(skip_local=False)


@functools.cache
def browser_found() -> bool:
    """Whether a browser is there, looked up once per process (pages ask on every view)."""
    return browser_path() is not None


def require_browser() -> str:
    path = browser_path()
    if path is None:
        raise FigureRendererUnavailable(missing_browser_message())
    return path


class _Renderer:
    """kaleido (one chromium) on an event loop thread of its own, called with time limits."""

    def __init__(self, path: str):
        self.path = path
        self.kaleido: kaleido.Kaleido | None = None
        self.renders: dict[int, int] = {}  # figures drawn per tab since its last reload
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(
            target=self.loop.run_forever, name="figure-renderer", daemon=True
        )
        self.thread.start()

    def _call(self, coroutine, timeout: float):
        future = asyncio.run_coroutine_threadsafe(coroutine, self.loop)
        try:
            return future.result(timeout)
        except concurrent.futures.TimeoutError:
            future.cancel()
            raise

    async def _open(self) -> None:
        browser = kaleido.Kaleido(
            n=FIGURE_TABS, timeout=settings.EXPORT_FIGURE_TIMEOUT, mathjax=False, path=self.path
        )
        self.kaleido = browser
        await browser.__aenter__()

    def open(self) -> None:
        timeout = settings.EXPORT_BROWSER_START_TIMEOUT
        try:
            self._call(self._open(), timeout)
        except BaseException as error:
            self.close(graceful=False)
            if isinstance(error, concurrent.futures.TimeoutError):
                reason = _("the browser at %(path)s did not start within %(n)d s") % {
                    "path": self.path,
                    "n": timeout,
                }
            else:
                # choreographer's errors carry several sentences as args: the first says it.
                first = error.args[0] if error.args and isinstance(error.args[0], str) else ""
                first_line = (first or str(error) or type(error).__name__).splitlines()[0][:200]
                reason = _("the browser at %(path)s did not start: %(error)s") % {
                    "path": self.path,
                    "error": first_line,
                }
            logger.warning("figure renderer: %s", reason, exc_info=error)
            raise FigureRendererUnavailable(f"{missing_browser_message()} ({reason})") from error

    def render(self, figure_dict: dict, width: int, height: int) -> bytes:
        future = self.submit(figure_dict, width, height)
        try:
            return future.result(settings.EXPORT_FIGURE_TIMEOUT)
        except concurrent.futures.TimeoutError:
            future.cancel()
            raise

    def submit(self, figure_dict: dict, width: int, height: int) -> concurrent.futures.Future:
        """Start rendering the figure; the future holds its SVG bytes."""
        opts = {"format": "svg", "width": width, "height": height, "scale": 1}
        if self.kaleido is None:  # not opened
            raise FigureRendererUnavailable(missing_browser_message())
        return asyncio.run_coroutine_threadsafe(
            self._render(self.kaleido, figure_dict, opts), self.loop
        )

    async def _render(self, browser: kaleido.Kaleido, figure_dict: dict, opts: dict) -> bytes:
        """kaleido's ``calc_fig`` without its reload of the tab after each figure (a tab is
        still reloaded after a failed figure, and every ``RENDERS_PER_RELOAD`` figures)."""
        spec = fig_tools.coerce_for_js(figure_dict, None, opts)
        tab = await browser._get_kaleido_tab()  # noqa: SLF001 (see the module doc)
        done = self.renders.get(id(tab), 0) + 1
        try:
            profile = _profiler.RenderTaskProfile(spec, None, tab.tab.target_id)
            return await asyncio.wait_for(
                tab._calc_fig(spec, topojson=None, render_prof=profile, stepper=False),  # noqa: SLF001
                settings.EXPORT_FIGURE_TIMEOUT,
            )
        except BaseException:
            done = RENDERS_PER_RELOAD
            raise
        finally:
            if done >= RENDERS_PER_RELOAD:
                self.renders[id(tab)] = 0
                await browser._return_kaleido_tab(tab)  # noqa: SLF001 (reloads it)
            else:
                self.renders[id(tab)] = done
                await browser.tabs_ready.put(tab)

    def close(self, *, graceful: bool = True) -> None:
        """Close the browser: politely when it works, by killing it when it never started."""
        if self.kaleido is not None and graceful:
            try:
                self._call(self.kaleido.__aexit__(None, None, None), CLOSE_TIMEOUT)
            except BaseException:  # noqa: BLE001 (a dead browser may not close cleanly)
                logger.info("figure renderer did not close cleanly", exc_info=True)
        process = getattr(self.kaleido, "subprocess", None)
        if process is not None and process.poll() is None:
            # chromium runs in a session of its own (choreographer): end its helpers too.
            with contextlib.suppress(OSError):
                os.killpg(process.pid, signal.SIGKILL)
            with contextlib.suppress(OSError):
                process.kill()
            with contextlib.suppress(Exception):
                process.wait(CLOSE_TIMEOUT)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(CLOSE_TIMEOUT)
        if not self.thread.is_alive():
            self.loop.close()


def figure_server_running() -> bool:
    return _renderer is not None


def _start() -> None:
    global _renderer
    if _renderer is None:
        path = require_browser()
        logger.info("starting the figure renderer (kaleido + %s)", path)
        renderer = _Renderer(path)
        renderer.open()
        _renderer = renderer


def _running() -> _Renderer:
    """The renderer that ``figure_batch`` started."""
    if _renderer is None:
        raise FigureRendererUnavailable(missing_browser_message())
    return _renderer


def figure_server_stop() -> None:
    global _renderer
    with _lock:
        if _renderer is not None:
            renderer, _renderer = _renderer, None
            renderer.close()


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
    figure_dict = validate_coerce_fig_to_dict(figure, True)
    with _lock, figure_batch():
        try:
            return _running().render(figure_dict, width, height)
        except Exception:
            logger.warning("figure rendering failed; restarting the renderer", exc_info=True)
            return _render_after_restart(figure_dict, width, height)


def _render_after_restart(figure_dict: dict, width: int, height: int) -> bytes:
    """A chromium that died (killed, out of memory) or hangs: start a fresh one once before
    giving up. (Called with the lock held, inside a batch.)"""
    figure_server_stop()
    _start()
    return _running().render(figure_dict, width, height)


class FigureJob:
    """A figure that ``figure_svg_later`` started rendering; ``svg()`` waits for its bytes."""

    def __init__(self, figure_dict: dict, width: int, height: int):
        self.figure_dict = figure_dict
        self.width = width
        self.height = height
        self._svg: bytes | None = None
        with _lock:
            _start()  # (running already inside a ``figure_batch``, where jobs belong)
            self._renderer = _running()
            self._future: concurrent.futures.Future | None = self._renderer.submit(
                figure_dict, width, height
            )

    def svg(self) -> bytes:
        """The SVG bytes, as ``figure_svg`` would give them (call inside the same batch)."""
        if self._svg is None:
            self._svg = self._wait()
        return self._svg

    def _wait(self) -> bytes:
        future, self._future = self._future, None
        # Figures queue on the tabs: the timeout of one figure counts from its turn, so a job
        # may wait for the ones before it as well.
        timeout = settings.EXPORT_FIGURE_TIMEOUT * 2
        with _lock, figure_batch():
            try:
                if future is not None and self._renderer is _renderer:
                    return future.result(timeout)
                # The renderer that took the job was stopped or replaced meanwhile.
                return _running().render(self.figure_dict, self.width, self.height)
            except Exception:
                if future is not None:
                    future.cancel()
                logger.warning("figure rendering failed; restarting the renderer", exc_info=True)
                return _render_after_restart(self.figure_dict, self.width, self.height)


def figure_svg_later(figure, *, width: int, height: int) -> FigureJob:
    """Start rendering the figure (inside a ``figure_batch``); ``.svg()`` gives its bytes."""
    return FigureJob(validate_coerce_fig_to_dict(figure, True), width, height)
