"""The role mapping file: what each provider role grants, and a clear error naming the entry
for anything it cannot understand."""

import pytest

from security.oidc_mapping import (
    MissionRole,
    RoleMappingError,
    role_mapping_load,
    role_mapping_parse,
    roles_granted,
)

MAPPING = """
ImpAssess.Administrator: [administrator]
ImpAssess.HQAnalyst: [hq_analyst]
ImpAssess.DEMO-ARV.FocalPoint:
  - focal_point: DEMO-ARV
ImpAssess.DEMO-ARV.Humanitarian:
  - respondent: {mission: DEMO-ARV, component: humanitarian}
  - respondent: {mission: DEMO-BOR, component: humanitarian}
"""


def test_each_provider_role_grants_its_imp_assess_roles_and_others_grant_nothing():
    mapping = role_mapping_parse(MAPPING)
    granted = roles_granted(mapping, ["ImpAssess.DEMO-ARV.Humanitarian", "Unrelated.Role"])
    assert not granted.administrator and not granted.hq_analyst
    assert granted.mission_roles == {
        MissionRole("DEMO-ARV", "respondent", "humanitarian"),
        MissionRole("DEMO-BOR", "respondent", "humanitarian"),
    }
    both = roles_granted(mapping, ["ImpAssess.HQAnalyst", "ImpAssess.DEMO-ARV.FocalPoint"])
    assert both.hq_analyst
    assert both.describe() == ["HQ analyst", "focal point of DEMO-ARV"]
    assert roles_granted(mapping, ["Unrelated.Role"]).is_empty
    assert roles_granted(mapping, ["ImpAssess.Administrator"]).administrator


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- just a list", "must map provider roles"),
        ("Role.A: administrator", "entry 'Role.A': give a list"),
        ("Role.B: [superuser]", "entry 'Role.B', item 1: 'superuser' is not a role"),
        (
            "Role.C: [{respondent: {mission: X, component: navy}}]",
            "entry 'Role.C', item 1: unknown component 'navy'",
        ),
        ("Role.D: [{respondent: {mission: X}}]", "exactly 'mission' and 'component'"),
        ("Role.E: [{focal_point: ''}]", "entry 'Role.E', item 1"),
        ("Role.F: [unclosed", "not valid YAML"),
    ],
)
def test_a_mapping_it_cannot_understand_is_refused_naming_the_entry(text, message):
    with pytest.raises(RoleMappingError, match=message.replace("[", r"\[")):
        role_mapping_parse(text)


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(RoleMappingError, match="cannot be read"):
        role_mapping_load(tmp_path / "absent.yaml")


def test_the_system_check_names_a_broken_mapping_file(settings, tmp_path):
    from security.checks import role_mapping_check

    broken = tmp_path / "mapping.yaml"
    broken.write_text("Role.B: [superuser]", encoding="utf-8")
    settings.OIDC_ENABLED = True
    settings.OIDC_ROLE_MAPPING_FILE = str(broken)
    (error,) = role_mapping_check(None)
    assert error.id == "security.E005"
    assert "'superuser' is not a role" in error.msg
    settings.OIDC_ENABLED = False
    assert role_mapping_check(None) == []
