"""No edit is lost or silently overwritten: two tabs of one respondent, and a session
that ends while the respondent types (issue 13)."""

import pytest

from assessments.models import Answer
from tests.assessments.conftest import *  # noqa: F403 (questionnaire and assessment fixtures)
from tests.browser.conftest import log_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.service, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _refusals_are_the_point(page_watch):
    """The browser logs each refused request (409 conflict, 401 signed out) as a console
    error; here they are what the tests provoke, so only those are allowed."""
    page_watch.allow_console(r"status of (409|401) ", source="/assessments/")


SAVED = "Saved at"
# Longer than autosave's pause after typing (2 s), so a save would have happened.
AUTOSAVE_WOULD_HAVE_RUN_MS = 3500


def _saved(assessment) -> dict[str, tuple[str, str]]:
    return {
        code: (choice, evidence)
        for code, choice, evidence in Answer.objects.filter(
            response__assessment=assessment
        ).values_list("indicator__code", "choice", "evidence")
    }


def _answer_url(assessment) -> str:
    return f"/assessments/{assessment.pk}/political/LEAD/"


def _two_tabs(page, assessment):
    log_in(page, "respondent_a", PASSWORD)
    tab_b = page.context.new_page()
    tab_b.set_default_timeout(15000)
    for tab in (page, tab_b):
        tab.goto(_answer_url(assessment))
    return page, tab_b


def _tab_a_saves(tab_a, assessment):
    tab_a.bring_to_front()
    tab_a.locator("label[for='LEAD-01-choice-1']").click()
    tab_a.locator("label[for='LEAD-02-choice-2']").click()
    tab_a.get_by_text(SAVED).wait_for()
    assert _saved(assessment) == {"LEAD-01": ("1", ""), "LEAD-02": ("2", "")}


def _row(tab, code):
    return tab.locator(f"#conflict-rows tr[data-indicator='{code}']")


def test_after_a_conflict_typing_never_overwrites_and_the_user_keeps_mine_or_theirs(
    page, assessment_a, screenshot
):
    tab_a, tab_b = _two_tabs(page, assessment_a)
    _tab_a_saves(tab_a, assessment_a)

    # Tab B still shows revision 0: its save of 5 is refused with the conflict message.
    tab_b.bring_to_front()
    tab_b.locator("label[for='LEAD-01-choice-5']").click()
    tab_b.get_by_role("button", name="Save", exact=True).click()
    tab_b.get_by_text("Someone else saved some of these answers").wait_for()
    screenshot(tab_b, "conflict")

    # Typing an evidence note does not turn the saved value into 5.
    tab_b.get_by_label("Evidence (what shows this?)").first.fill("Typed after the conflict")
    tab_b.wait_for_timeout(AUTOSAVE_WOULD_HAVE_RUN_MS)
    assert _saved(assessment_a) == {"LEAD-01": ("1", ""), "LEAD-02": ("2", "")}

    # Keep mine for LEAD-01: still paused while LEAD-02 waits for a choice.
    _row(tab_b, "LEAD-01").get_by_role("button", name="Keep mine").click()
    tab_b.wait_for_timeout(AUTOSAVE_WOULD_HAVE_RUN_MS)
    assert _saved(assessment_a)["LEAD-01"] == ("1", "")

    # Keep theirs for LEAD-02: the page shows their value, and saving resumes.
    _row(tab_b, "LEAD-02").get_by_role("button", name="Keep theirs").click()
    assert tab_b.locator("#LEAD-02-choice-2").is_checked()
    tab_b.get_by_text(SAVED).wait_for()
    assert _saved(assessment_a) == {
        "LEAD-01": ("5", "Typed after the conflict"),
        "LEAD-02": ("2", ""),
    }
    assert tab_b.locator("#conflicts").is_hidden()
    screenshot(tab_b, "resolved")


def test_an_autosave_conflict_pauses_autosave_until_the_user_chooses(page, assessment_a):
    tab_a, tab_b = _two_tabs(page, assessment_a)
    _tab_a_saves(tab_a, assessment_a)

    tab_b.bring_to_front()
    tab_b.locator("label[for='LEAD-01-choice-5']").click()
    tab_b.get_by_text("Not saved: someone else changed LEAD-01, LEAD-02.").wait_for()
    tab_b.get_by_label("Evidence (what shows this?)").first.fill("Typed after the conflict")
    tab_b.wait_for_timeout(AUTOSAVE_WOULD_HAVE_RUN_MS)
    assert _saved(assessment_a) == {"LEAD-01": ("1", ""), "LEAD-02": ("2", "")}

    _row(tab_b, "LEAD-01").get_by_role("button", name="Keep theirs").click()
    assert tab_b.locator("#LEAD-01-choice-1").is_checked()
    assert tab_b.get_by_label("Evidence (what shows this?)").first.input_value() == ""
    _row(tab_b, "LEAD-02").get_by_role("button", name="Keep mine").click()
    tab_b.get_by_text(SAVED).wait_for()
    # Tab B never chose LEAD-02 (the page was empty): keeping "mine" empties it on purpose.
    assert _saved(assessment_a) == {"LEAD-01": ("1", ""), "LEAD-02": ("", "")}


