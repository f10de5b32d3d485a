"""The default questionnaire follows the content rules of the domain brief."""

from collections import Counter
from pathlib import Path

import pytest

from questionnaires.formats import spec_from_file
from questionnaires.spec import COHERENCE_LEVELS, DIMENSION_CODES

DEFAULT_FILE = Path(__file__).resolve().parents[2] / "questionnaires/data/imp-core-v1.yaml"
SPEC = spec_from_file(DEFAULT_FILE)
STEP_NAMES = [
    "Co-existence",
    "Networking / information sharing",
    "Coordination",
    "Collaboration / joint planning",
    "Full integration",
]


def test_all_nine_dimensions_in_the_order_of_the_brief():
    assert [dim.code for dim in SPEC.dimensions] == list(DIMENSION_CODES)


def test_at_least_four_indicators_per_dimension_and_forty_in_all():
    counts = Counter(dim.code for dim, _ in SPEC.indicators())
    assert min(counts.values()) >= 4, counts
    assert sum(counts.values()) >= 40


@pytest.mark.parametrize("dimension", SPEC.dimensions, ids=lambda d: d.code)
def test_each_dimension_spans_at_least_two_coherence_levels(dimension):
    levels = {ind.coherence_level for ind in dimension.indicators}
    assert len(levels) >= 2 and levels <= set(COHERENCE_LEVELS)


@pytest.mark.parametrize("pair", SPEC.indicators(), ids=lambda p: p[1].code)
def test_every_indicator_has_five_named_rubric_steps_guidance_and_a_source(pair):
    dimension, indicator = pair
    assert indicator.code.startswith(f"{dimension.code}-")
    assert sorted(indicator.rubric) == [1, 2, 3, 4, 5]
    for step, name in enumerate(STEP_NAMES, start=1):
        assert indicator.rubric[step].startswith(name), (indicator.code, step)
    assert len(indicator.guidance) > 40
    assert indicator.source.startswith(("Executive summary", "1."))


def test_humanitarian_dimension_has_the_lowest_default_target():
    targets = {dim.code: dim.default_target_step for dim in SPEC.dimensions}
    others = [step for code, step in targets.items() if code != "HUM"]
    assert targets["HUM"] < min(others)


def test_every_dimension_offers_barrier_and_enabler_tags():
    for dim in SPEC.dimensions:
        assert len(dim.barrier_tags) >= 3 and len(dim.enabler_tags) >= 3, dim.code


def test_wording_is_specific_to_peace_operations():
    text = " ".join(
        " ".join([ind.statement, ind.guidance, *ind.rubric.values()])
        for _, ind in SPEC.indicators()
    )
    for term in [
        "SRSG",
        "DSRSG/RC/HC",
        "UN country team",
        "IMPP",
        "compact",
        "Peacebuilding Commission",
        "quick impact project",
        "assessed",
        "voluntary",
        "earmark",
        "Security Council",
        "humanitarian principles",
    ]:
        assert term.lower() in text.lower(), term
