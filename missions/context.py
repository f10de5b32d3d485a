"""A mission's context profile as a plain value (pure: no ORM, no Django import).

The profile says what kind of mission this is and where it stands: it decides which
indicators of IMP-CORE v3 are asked (``applies_when``) and what band each is read against
(``target_by_phase``, ``band_when``). The focal point records it per quarter
(``missions.models.MissionContextProfile``); it carries forward until changed.
"""

from dataclasses import asdict, dataclass, fields
from typing import Any, Final

# The values of each profile key. Phases are ``missions.models.MissionPhase``'s values (a
# test holds the two equal; this module stays free of Django).
MISSION_TYPES: Final = ("peacekeeping", "special_political")
LEADERSHIP: Final = ("triple_hatted", "double_hatted", "none")
PHASES: Final = ("start_up", "consolidation", "drawdown")
BOOLEAN_KEYS: Final = (
    "poc_mandate",
    "human_rights_mandate",
    "humanitarian_operation",
    "country_team",
    "host_state_party",
)

# Every key a rule may name, with the values it may take.
PROFILE_VALUES: Final[dict[str, tuple[Any, ...]]] = {
    "mission_type": MISSION_TYPES,
    "leadership": LEADERSHIP,
    **dict.fromkeys(BOOLEAN_KEYS, (True, False)),
    "phase": PHASES,
}


@dataclass(frozen=True)
class ContextProfile:
    """What a mission is and where it stands in one quarter."""

    mission_type: str  # "peacekeeping" | "special_political"
    # Whether a deputy SRSG is also Resident Coordinator and Humanitarian Coordinator
    # ("triple_hatted"), Resident Coordinator only ("double_hatted"), or neither ("none").
    leadership: str
    poc_mandate: bool  # protection of civilians in the mandate
    human_rights_mandate: bool  # human rights monitoring and reporting in the mandate
    humanitarian_operation: bool  # an active humanitarian operation with an HCT
    country_team: bool  # a UN country team present
    host_state_party: bool  # the host state a party to the conflict
    phase: str  # "start_up" | "consolidation" | "drawdown"

    def __post_init__(self) -> None:
        problems = profile_problems(self.as_dict())
        if problems:
            raise ValueError("; ".join(problems))

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def value(self, key: str) -> Any:
        return getattr(self, key)

    def differences(self, other: "ContextProfile") -> list[str]:
        """The keys whose value differs from ``other``'s, in field order."""
        return [key for key in PROFILE_KEYS if self.value(key) != other.value(key)]

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "ContextProfile":
        return cls(**{key: data[key] for key in PROFILE_KEYS})


PROFILE_KEYS: Final = tuple(field.name for field in fields(ContextProfile))


def profile_problems(data: dict[str, Any]) -> list[str]:
    """What is wrong with a profile given as a mapping (empty when it is valid)."""
    problems = [f"unknown profile key {key!r}" for key in data if key not in PROFILE_VALUES]
    for key, allowed in PROFILE_VALUES.items():
        if key not in data:
            problems.append(f"missing profile key {key!r}")
        elif not any(data[key] is value or data[key] == value for value in allowed) or (
            isinstance(data[key], bool) != isinstance(allowed[0], bool)
        ):
            problems.append(
                f"{key}: unknown value {data[key]!r}; use one of "
                f"{', '.join(map(value_word, allowed))}"
            )
    return problems


def value_word(value: Any) -> str:
    """A profile value as a file writes it (``true``, ``start_up``)."""
    return str(value).lower() if isinstance(value, bool) else str(value)


# The profile of a mission that has recorded none: a multidimensional peacekeeping
# operation in consolidation, with a triple-hatted deputy, protection of civilians and human
# rights in its mandate, a humanitarian operation and a UN country team, and a host state
# that is not a party to the conflict. It is the mission IMP-CORE v2 assumed: under it every
# v2 indicator is asked and read against its v2 band, so a mission with no profile is read
# as it was before profiles existed.
DEFAULT_PROFILE: Final = ContextProfile(
    mission_type="peacekeeping",
    leadership="triple_hatted",
    poc_mandate=True,
    human_rights_mandate=True,
    humanitarian_operation=True,
    country_team=True,
    host_state_party=False,
    phase="consolidation",
)