def test_typing_while_signed_out_is_kept_and_saved_after_signing_in_again(
    page, assessment_a, screenshot
):
    log_in(page, "respondent_a", PASSWORD)
    page.goto(_answer_url(assessment_a))
    page.locator("label[for='LEAD-01-choice-3']").click()
    page.get_by_text(SAVED).wait_for()

    # The session ends (expired, or signed out elsewhere) while the respondent types.
    page.context.clear_cookies(name="sessionid")
    evidence = page.get_by_label("Evidence (what shows this?)").first
    evidence.fill("Typed while signed out")
    page.get_by_text(
        "You were signed out — sign in again in another tab; your typing is kept here."
    ).wait_for()
    screenshot(page, "signed-out")
    assert _saved(assessment_a) == {"LEAD-01": ("3", "")}
    kept = page.evaluate("Object.keys(window.localStorage)")
    assert any(key.endswith(f":{assessment_a.pk}:political:LEAD") for key in kept)

    # No blind retries while signed out.
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.wait_for_timeout(AUTOSAVE_WOULD_HAVE_RUN_MS)
    assert not [url for url in requests if url.endswith("/autosave/")]

    other_tab = page.context.new_page()
    log_in(other_tab, "respondent_a", PASSWORD)  # a new session and a new CSRF token
    other_tab.close()
    page.bring_to_front()  # may already retry (focus); the button says "try now" either way
    page.locator("#autosave-retry").dispatch_event("click")
    page.get_by_text(SAVED).wait_for()
    assert _saved(assessment_a) == {"LEAD-01": ("3", "Typed while signed out")}
    assert page.evaluate("Object.keys(window.localStorage)") == []


def test_typing_kept_in_the_browser_is_offered_again_when_the_page_is_loaded(
    page, assessment_a, second_political_respondent_a
):
    log_in(page, "respondent_a", PASSWORD)
    page.goto(_answer_url(assessment_a))
    page.context.clear_cookies(name="sessionid")
    page.locator("label[for='LEAD-01-choice-4']").click()
    page.locator("label[for='LEAD-02-choice-2']").click()
    page.get_by_text("You were signed out").wait_for()

    # Meanwhile a colleague saves LEAD-02; LEAD-01 is untouched on the server.
    from assessments.services import AnswerInput, response_answers_save

    response_answers_save(
        response=assessment_a.responses.get(),
        by=second_political_respondent_a,
        answers=[AnswerInput("LEAD-02", "5", "Colleague", base_revision=0)],
    )
    page.on("dialog", lambda dialog: dialog.accept())  # "leave the page?" — yes
    log_in(page, "respondent_a", PASSWORD)
    page.goto(_answer_url(assessment_a))

    # LEAD-01 goes on from where the typing stopped; LEAD-02 is offered, not overwritten.
    assert page.locator("#LEAD-01-choice-4").is_checked()
    _row(page, "LEAD-02").wait_for()
    page.wait_for_timeout(AUTOSAVE_WOULD_HAVE_RUN_MS)
    assert _saved(assessment_a) == {"LEAD-02": ("5", "Colleague")}
    _row(page, "LEAD-02").get_by_role("button", name="Keep theirs").click()
    page.get_by_text(SAVED).wait_for()
    assert _saved(assessment_a) == {"LEAD-01": ("4", ""), "LEAD-02": ("5", "Colleague")}


# Answers of the autosave endpoint reach the page 3 s late: saves overlap if the page lets them.
SLOW_AUTOSAVE = """
(() => {
  const original = window.fetch;
  const state = { active: 0, most: 0, statuses: [] };
  window.__autosave = state;
  window.fetch = function (url) {
    if (!String(url).endsWith("/autosave/")) { return original.apply(this, arguments); }
    state.active += 1;
    state.most = Math.max(state.most, state.active);
    return original.apply(this, arguments).then((response) => new Promise((resolve) => {
      setTimeout(() => {
        state.active -= 1;
        state.statuses.push(response.status);
        resolve(response);
      }, 3000);
    }));
  };
})();
"""


