"""What the demo missions are and what happens to them: plain data, no ORM.

Six named, fictional missions with the components that answer in each, and the few
situations a newcomer should meet in ``make run``: indicators the focal point declared
not applicable to the mission (carried forward), a band override with its rationale and
the mission's phase, an over-integrated humanitarian-space indicator, a human rights
shortfall and a component that did not respond. Missions beyond the six (``--missions N``
for benchmarks) are plain synthetic ones.
"""

import dataclasses
import random
from dataclasses import dataclass, field
from typing import Any

from missions.context import DEFAULT_PROFILE, ContextProfile
from missions.models import Component, MissionKind, MissionPhase, MissionType, Region

# The latest quarters, the open current one included, are answered on IMP-CORE v2; the
# older ones on v1, so the trends show the version change.
V2_QUARTERS = 3

# Every demo mission has a political and a humanitarian respondent.
CORE_COMPONENTS = (Component.POLITICAL, Component.HUMANITARIAN)
OPTIONAL_COMPONENTS = (
    Component.MILITARY,
    Component.POLICE,
    Component.MISSION_SUPPORT,
    Component.DEVELOPMENT,
    Component.HUMAN_RIGHTS,
    Component.RULE_OF_LAW,
)


@dataclass(frozen=True)
class Declaration:
    """The focal point declares an indicator not applicable to the mission (first v2
    quarter), and the declaration is carried forward to the later quarters."""

    indicator_code: str
    reason: str


@dataclass(frozen=True)
class Override:
    """The focal point's band for one indicator in every v2 quarter (overrides last one
    quarter, so it is entered again each quarter)."""

    indicator_code: str
    band_min: int
    band_max: int
    rationale: str


@dataclass(frozen=True)
class DemoAction:
    """An action the focal point agreed on a past quarter's findings (``agreed_age`` quarters
    before the current one), due ``due_after`` quarters later, now at ``status``. On a flagged
    indicator when the synthetic answers flag it, else on its dimension as a whole."""

    dimension_code: str
    description: str
    owner: str
    indicator_code: str = ""
    agreed_age: int = 2
    due_after: int = 1
    status: str = "planned"
    note: str = ""
    dropped_reason: str = ""


@dataclass(frozen=True)
class DemoMission:
    slug: str
    name: str
    kind: str
    region: str
    components: tuple[str, ...]
    phase: str = MissionPhase.CONSOLIDATION
    declarations: tuple[Declaration, ...] = ()
    overrides: tuple[Override, ...] = ()
    # Indicator code -> step every component gives it on v2 (a finding the demo must show).
    pinned_steps: dict[str, int] = field(default_factory=dict)
    # A component that did not respond in the last submitted quarter, with the focal
    # point's justification.
    absent: tuple[str, str] | None = None
    actions: tuple[DemoAction, ...] = ()
    # The context profile beside kind and phase (defaults: the default profile's values).
    context: dict[str, Any] = field(default_factory=dict)
    # (quarters before the current one, phase before it, reason): the phase changed then.
    phase_change: tuple[int, str, str] | None = None

    @property
    def code(self) -> str:
        return f"DEMO-{self.slug.upper()}"

    @property
    def profile(self) -> ContextProfile:
        """The mission's context profile now."""
        mission_type = (
            MissionType.PEACEKEEPING
            if self.kind == MissionKind.PEACEKEEPING
            else MissionType.SPECIAL_POLITICAL
        )
        return dataclasses.replace(
            DEFAULT_PROFILE, mission_type=str(mission_type), phase=str(self.phase), **self.context
        )


