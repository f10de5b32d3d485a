"""The role mapping of organisation sign-in: which imp-assess roles each provider app role or
group grants. Pure: reads a YAML file into plain data and answers which roles a list of
provider values grants; security/oidc_accounts.py applies them.

The file (``OIDC_ROLE_MAPPING_FILE``) maps a provider value (an Entra app role's value, or a
group's object id when the groups claim is used) to a list of imp-assess roles::

    ImpAssess.Administrator: [administrator]
    ImpAssess.HQAnalyst: [hq_analyst]
    ImpAssess.DEMO-ARV.FocalPoint:
      - focal_point: DEMO-ARV
    ImpAssess.DEMO-ARV.Humanitarian:
      - respondent: {mission: DEMO-ARV, component: humanitarian}
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from missions.models import Component, MembershipRole

ADMINISTRATOR = "administrator"
HQ_ANALYST = "hq_analyst"
_COMPONENTS = {value for value, _label in Component.choices}


class RoleMappingError(ValueError):
    """The mapping file cannot be understood; the message names the entry."""


@dataclass(frozen=True, order=True)
class MissionRole:
    mission_code: str
    role: str  # MembershipRole: focal_point or respondent
    component: str = ""  # the respondent's component; "" for a focal point

    def describe(self) -> str:
        if self.role == MembershipRole.FOCAL_POINT:
            return f"focal point of {self.mission_code}"
        return f"respondent for {self.component} of {self.mission_code}"


@dataclass(frozen=True)
class GrantedRoles:
    administrator: bool = False
    hq_analyst: bool = False
    mission_roles: frozenset[MissionRole] = field(default_factory=frozenset)

    @property
    def is_empty(self) -> bool:
        return not (self.administrator or self.hq_analyst or self.mission_roles)

    def describe(self) -> list[str]:
        names = [ADMINISTRATOR] if self.administrator else []
        names += ["HQ analyst"] if self.hq_analyst else []
        return names + [role.describe() for role in sorted(self.mission_roles)]


RoleMapping = dict[str, GrantedRoles]


def _grant(entry: object, where: str) -> GrantedRoles:
    if entry == ADMINISTRATOR:
        return GrantedRoles(administrator=True)
    if entry == HQ_ANALYST:
        return GrantedRoles(hq_analyst=True)
    if isinstance(entry, dict) and len(entry) == 1:
        ((kind, value),) = entry.items()
        if kind == "focal_point" and isinstance(value, str) and value.strip():
            return GrantedRoles(
                mission_roles=frozenset({MissionRole(value.strip(), MembershipRole.FOCAL_POINT)})
            )
        if kind == "respondent" and isinstance(value, dict):
            mission, component = value.get("mission"), value.get("component")
            if set(value) != {"mission", "component"} or not isinstance(mission, str):
                raise RoleMappingError(
                    f"{where}: a respondent needs exactly 'mission' and 'component'"
                )
            if component not in _COMPONENTS:
                raise RoleMappingError(
                    f"{where}: unknown component {component!r}; one of "
                    f"{', '.join(sorted(_COMPONENTS))}"
                )
            return GrantedRoles(
                mission_roles=frozenset(
                    {MissionRole(mission.strip(), MembershipRole.RESPONDENT, str(component))}
                )
            )
    raise RoleMappingError(
        f"{where}: {entry!r} is not a role; use administrator, hq_analyst, "
        "{focal_point: MISSION} or {respondent: {mission: MISSION, component: COMPONENT}}"
    )


def _merge(grants: Iterable[GrantedRoles]) -> GrantedRoles:
    administrator = hq_analyst = False
    mission_roles: set[MissionRole] = set()
    for grant in grants:
        administrator = administrator or grant.administrator
        hq_analyst = hq_analyst or grant.hq_analyst
        mission_roles |= grant.mission_roles
    return GrantedRoles(administrator, hq_analyst, frozenset(mission_roles))


def role_mapping_parse(text: str, *, source: str = "the role mapping") -> RoleMapping:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise RoleMappingError(f"{source} is not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise RoleMappingError(
            f"{source} must map provider roles or groups to lists of imp-assess roles"
        )
    mapping: RoleMapping = {}
    for provider_value, entries in data.items():
        where = f"{source}, entry {provider_value!r}"
        if not isinstance(entries, list) or not entries:
            raise RoleMappingError(f"{where}: give a list of imp-assess roles")
        mapping[str(provider_value)] = _merge(
            _grant(entry, f"{where}, item {index}") for index, entry in enumerate(entries, 1)
        )
    return mapping


def role_mapping_load(path: str | Path) -> RoleMapping:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise RoleMappingError(f"the role mapping file {path} cannot be read: {exc}") from None
    return role_mapping_parse(text, source=f"role mapping file {path}")


def roles_granted(mapping: RoleMapping, provider_values: Iterable[str]) -> GrantedRoles:
    """What the provider's roles or groups grant together; values not in the mapping grant
    nothing."""
    return _merge(mapping[value] for value in provider_values if value in mapping)
