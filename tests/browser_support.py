"""Real-browser tests: Playwright drives Debian's chromium against a live server.

They are service tests (PostgreSQL behind the live server, chromium installed by
.ci/run). Screenshots go to test-artifacts/ for people to look at.

Every page a test visits is checked by axe-core (vendored, test-only, in
tests/browser/vendor/axe-core/) once it has loaded, and console errors and uncaught script
errors are collected. Any serious or critical WCAG 2 A/AA violation, console error or script
error fails the test at teardown, listing each problem with the page it came from.
"""

import json
import os
import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"  # the repository root
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

AXE_SOURCE = Path(__file__).resolve().parent / "browser" / "vendor" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = ("serious", "critical")
_AXE_RUN = """async (tags) => {
  const results = await window.axe.run(document, {
    runOnly: {type: "tag", values: tags},
    resultTypes: ["violations"],
    // axe would re-parse @import-ed stylesheets (Django admin's) in <style> elements of its
    // own, which the strict CSP refuses and logs as console errors of the page.
    preload: false,
  });
  return results.violations.map((violation) => ({
    id: violation.id,
    impact: violation.impact,
    help: violation.help,
    nodes: violation.nodes.map((node) => ({
      target: node.target.join(" "),
      html: node.html,
      summary: node.failureSummary,
    })),
  }));
}"""


def axe_violations(page) -> list[dict]:
    """The serious and critical WCAG 2 A/AA violations axe finds on the page's document.

    axe is evaluated through a DevTools session, which the page's CSP does not apply to, so
    the product's CSP needs no exception for a test tool.
    """
    session = page.context.new_cdp_session(page)
    try:
        if not _cdp_evaluate(session, "typeof window.axe === 'object'"):
            _cdp_evaluate(session, _axe_source())
        violations = _cdp_evaluate(session, f"({_AXE_RUN})({json.dumps(AXE_TAGS)})")
    finally:
        session.detach()
    return [violation for violation in violations if violation["impact"] in BLOCKING_IMPACTS]


