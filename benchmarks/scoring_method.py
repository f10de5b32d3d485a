"""Benchmark of the pure scoring method (scoring/method.py).

Run from anywhere: `python benchmarks/scoring_method.py [--assessments N] [--runs N]`.
Needs neither Django nor a database: it builds seeded synthetic assessments (40 indicators in
9 dimensions, 5 of the 8 components per assessment, about 5% "na"/"dk" answers and 2% missing
ones), warms up, then times several runs on one core. The last line of output is one JSON
object, so CI can parse it.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from scoring.method import (  # noqa: E402 (needs the repo root on sys.path first)
    METHOD_VERSION,
    AnswerValue,
    DimensionDef,
    IndicatorDef,
    QuestionnaireDef,
    ScoringInput,
    score_assessment,
)

DIMENSION_CODES = ("LEAD", "POL", "HUM", "RES", "PLAN", "PART", "OWN", "ACC", "MS")
COMPONENTS = (
    "political",
    "military",
    "police",
    "mission_support",
    "humanitarian",
    "development",
    "human_rights",
    "rule_of_law",
)
LEVELS = ("policy_strategic", "operational_programmatic", "administrative")
INDICATORS = 40
COMPONENTS_PER_ASSESSMENT = 5


def synthetic_questionnaire(rng: random.Random) -> QuestionnaireDef:
    dimensions = tuple(
        DimensionDef(code, rng.choice((1.0, 1.0, 1.5, 2.0)), 2 if code == "HUM" else 4)
        for code in DIMENSION_CODES
    )
    indicators = tuple(
        IndicatorDef(
            code=f"{DIMENSION_CODES[n % 9]}-{n:02d}",
            dimension_code=DIMENSION_CODES[n % 9],
            coherence_level=LEVELS[n % 3],
            weight=rng.choice((0.5, 1.0, 1.0, 1.5, 2.0)),
        )
        for n in range(INDICATORS)
    )
    return QuestionnaireDef(dimensions=dimensions, indicators=indicators)


def synthetic_assessment(rng: random.Random, questionnaire: QuestionnaireDef) -> ScoringInput:
    components = tuple(rng.sample(COMPONENTS, COMPONENTS_PER_ASSESSMENT))
    answers = []
    for component in components:
        for indicator in questionnaire.indicators:
            draw = rng.random()
            if draw < 0.02:
                continue  # no answer
            if draw < 0.045:
                answers.append(AnswerValue(component, indicator.code, None, "na"))
            elif draw < 0.07:
                answers.append(AnswerValue(component, indicator.code, None, "dk"))
            else:
                answers.append(AnswerValue(component, indicator.code, rng.randint(1, 5), "step"))
    rng.shuffle(answers)
    targets = {code: rng.randint(1, 5) for code in rng.sample(DIMENSION_CODES, 3)}
    return ScoringInput(questionnaire, targets, components, tuple(answers))


def pin_to_one_core() -> None:
    """The target is per core; pinning keeps the scheduler from spreading the run."""
    with contextlib.suppress(AttributeError, OSError):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assessments", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=20071029)
    args = parser.parse_args()

    pin_to_one_core()
    rng = random.Random(args.seed)  # noqa: S311 (synthetic data, seeded on purpose)
    questionnaire = synthetic_questionnaire(rng)
    inputs = [synthetic_assessment(rng, questionnaire) for _ in range(args.assessments)]

    for data in inputs[:200]:  # warm-up
        score_assessment(data)

    durations = []
    for run in range(args.runs):
        gc.collect()
        started = time.perf_counter()
        for data in inputs:
            score_assessment(data)
        durations.append(time.perf_counter() - started)
        print(f"run {run + 1}: {args.assessments} assessments in {durations[-1]:.3f} s")

    median = statistics.median(durations)
    responses = args.assessments * COMPONENTS_PER_ASSESSMENT
    print(
        json.dumps(
            {
                "subject": "scoring_method",
                "method_version": METHOD_VERSION,
                "component_responses_per_second": round(responses / median),
                "assessments_per_second": round(args.assessments / median),
                "best_component_responses_per_second": round(responses / min(durations)),
                "indicators": INDICATORS,
                "components_per_assessment": COMPONENTS_PER_ASSESSMENT,
                "assessments_per_run": args.assessments,
                "runs": args.runs,
                "python": platform.python_version(),
            }
        )
    )


if __name__ == "__main__":
    main()
