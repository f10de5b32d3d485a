"""The French catalogues are complete (nothing untranslated or fuzzy) and current with the
sources (a fresh makemessages finds exactly the msgids they hold). `make messages` fixes the
second; translating the entries it lists fixes the first (docs/i18n.md)."""

import shutil

import pytest

from imp_assess.messages import TRANSLATED, out_of_date, untranslated


@pytest.mark.parametrize("language", TRANSLATED)
def test_catalogue_has_no_untranslated_or_fuzzy_entry(language):
    problems = untranslated(language)
    assert not problems, "translate these (docs/i18n.md):\n" + "\n".join(problems)


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is not installed")
@pytest.mark.parametrize("language", TRANSLATED)
def test_catalogue_is_current_with_the_sources(language):
    problems = out_of_date(language)
    assert not problems, "run `make messages` and translate (docs/i18n.md):\n" + "\n".join(problems)