def axe_report(url: str, violations: list[dict]) -> str:
    lines = [f"axe: {len(violations)} serious or critical WCAG 2 A/AA violation(s) on {url}"]
    for violation in violations:
        lines.append(f"  {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            summary = " ".join(node["summary"].split())
            lines.append(f"    {node['target']}: {node['html'][:160]}")
            lines.append(f"      {summary[:400]}")
    return "\n".join(lines)


def assert_accessible(page) -> None:
    """Fail now if axe finds a serious or critical WCAG 2 A/AA violation on the page."""
    violations = axe_violations(page)
    assert not violations, axe_report(page.url, violations)


def _cdp_evaluate(session, expression: str):
    result = session.send(
        "Runtime.evaluate",
        {"expression": expression, "awaitPromise": True, "returnByValue": True},
    )
    if "exceptionDetails" in result:
        raise AssertionError(f"axe could not run: {result['exceptionDetails']}")
    return result["result"].get("value")


_axe_cache: list[str] = []


def _axe_source() -> str:
    if not _axe_cache:
        _axe_cache.append(AXE_SOURCE.read_text(encoding="utf-8"))
    return _axe_cache[0]


# A document already checked is not checked again until its DOM changes (axe is slow).
_DOCUMENT_STATE = "() => [location.href, document.contentType, window.__axeUnchanged === true]"
_WATCH_CHANGES = """() => {
  if (!window.__axeObserver) {
    window.__axeObserver = new MutationObserver(() => { window.__axeUnchanged = false; });
    window.__axeObserver.observe(document, {
      subtree: true, childList: true, attributes: true, characterData: true,
    });
  }
  window.__axeUnchanged = true;
}"""


class PageWatch:
    """Collects, for one test, what must not happen on any page of its browser context.

    axe runs after each navigation the test waits for (``watched_page``), when a screenshot
    is taken, and on the pages still open at the end. Every page loaded must have been
    checked: a test that clicks its way through a page without waiting for it is told to
    wait. A test that provokes a console error on purpose allows it:
    ``page_watch.allow_console(regex, source=part_of_the_failing_url)``.
    """

    def __init__(self) -> None:
        self.console_errors: list[tuple[str, str, str]] = []
        self.script_errors: list[tuple[str, str]] = []
        self.violations: list[str] = []
        self.loaded: set[str] = set()
        self.checked: set[str] = set()
        self.allowed: list[tuple[re.Pattern, str, str]] = []

    def allow_console(self, pattern: str, *, source: str = "", page: str = "") -> None:
        """Allow console errors matching ``pattern`` whose source URL contains ``source``,
        logged by a page whose URL contains ``page``."""
        self.allowed.append((re.compile(pattern), source, page))

    def attach(self, context) -> None:
        context.on("console", self._on_console)
        context.on("weberror", self._on_script_error)
        context.on("page", self._watch_loads)

    def check(self, page) -> None:
        """Run axe on the page's document if it is an HTML page."""
        from playwright.sync_api import Error

        try:
            url, content_type, unchanged = page.evaluate(_DOCUMENT_STATE)
            if url == "about:blank" or content_type != "text/html":
                return
            if not unchanged:
                violations = axe_violations(page)
                page.evaluate(_WATCH_CHANGES)
        except Error:
            return  # the page closed or navigated away during the check
        self.checked.add(_path(url))
        if unchanged:
            return
        report = axe_report(url, violations)
        if violations and report not in self.violations:
            self.violations.append(report)

    def check_open_pages(self, context) -> None:
        for page in context.pages:
            page.wait_for_load_state()
            self.check(page)

    def assert_clean(self) -> None:
        problems = [
            f"console error on {url}: {text} ({source})"
            for url, text, source in self.console_errors
            if not any(
                pattern.search(text) and allowed_source in source and allowed_page in url
                for pattern, allowed_source, allowed_page in self.allowed
            )
        ]
        problems += [f"script error on {url}: {text}" for url, text in self.script_errors]
        problems += self.violations
        problems += [
            f"{path} was loaded but never checked by axe: wait for it (page.wait_for_url)"
            for path in sorted(self.loaded - self.checked)
        ]
        assert not problems, "\n".join(problems)

    def _watch_loads(self, page) -> None:
        page.on("load", lambda: self._on_load(page))

    def _on_load(self, page) -> None:
        url = page.url  # no round trip to the browser: safe inside an event handler
        if url != "about:blank":
            self.loaded.add(_path(url))

    def _on_console(self, message) -> None:
        if message.type == "error":
            url = message.page.url if message.page else "?"
            self.console_errors.append((url, message.text, message.location.get("url", "")))

    def _on_script_error(self, web_error) -> None:
        url = web_error.page.url if web_error.page else "?"
        self.script_errors.append((url, str(web_error.error)))


def _path(url: str) -> str:
    return urlsplit(url).path


def watched_page(page, watch: PageWatch):
    """The same page, checked by ``watch`` after every navigation the test waits for."""
    from playwright.sync_api import Page

    class WatchedPage(Page):
        def goto(self, *args, **kwargs):
            response = super().goto(*args, **kwargs)
            watch.check(self)
            return response

        def reload(self, *args, **kwargs):
            response = super().reload(*args, **kwargs)
            watch.check(self)
            return response

        def go_back(self, *args, **kwargs):
            response = super().go_back(*args, **kwargs)
            watch.check(self)
            return response

        def wait_for_url(self, *args, **kwargs):
            super().wait_for_url(*args, **kwargs)
            watch.check(self)

        def wait_for_load_state(self, *args, **kwargs):
            super().wait_for_load_state(*args, **kwargs)
            watch.check(self)

    return WatchedPage(page._impl_obj)


@pytest.fixture(scope="session")
def browser(django_db_setup, django_db_blocker):
    """One chromium for the session, started after the test database exists.

    Playwright's sync API runs an event loop in this thread; the ORM calls that tests
    make between browser steps are still synchronous and safe, so Django's async guard
    is lifted while the browser lives (and restored after).
    """
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"chromium not found at {CHROMIUM}; .ci/run installs it (apt-get install chromium)"
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield browser
        browser.close()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page_watch():
    """The console errors and accessibility violations of the test's pages (PageWatch)."""
    return PageWatch()


@pytest.fixture
def page(browser, live_server, page_watch):
    """A page whose every document is checked by axe, and whose console must stay clean.

    The test fails at teardown on any console error, uncaught script error (a CSP violation
    is one) or serious/critical WCAG 2 A/AA violation found on any page it visited.
    """
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page_watch.attach(context)
    page = watched_page(context.new_page(), page_watch)
    page.set_default_timeout(15000)
    yield page
    page_watch.check_open_pages(context)
    context.close()
    page_watch.assert_clean()


@pytest.fixture
def screenshot(request, page_watch):
    """screenshot(page, "name") writes test-artifacts/<test>--name.png (and checks the page)."""
    ARTIFACTS.mkdir(exist_ok=True)

    def take(page, name: str) -> Path:
        page_watch.check(page)
        path = ARTIFACTS / f"{request.node.name}--{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def log_in(page, username: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/")


def log_out(page) -> None:
    # The product's pages hold "Log out" in the account menu (the username), inside the main
    # menu on a phone; the Django admin's pages have their own button.
    if page.locator("#account-menu").count():
        toggler = page.locator(".navbar-toggler")
        if toggler.is_visible() and toggler.get_attribute("aria-expanded") != "true":
            toggler.click()
            page.locator("#main-nav.show").wait_for()
        page.locator("#account-menu").click()
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/accounts/login/**")
