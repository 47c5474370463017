"""The generator, as properties: every scenario × 50 seeds. The evidence the scenario
names is in the output, the planted fault is where the seed put it, and nothing in the
telemetry points at another cause (no contradiction)."""

from __future__ import annotations

import pytest

from labs import telemetry as t
from roadmap.lab_schema import COMMANDS
from tests.conftest import seeds_bundle

SEEDS = range(50)
# Faults that sit on one node: their node-level evidence shows there and nowhere else.
LOCAL = {"nvlink-degraded", "ib-port-flapping", "thermal-throttle"}
# Faults that slow one node's ranks (tensor parallelism ties a node to its slowest GPU).
STRAGGLING = {"nvlink-degraded", "thermal-throttle"}


def _scenarios() -> list[dict]:
    return seeds_bundle().labs


@pytest.fixture(params=[s["key"] for s in _scenarios()])
def spec(request) -> dict:
    return next(s for s in _scenarios() if s["key"] == request.param)


def test_there_are_six_scenarios_one_per_fault_kind():
    assert sorted(s["fault"]["kind"] for s in _scenarios()) == sorted(
        [
            "nvlink-degraded",
            "ib-port-flapping",
            "thermal-throttle",
            "nccl-socket-fallback",
            "input-pipeline",
            "memory-leak",
        ]
    )


def test_the_evidence_is_in_the_output_for_every_seed(spec):
    kind = spec["fault"]["kind"]
    for seed in SEEDS:
        tel = t.generate(spec, seed)
        for item in spec["evidence"]:
            node_command = COMMANDS[item["command"]][1] == "node"
            needle = tel.fill(item["shows"])
            out = t.run(tel, item["command"], tel.choices.node if node_command else None)
            assert t.shows(out, needle), (spec["key"], seed, item["key"], needle)
            if node_command and kind in LOCAL:
                for other in range(len(tel.nodes)):
                    if other != tel.choices.node:
                        assert not t.shows(t.run(tel, item["command"], other), needle), (
                            spec["key"],
                            seed,
                            item["key"],
                            f"also on {tel.nodes[other]}",
                        )


def test_the_fault_shows_where_the_seed_put_it_and_no_other_does(spec):
    kind = spec["fault"]["kind"]
    for seed in SEEDS:
        tel = t.generate(spec, seed)
        ch = tel.choices
        found = t.signatures(tel)
        assert found[kind], (spec["key"], seed, "the fault is missing")
        for other, where in found.items():
            if other != kind:
                assert not where, (spec["key"], seed, f"{other} shows too: {sorted(where)[:3]}")
        if kind in LOCAL:
            assert {pos[0] for pos in found[kind]} == {ch.node}
        if kind == "nvlink-degraded":
            assert found[kind] == {(ch.node, ch.gpu)}
        if kind == "ib-port-flapping":
            assert found[kind] == {(ch.node, ch.port)}
        if kind == "thermal-throttle":
            assert found[kind] == {(ch.node, g) for g in ch.hot_gpus}
        stragglers = set(t.stragglers(tel))
        if kind in STRAGGLING:
            per = tel.gpus_per_node
            assert stragglers == set(range(ch.node * per, (ch.node + 1) * per))
        else:
            assert not stragglers, (spec["key"], seed, "a straggler where none belongs")


def test_the_job_is_as_slow_as_the_symptom_says(spec):
    expected = spec["cluster"]["expected_step_ms"]
    slow = 1 + spec["fault"]["slowdown_pct"] / 100
    for seed in SEEDS:
        tel = t.generate(spec, seed)
        assert abs(tel.step_ms / expected - slow) < 0.06, (spec["key"], seed, tel.step_ms)


def test_every_command_prints_for_every_node_without_failing(spec):
    tel = t.generate(spec, 3)
    for command in spec["commands"]:
        for node in (None, 0, len(tel.nodes) - 1, 999, -1):
            out = t.run(tel, command, node)
            assert out.strip() and "{" not in out.replace("{ ", ""), (command, node)


def test_the_same_seed_gives_the_same_cluster_and_two_seeds_different_puzzles(spec):
    assert t.run(t.generate(spec, 11), "stragglers") == t.run(t.generate(spec, 11), "stragglers")
    a, b = t.draw(spec, 1), t.draw(spec, 2)
    assert (a.node, a.gpu) != (b.node, b.gpu)
    drawn = {(c.node, c.gpu, c.port) for c in (t.draw(spec, s) for s in SEEDS)}
    assert len(drawn) >= 10, "50 seeds should spread over many nodes, GPUs and ports"


def test_a_healthy_straggler_report_says_none():
    spec = next(s for s in _scenarios() if s["fault"]["kind"] == "input-pipeline")
    out = t.run(t.generate(spec, 5), "stragglers")
    assert "Nodes with stragglers: none" in out
