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
