"""Scoring a diagnosis: cause, evidence seen, and the method read from the command order."""

from __future__ import annotations

import pytest

from labs import scoring
from labs import telemetry as tel
from labs.scoring import Run
from tests.conftest import seeds_bundle


def _spec(key: str) -> dict:
    return next(s for s in seeds_bundle().labs if s["key"] == key)


@pytest.fixture
def nvlink():
    spec = _spec("degraded-nvlink")
    return spec, tel.generate(spec, 42)


def _runs(t, *commands):
    return [Run(c, t.choices.node) for c in commands]


def test_the_right_cause_with_a_sound_order_passes(nvlink):
    spec, t = nvlink
    runs = _runs(t, "nvidia-smi-topo", "stragglers", "nccl-tests", "ibstat", "nvidia-smi-nvlink")
    feedback = scoring.assess(spec, t, runs, "nvlink-degraded")
    assert feedback.outcome == "passed" and feedback.correct and feedback.sound
    assert [p.seen_at for p in feedback.proofs] == [2, 5, None, None]
    assert all(c.passed for c in feedback.checks)
    assert feedback.checks[0].detail == "You mapped the topology as command 1."


def test_the_right_cause_without_any_evidence_is_luck(nvlink):
    spec, t = nvlink
    feedback = scoring.assess(spec, t, _runs(t, "ibstat", "perfquery"), "nvlink-degraded")
    assert feedback.outcome == "lucky" and feedback.correct and feedback.seen == 0


def test_no_commands_at_all_is_luck_too(nvlink):
    spec, t = nvlink
    assert scoring.assess(spec, t, [], "nvlink-degraded").outcome == "lucky"


def test_evidence_on_the_wrong_node_does_not_count(nvlink):
    spec, t = nvlink
    elsewhere = (t.choices.node + 1) % len(t.nodes)
    runs = [Run("nvidia-smi-nvlink", elsewhere), Run("dmesg", elsewhere)]
    feedback = scoring.assess(spec, t, runs, "nvlink-degraded")
    assert feedback.outcome == "lucky"


def test_the_wrong_cause_is_wrong_whatever_the_method(nvlink):
    spec, t = nvlink
    runs = _runs(t, "nvidia-smi-topo", "stragglers", "nccl-tests", "ibstat", "nvidia-smi-nvlink")
    feedback = scoring.assess(spec, t, runs, "ib-congestion")
    assert feedback.outcome == "wrong" and not feedback.correct
    assert feedback.chosen["title"] == "InfiniBand congestion or a bad port"
    assert "port counters are clean" in feedback.chosen["explanation"]


def test_the_right_cause_with_a_thin_method_is_weak(nvlink):
    spec, t = nvlink
    # Straight to the node's NVLink and kernel log: evidence, but no topology, no
    # AllReduce timing, no network check.
    runs = _runs(t, "stragglers", "nvidia-smi-nvlink", "dmesg")
    feedback = scoring.assess(spec, t, runs, "nvlink-degraded")
    assert feedback.outcome == "weak-method"
    failed = {c.key for c in feedback.checks if not c.passed}
    assert failed == {"topology-first", "allreduce-timing", "network-vs-hardware"}


def test_topology_late_in_the_order_does_not_count_as_first(nvlink):
    spec, t = nvlink
    runs = _runs(t, "stragglers", "ibstat", "nccl-log", "nvidia-smi-nvlink", "nvidia-smi-topo")
    check = scoring.method_checks(spec, runs)[0]
    assert check.key == "topology-first" and not check.passed
    assert "as command 5" in check.detail


def test_the_oom_lab_asks_for_the_job_itself_and_the_ranks():
    spec = _spec("oom-after-four-hours")
    t = tel.generate(spec, 9)
    good = scoring.assess(
        spec,
        t,
        [Run("stragglers", None), Run("train-log", None), Run("memory", None)],
        "memory-leak",
    )
    assert good.outcome == "passed"
    thin = scoring.assess(spec, t, [Run("train-log", None), Run("memory", None)], "memory-leak")
    assert thin.outcome == "weak-method"


def test_the_choices_are_in_an_order_that_gives_nothing_away():
    for spec in seeds_bundle().labs:
        titles = [c["title"] for c in scoring.choices(spec)]
        assert titles == sorted(titles) and len(titles) == 1 + len(spec["distractors"])
