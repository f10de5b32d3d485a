"""Named context profiles the IMP-CORE v3 content tests read the file under."""

import dataclasses

from missions.context import DEFAULT_PROFILE

PROFILES = {
    # A triple-hatted peacekeeping operation in consolidation (the default profile).
    "default": DEFAULT_PROFILE,
    # A special political mission: no triple-hatted deputy, no PoC mandate, no humanitarian
    # operation.
    "spm": dataclasses.replace(
        DEFAULT_PROFILE,
        mission_type="special_political",
        leadership="none",
        poc_mandate=False,
        humanitarian_operation=False,
    ),
    "double_hatted": dataclasses.replace(DEFAULT_PROFILE, leadership="double_hatted"),
    "no_poc": dataclasses.replace(DEFAULT_PROFILE, poc_mandate=False),
    "host_party": dataclasses.replace(DEFAULT_PROFILE, host_state_party=True),
    "start_up": dataclasses.replace(DEFAULT_PROFILE, phase="start_up"),
    "drawdown": dataclasses.replace(DEFAULT_PROFILE, phase="drawdown"),
    "no_country_team": dataclasses.replace(
        DEFAULT_PROFILE, country_team=False, human_rights_mandate=False
    ),
}