# Fictional countries; no real mission, place or acronym.
DEMO_MISSIONS = (
    DemoMission(
        "arv",
        "Integrated Mission in Aravia",
        MissionKind.PEACEKEEPING,
        Region.AFRICA,
        (*CORE_COMPONENTS, Component.MILITARY, Component.POLICE, Component.HUMAN_RIGHTS),
    ),
    DemoMission(
        "bor",
        "Stabilization Mission in Borlandia",
        MissionKind.PEACEKEEPING,
        Region.AFRICA,
        (*CORE_COMPONENTS, Component.MILITARY, Component.DEVELOPMENT),
        # Humanitarian coordination run from the mission's joint operations centre: the
        # humanitarian-space indicator sits above its band (over-integration).
        pinned_steps={"HUM-02": 5},
        # The host state's army fights an armed group in the east.
        context={"host_state_party": True},
        actions=(
            DemoAction(
                "HUM",
                "Move humanitarian coordination out of the joint operations centre into a "
                "separate civil-military coordination cell run by OCHA.",
                "Office of the DSRSG/RC/HC",
                indicator_code="HUM-02",
                status="in_progress",
                note="Terms of reference for the coordination cell agreed with OCHA.",
            ),
        ),
    ),
    DemoMission(
        "cor",
        "Political Office for Corvania",
        MissionKind.SPECIAL_POLITICAL,
        Region.MIDDLE_EAST,
        (*CORE_COMPONENTS, Component.HUMAN_RIGHTS),
        phase=MissionPhase.START_UP,
        # A political office: no deputy with the coordinator roles, no PoC mandate, no
        # humanitarian operation.
        context={
            "leadership": "none",
            "poc_mandate": False,
            "humanitarian_operation": False,
        },
        declarations=(
            Declaration(
                "POL-05",
                "No Peacebuilding Commission engagement in this country: Corvania is not on "
                "the Commission's agenda and no engagement is planned.",
            ),
            Declaration(
                "HUM-03",
                "The political office's mandate has no protection of civilians task.",
            ),
        ),
        # Human rights findings do not reach the political work: below the band of step 4.
        pinned_steps={"HUM-04": 2},
        actions=(
            DemoAction(
                "HUM",
                "Human rights officer joins the weekly political analysis meeting; findings "
                "go into every code cable.",
                "Head of the Political Office",
                indicator_code="HUM-04",
                due_after=3,
            ),
        ),
    ),
    DemoMission(
        "das",
        "Assistance Mission in Dastria",
        MissionKind.SPECIAL_POLITICAL,
        Region.ASIA_PACIFIC,
        (*CORE_COMPONENTS, Component.DEVELOPMENT, Component.RULE_OF_LAW),
        context={"leadership": "double_hatted", "poc_mandate": False},
        declarations=(
            Declaration("RES-04", "No quick impact projects budgeted this year."),
            Declaration(
                "PART-02",
                "Neither the World Bank nor the IMF has a programme in Dastria at present.",
            ),
        ),
    ),
    DemoMission(
        "esk",
        "Peacekeeping Force in Eskeria",
        MissionKind.PEACEKEEPING,
        Region.EUROPE,
        (*CORE_COMPONENTS, Component.MILITARY, Component.POLICE),
        phase=MissionPhase.DRAWDOWN,
        phase_change=(
            2,
            MissionPhase.CONSOLIDATION,
            "The Security Council set a drawdown timetable when it renewed the mandate.",
        ),
        overrides=(
            Override(
                "OWN-02",
                4,
                5,
                "Drawdown / transition: the Security Council asked for a transition plan agreed "
                "with the government before the mandate ends; the compact is how it is agreed, "
                "so joint planning (step 4) is the least the mission needs this quarter.",
            ),
            Override(
                "PART-04",
                2,
                3,
                "Drawdown / transition: the regional organisation's observer team left in the "
                "spring; information sharing with its liaison office is what the handover needs.",
            ),
        ),
        actions=(
            DemoAction(
                "OWN",
                "Draft the transition compact with the ministries of interior and justice.",
                "Transition planning unit",
                agreed_age=1,
                status="done",
                note="Compact signed by both ministries.",
            ),
            DemoAction(
                "PART",
                "Hand the observer team's liaison files to the regional organisation.",
                "Chief of Staff",
                agreed_age=2,
                status="dropped",
                dropped_reason="The regional organisation closed its liaison office.",
            ),
        ),
    ),
    DemoMission(
        "fen",
        "Support Mission in Fendral",
        MissionKind.PEACEKEEPING,
        Region.AMERICAS,
        (*CORE_COMPONENTS, Component.MILITARY, Component.MISSION_SUPPORT),
        phase=MissionPhase.START_UP,
        absent=(
            Component.MISSION_SUPPORT,
            "The mission support respondent was on leave during the answering window; the "
            "Chief of Mission Support will answer next quarter.",
        ),
    ),
)

_KINDS = list(MissionKind)
_REGIONS = list(Region)


def demo_missions(count: int) -> list[DemoMission]:
    """The named missions first, then synthetic ones up to ``count`` (reproducible)."""
    missions = list(DEMO_MISSIONS[:count])
    for number in range(len(missions) + 1, count + 1):
        rng = random.Random(f"demo-mission-{number}")  # noqa: S311 (synthetic data)
        optional = rng.sample(OPTIONAL_COMPONENTS, rng.randint(1, 3))
        missions.append(
            DemoMission(
                f"d{number:03d}",
                f"Synthetic Mission {number:03d}",
                _KINDS[number % len(_KINDS)],
                _REGIONS[number % len(_REGIONS)],
                (*CORE_COMPONENTS, *sorted(optional)),
            )
        )
    return missions


def login_name(slug: str, component: str) -> str:
    """``arv-respondent`` answers for the political component (as documented since the
    first demo); the others are named after their component (``arv-human-rights``)."""
    if component == Component.POLITICAL:
        return f"{slug}-respondent"
    return f"{slug}-{component.replace('_', '-')}"


# Fictional people's names for the demo accounts, so pages show a person, not a login.
_GIVEN_NAMES = (
    "Amina",
    "Tomás",
    "Mei",
    "Kwame",
    "Leila",
    "Sergei",
    "Priya",
    "Jean-Baptiste",
    "Fatou",
    "Lars",
    "Nadia",
    "Kenji",
    "Chiara",
    "Olusegun",
    "Ana",
    "Youssef",
    "Ingrid",
    "Ravi",
    "Thandiwe",
    "Mateo",
    "Hana",
    "Dmitri",
    "Grace",
    "Omar",
)
_FAMILY_NAMES = (
    "Diallo",
    "Herrera",
    "Lin",
    "Mensah",
    "Haddad",
    "Volkov",
    "Raman",
    "Mbeki",
    "Ndiaye",
    "Lindqvist",
    "Karimi",
    "Sato",
    "Bellini",
    "Adeyemi",
    "Costa",
    "Benali",
    "Haugen",
    "Iyer",
    "Dlamini",
    "Rojas",
    "Novak",
    "Petrov",
    "Achieng",
    "Farouk",
)


def demo_person_name(index: int) -> tuple[str, str]:
    """(first name, last name) of the ``index``-th demo account: fixed, so a re-seeded demo
    shows the same people."""
    return (
        _GIVEN_NAMES[index % len(_GIVEN_NAMES)],
        _FAMILY_NAMES[(index * 7 + index // len(_FAMILY_NAMES)) % len(_FAMILY_NAMES)],
    )
