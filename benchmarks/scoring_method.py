"""Benchmark of the pure scoring method (scoring/method_v3.py; `--method 2` for method_v2.py).

Run from anywhere: `python benchmarks/scoring_method.py [--method 3] [--assessments N] [--runs N]`.
Needs neither Django nor a database: it builds seeded synthetic assessments (40 indicators in
9 dimensions with target bands, a quarter of them asked of some components only and two of the
focal point; 5 of the 8 components per assessment, one of which has not responded; about 5%
"na"/"dk" answers and 2% missing ones; a few band overrides and one mission-level N/A), warms
up, then times several runs on one core. The last line of output is one JSON object, so CI can
parse it. "Component responses" counts the expected components, responding or not. For method
3 the same data is read with v3's marks: the HUM indicators are safeguards with the humanitarian
component's voice, two indicators are external context, N/A answers carry a reason (half of them
confirmed) and one override is carried from the previous quarter.
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
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from scoring import method_v3  # noqa: E402 (needs the repo root on sys.path)
from scoring.method import METHODS  # noqa: E402
from scoring.method_v1 import AnswerValue  # noqa: E402
from scoring.method_v2 import (  # noqa: E402
    MISSION,
    BandOverride,
    DimensionDef,
    IndicatorDef,
    QuestionnaireDef,
    ScoringInput,
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


def _applies_to(rng: random.Random, n: int) -> tuple[str, ...]:
    if n in (7, 31):
        return (MISSION,)
    if n % 4 == 1:
        return tuple(rng.sample(COMPONENTS, 4))
    return ()


def synthetic_questionnaire(rng: random.Random) -> QuestionnaireDef:
    dimensions = tuple(
        DimensionDef(code, rng.choice((1.0, 1.0, 1.5, 2.0))) for code in DIMENSION_CODES
    )
    indicators = []
    for n in range(INDICATORS):
        low = rng.randint(1, 4)
        indicators.append(
            IndicatorDef(
                code=f"{DIMENSION_CODES[n % 9]}-{n:02d}",
                dimension_code=DIMENSION_CODES[n % 9],
                coherence_level=LEVELS[n % 3],
                weight=rng.choice((0.5, 1.0, 1.0, 1.5, 2.0)),
                band_min=low,
                band_max=min(5, low + rng.randint(0, 1)),
                applies_to=_applies_to(rng, n),
            )
        )
    return QuestionnaireDef(dimensions=dimensions, indicators=tuple(indicators))


def synthetic_assessment(rng: random.Random, questionnaire: QuestionnaireDef) -> ScoringInput:
    components = tuple(rng.sample(COMPONENTS, COMPONENTS_PER_ASSESSMENT))
    silent = components[0]
    responded = (*components[1:], MISSION)
    answers = []
    for indicator in questionnaire.indicators:
        if indicator.applies_to == (MISSION,):
            scope = (MISSION,)
        else:
            scope = [c for c in components if not indicator.applies_to or c in indicator.applies_to]
        for component in scope:
            if component == silent:
                continue
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
    overridden = rng.sample([i.code for i in questionnaire.indicators], 3)
    overrides = tuple(BandOverride(code, 2, 3, "Phase of the mission.") for code in overridden)
    declared = {rng.choice(questionnaire.indicators).code: "No such mandate."}
    return ScoringInput(
        questionnaire,
        (*components, MISSION),
        responded,
        tuple(answers),
        overrides,
        declared,
        "consolidation",
    )


def questionnaire_v3(questionnaire: QuestionnaireDef) -> method_v3.QuestionnaireDef:
    """The synthetic questionnaire with v3's marks (see the module docstring)."""
    indicators = tuple(
        method_v3.IndicatorDef(
            i.code,
            i.dimension_code,
            i.coherence_level,
            i.weight,
            i.band_min,
            i.band_max,
            "default band",
            i.applies_to,
            safeguard=i.dimension_code == "HUM",
            voice=("humanitarian",) if i.dimension_code == "HUM" else (),
            external=n in (3, 35),
        )
        for n, i in enumerate(questionnaire.indicators)
    )
    return method_v3.QuestionnaireDef(questionnaire.dimensions, indicators)


def as_v3(data: ScoringInput, questionnaire: method_v3.QuestionnaireDef) -> method_v3.ScoringInput:
    """The same assessment as method v3 reads it, against one shared v3 questionnaire (as the
    service scores a batch against one definition)."""
    answers = tuple(
        method_v3.AnswerValue(
            a.component,
            a.indicator_code,
            a.step,
            a.kind,
            "Not observed here." if a.kind == "na" else "",
            a.kind == "na" and len(a.component) % 2 == 0,
        )
        for a in data.answers
    )
    overrides = tuple(
        method_v3.BandOverride(
            o.indicator_code, o.band_min, o.band_max, o.rationale, "2026-Q3" if n == 0 else ""
        )
        for n, o in enumerate(data.overrides)
    )
    return method_v3.ScoringInput(
        questionnaire,
        data.components,
        data.responded,
        answers,
        overrides,
        data.not_applicable,
        data.phase,
    )


def pin_to_one_core() -> None:
    """The target is per core; pinning keeps the scheduler from spreading the run."""
    with contextlib.suppress(AttributeError, OSError):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assessments", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=20071029)
    parser.add_argument("--method", type=int, choices=(2, 3), default=3)
    args = parser.parse_args()

    pin_to_one_core()
    rng = random.Random(args.seed)  # noqa: S311 (synthetic data, seeded on purpose)
    questionnaire = synthetic_questionnaire(rng)
    inputs: list[Any] = [synthetic_assessment(rng, questionnaire) for _ in range(args.assessments)]
    score: Callable[[Any], Any] = METHODS[args.method].score
    if args.method == 3:
        shared = questionnaire_v3(questionnaire)
        inputs = [as_v3(data, shared) for data in inputs]

    for data in inputs[:200]:  # warm-up
        score(data)

    durations, cpu_durations = [], []
    for run in range(args.runs):
        gc.collect()
        started, cpu_started = time.perf_counter(), time.process_time()
        for data in inputs:
            score(data)
        durations.append(time.perf_counter() - started)
        cpu_durations.append(time.process_time() - cpu_started)
        print(f"run {run + 1}: {args.assessments} assessments in {durations[-1]:.3f} s")

    median = statistics.median(durations)
    responses = args.assessments * COMPONENTS_PER_ASSESSMENT
    print(
        json.dumps(
            {
                "subject": "scoring_method",
                "method_version": METHODS[args.method].label,
                "component_responses_per_second": round(responses / median),
                "assessments_per_second": round(args.assessments / median),
                "best_component_responses_per_second": round(responses / min(durations)),
                # CPU time of this process only: the figure on a core shared with other work.
                "component_responses_per_cpu_second": round(
                    responses / statistics.median(cpu_durations)
                ),
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
