import copy

import pytest
import yaml

RUBRIC = {
    1: "Co-existence: components keep out of each other's way.",
    2: "Networking / information sharing: information is shared when asked.",
    3: "Coordination: regular meetings align the work.",
    4: "Collaboration / joint planning: plans are made jointly.",
    5: "Full integration: one plan, one budget, one chain of accountability.",
}


def indicator(code: str, level: str = "policy_strategic", **extra) -> dict:
    return {
        "code": code,
        "coherence_level": level,
        "weight": 1,
        "statement": f"Statement of {code}.",
        "guidance": f"Guidance for {code}.",
        "source": "1.2 Defining integration",
        "rubric": dict(RUBRIC),
        **extra,
    }


SMALL = {
    "code": "TEST",
    "version": 1,
    "title": "Test questionnaire",
    "description": "Small questionnaire for tests.",
    "dimensions": [
        {
            "code": "LEAD",
            "title": "Leadership and management",
            "description": "Senior leadership team.",
            "default_target_step": 4,
            "weight": 1,
            "barrier_tags": [{"code": "LEAD-B-ROLES", "label": "Unclear roles"}],
            "enabler_tags": [{"code": "LEAD-E-RETREAT", "label": "Leadership retreats"}],
            "indicators": [indicator("LEAD-01"), indicator("LEAD-02", "administrative")],
        },
        {
            "code": "HUM",
            "title": "Humanitarian space",
            "description": "Humanitarian principles.",
            "default_target_step": 2,
            "weight": 1.5,
            "barrier_tags": [],
            "enabler_tags": [],
            "indicators": [indicator("HUM-01", "operational_programmatic", weight=0.5)],
        },
    ],
}


@pytest.fixture
def small_data() -> dict:
    """A valid questionnaire as parsed YAML; tests break it on purpose."""
    return copy.deepcopy(SMALL)


@pytest.fixture
def write_yaml(tmp_path):
    def write(data: dict, name: str = "questionnaire.yaml"):
        path = tmp_path / name
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
        return path

    return write


def indicator_v2(code: str, level: str = "policy_strategic", **extra) -> dict:
    """An indicator in the v2 format: who answers, a target band, a quoted source.

    A key given as None is left out (e.g. ``quote=None`` for a practice indicator)."""
    data = {
        "code": code,
        "coherence_level": level,
        "weight": 1,
        "applies_to": ["political", "military"],
        "target": {"min": 3, "max": 4},
        "statement": f"Statement of {code}.",
        "guidance": f"Guidance for {code}.",
        "source": "1.2 Defining integration",
        "quote": "form follows function",
        "rubric": dict(RUBRIC),
        **extra,
    }
    return {key: value for key, value in data.items() if value is not None}


SMALL_V2 = {
    "code": "TEST",
    "version": 2,
    "title": "Test questionnaire",
    "description": "Small questionnaire in the v2 format.",
    "glossary": [
        {
            "term": "DSRSG/RC/HC",
            "definition": "Deputy Special Representative, Resident and Humanitarian Coordinator.",
            "source": "Executive summary, para. 6",
            "quote": "the triple-hatted DSRSG/RC/HC",
        },
        {
            "term": "IMTF",
            "definition": "Integrated Mission Task Force at headquarters.",
            "basis": "practice",
            "note": "Introduced by the 2006 IMPP guidelines; not named in the report.",
        },
    ],
    "dimensions": [
        {
            "code": "LEAD",
            "title": "Leadership and management",
            "description": "Senior leadership team.",
            "weight": 1,
            "barrier_tags": [
                {
                    "code": "LEAD-B-COHESION",
                    "label": "Leadership group not built as a cohesive unit",
                    "source": "Executive summary, para. 6",
                    "quote": "absence of a methodical attempt to build the senior leadership "
                    "group as a cohesive unit",
                }
            ],
            "enabler_tags": [
                {
                    "code": "LEAD-E-DELEGATION",
                    "label": "Authority delegated to the head of mission",
                    "basis": "practice",
                    "note": "2019 delegation of authority to heads of mission.",
                }
            ],
            "indicators": [
                indicator_v2("LEAD-01"),
                indicator_v2(
                    "LEAD-02",
                    "administrative",
                    applies_to=["mission"],
                    target={"min": 2, "max": 2},
                    source=None,
                    quote=None,
                    basis="practice",
                    note="Delegation of authority since 2019.",
                ),
            ],
        },
        {
            "code": "HUM",
            "title": "Humanitarian space",
            "description": "Humanitarian principles.",
            "default_target_step": 2,
            "weight": 1.5,
            "indicators": [
                indicator_v2(
                    "HUM-01",
                    "operational_programmatic",
                    weight=0.5,
                    applies_to=[],
                    target={"min": 1, "max": 2},
                )
            ],
        },
    ],
}


@pytest.fixture
def small_v2_data() -> dict:
    """A valid v2 questionnaire (bands, applicability, quotes, practice notes, glossary)."""
    return copy.deepcopy(SMALL_V2)
