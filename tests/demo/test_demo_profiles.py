"""The demo shows the context profile: missions without a triple-hatted deputy, in start-up,
in drawdown (with the change and its reason), with the host state a party to the conflict."""

import pytest

from demo.services import demo_seed
from missions.models import Mission, MissionContextProfile
from missions.selectors import context_profile_changes, context_profile_for, period_current

pytestmark = pytest.mark.django_db


def test_demo_missions_record_varied_context_profiles():
    demo_seed(missions=6, quarters=4, answers=False, score=False)
    period = period_current()
    profiles = {
        mission.code: context_profile_for(mission=mission, period=period)
        for mission in Mission.objects.filter(is_demo=True)
    }
    assert any(p.leadership != "triple_hatted" for p in profiles.values())
    assert any(p.phase == "start_up" for p in profiles.values())
    assert any(p.phase == "drawdown" for p in profiles.values())
    assert any(p.host_state_party for p in profiles.values())
    drawdown = Mission.objects.get(code="DEMO-ESK")
    changes = context_profile_changes(mission=drawdown)
    assert changes[-1].changed == ("phase",) and "drawdown timetable" in changes[-1].reason


def test_seeding_again_records_no_new_profile():
    demo_seed(missions=2, quarters=2, answers=False, score=False)
    count = MissionContextProfile.objects.count()
    demo_seed(missions=2, quarters=2, answers=False, score=False)
    assert MissionContextProfile.objects.count() == count
