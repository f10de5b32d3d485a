"""The 5-step spectrum of integration (Oslo 2007 report, section 1.2), as plain Python.

The one home of the step names: ``questionnaires.models.IntegrationStep`` (the choices forms and
models use), the answer choices, the questionnaire files and the pure scoring method all take
them from here. No Django import, so scoring stays ORM-free.
"""

STEP_NAMES: dict[int, str] = {
    1: "Co-existence",
    2: "Networking / information sharing",
    3: "Coordination",
    4: "Collaboration / joint planning",
    5: "Full integration",
}
STEPS: tuple[int, ...] = tuple(STEP_NAMES)