def test_overlapping_changes_go_one_at_a_time_and_never_conflict_with_each_other(
    page, assessment_a
):
    page.add_init_script(SLOW_AUTOSAVE)
    log_in(page, "respondent_a", PASSWORD)
    page.goto(_answer_url(assessment_a))
    evidence = page.get_by_label("Evidence (what shows this?)").first
    evidence.fill("First draft")
    page.wait_for_timeout(2500)  # the first save is on its way
    evidence.fill("First draft, then more")
    page.locator("label[for='LEAD-01-choice-4']").click()
    page.wait_for_timeout(2500)  # the next save is due while the first is still on its way
    page.wait_for_function(
        "() => window.__autosave.statuses.length >= 2 && window.__autosave.active === 0"
    )
    state = page.evaluate("window.__autosave")
    assert state["most"] == 1, state
    assert set(state["statuses"]) == {200}, state
    assert _saved(assessment_a) == {"LEAD-01": ("4", "First draft, then more")}


def test_leaving_a_page_with_unsaved_typing_asks_first(page, assessment_a):
    log_in(page, "respondent_a", PASSWORD)
    page.goto(_answer_url(assessment_a))
    page.get_by_label("Evidence (what shows this?)").first.fill("Not saved yet")
    with page.expect_event("dialog") as dialog:
        page.close(run_before_unload=True)
    assert dialog.value.type == "beforeunload"
    dialog.value.dismiss()  # stay on the page
    # Staying, the typing is autosaved: let that save land before the test ends, so that no
    # request is still in flight when the database is flushed (a flush that meets one
    # deadlocks).
    for _ in range(50):
        if _saved(assessment_a).get("LEAD-01") == ("", "Not saved yet"):
            break
        page.wait_for_timeout(200)
    assert _saved(assessment_a) == {"LEAD-01": ("", "Not saved yet")}


def test_leaving_while_a_save_is_on_its_way_still_saves_the_latest_typing(page, assessment_a):
    page.add_init_script(SLOW_AUTOSAVE)
    log_in(page, "respondent_a", PASSWORD)
    page.goto(_answer_url(assessment_a))
    evidence = page.get_by_label("Evidence (what shows this?)").first
    evidence.fill("First draft")
    page.wait_for_timeout(2500)  # the first save is on its way (its answer takes 3 s)
    evidence.fill("Last words before leaving")
    page.on("dialog", lambda dialog: dialog.accept())  # "leave the page?" — yes
    page.goto("/")
    # The save sent as the page closed claimed the revision the first save made.
    for _ in range(50):
        if _saved(assessment_a).get("LEAD-01") == ("", "Last words before leaving"):
            break
        page.wait_for_timeout(200)
    assert _saved(assessment_a) == {"LEAD-01": ("", "Last words before leaving")}


# The production settings a browser can meet on a plain-HTTP live server: cookies marked
# Secure (chromium keeps them for localhost), HSTS, DEBUG off.
PRODUCTION_SECURITY = {
    "DEBUG": False,
    "SESSION_COOKIE_SECURE": True,
    "CSRF_COOKIE_SECURE": True,
    "SECURE_HSTS_SECONDS": 31536000,
}


def refused_save_then_typing_elsewhere(page, assessment, screenshot) -> None:
    """Issue 25: tab A saves step 1 with Save; tab B, opened before, picks 5 and presses
    Save and is refused; typing evidence in another field of tab B sends nothing, and the
    saved answer stays 1 until tab B keeps mine or theirs (here: theirs)."""
    tab_a, tab_b = _two_tabs(page, assessment)
    tab_a.bring_to_front()
    tab_a.locator("label[for='LEAD-01-choice-1']").click()
    tab_a.get_by_role("button", name="Save", exact=True).click()
    tab_a.wait_for_load_state()
    assert _saved(assessment)["LEAD-01"] == ("1", "")

    tab_b.bring_to_front()
    tab_b.locator("label[for='LEAD-01-choice-5']").click()
    tab_b.get_by_role("button", name="Save", exact=True).click()
    tab_b.get_by_text("Someone else saved some of these answers").wait_for()
    tab_b.wait_for_load_state()
    screenshot(tab_b, "refused-save")

    sent = []
    tab_b.on("request", lambda request: sent.append((request.method, request.url)))
    tab_b.get_by_label("Evidence (what shows this?)").nth(1).fill("Typed in another field")
    tab_b.wait_for_timeout(AUTOSAVE_WOULD_HAVE_RUN_MS)
    assert _saved(assessment)["LEAD-01"] == ("1", "")
    assert not [url for method, url in sent if method == "POST"], sent

    _row(tab_b, "LEAD-01").get_by_role("button", name="Keep theirs").click()
    assert tab_b.locator("#LEAD-01-choice-1").is_checked()
    tab_b.get_by_text(SAVED).wait_for()
    assert _saved(assessment)["LEAD-01"] == ("1", "")
    assert _saved(assessment)["LEAD-02"] == ("", "Typed in another field")


def test_a_save_refused_by_the_save_button_pauses_autosave_under_production_settings(
    page, assessment_a, screenshot, settings
):
    for name, value in PRODUCTION_SECURITY.items():
        setattr(settings, name, value)
    refused_save_then_typing_elsewhere(page, assessment_a, screenshot)
