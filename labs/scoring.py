"""Feedback on a diagnosis: the evidence trail, whether the cause is right, and the method
as seed 003's live-debugging round judges it ("Do they check GPU topology first? Do they
look for straggler nodes? Do they examine NCCL AllReduce timing? Do they suspect network
congestion or hardware degradation?"), read from the order of the commands run.

Pure: it takes the scenario, the attempt's telemetry and its runs, and reads nothing else.

Outcomes: the wrong cause is *wrong*; the right cause with no evidence seen is *lucky*
(a guess, however good); the right cause with the evidence but a thin method is *weak*;
the right cause, at least two pieces of evidence (or all, if fewer) and a sound method
is *passed*. A method is sound when every check the scenario lists passed, or all but
one when it lists three or more.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from roadmap.lab_schema import COMMANDS

from . import telemetry as tel

TOPOLOGY_WITHIN = 3  # "topology first": among the first three commands


@dataclass(frozen=True)
class Run:
    command: str
    node: int | None


@dataclass(frozen=True)
class Proof:
    """One piece of evidence and whether (and when) the learner saw it."""

    key: str
    command: str  # what to type
    where: str  # the node it shows on, or "" for a cluster command
    shows: str
    says: str
    seen_at: int | None  # the run number (1-based) that showed it first


@dataclass(frozen=True)
class Check:
    key: str
    title: str
    passed: bool
    detail: str


@dataclass(frozen=True)
class Feedback:
    outcome: str  # a LabAttempt.Outcome value
    correct: bool
    chosen: dict | None  # the chosen cause or distractor, as in the scenario
    cause: dict
    proofs: list[Proof]
    checks: list[Check]
    sound: bool

    @property
    def seen(self) -> int:
        return sum(1 for p in self.proofs if p.seen_at is not None)


def choices(spec: dict) -> list[dict]:
    """The cause and the distractors, in a fixed order that does not give the answer away
    (sorted by title)."""
    return sorted([spec["cause"], *spec["distractors"]], key=lambda c: c["title"])


def evidence_trail(spec: dict, t: tel.Telemetry, runs: Sequence[Run]) -> list[Proof]:
    proofs = []
    for item in spec["evidence"]:
        node_command = COMMANDS[item["command"]][1] == "node"
        seen_at = next(
            (
                i
                for i, run in enumerate(runs, 1)
                if run.command == item["command"]
                and (not node_command or run.node == t.choices.node)
            ),
            None,
        )
        proofs.append(
            Proof(
                key=item["key"],
                command=tel.command_title(item["command"], t.nodes[t.choices.node]),
                where=t.nodes[t.choices.node] if node_command else "",
                shows=t.fill(item["shows"]),
                says=t.fill(item["says"]),
                seen_at=seen_at,
            )
        )
    return proofs


def _first(runs: Sequence[Run], wanted: set[str]) -> int | None:
    return next((i for i, run in enumerate(runs, 1) if run.command in wanted), None)


def _category(category: str) -> set[str]:
    return {key for key, (_, _, cat) in COMMANDS.items() if cat == category}


# A method check passed by running any command of one category:
# key -> (category, label, what was done "as command {at}", what was never done)
LOOKED_AT = {
    "stragglers": (
        "stragglers",
        "Looked for straggler nodes",
        "You compared ranks as command {at}: one slow node, or every rank alike?",
        "You never compared the ranks: a straggler (or the absence of one) "
        "says whether the fault is local or job-wide.",
    ),
    "allreduce-timing": (
        "allreduce",
        "Examined NCCL AllReduce timing",
        "You examined NCCL and AllReduce timing as command {at}.",
        "You never looked at NCCL: its log and `all_reduce_perf` show the "
        "transport in use and what the collective really achieves.",
    ),
    "job-itself": (
        "workload",
        "Looked at the job itself",
        "You read the job's own signals (log, memory or input pipeline) as command {at}.",
        "You never looked at the job itself: its log, memory or input pipeline.",
    ),
}


def _looked_at(key: str, runs: Sequence[Run]) -> Check:
    category, label, done, never = LOOKED_AT[key]
    at = _first(runs, _category(category))
    return Check(key, label, at is not None, never if at is None else done.format(at=at))


def method_checks(spec: dict, runs: Sequence[Run]) -> list[Check]:
    """The checks the scenario lists, each passed or not, with what the order showed."""
    out = []
    for key in spec["method"]:
        if key == "topology-first":
            at = _first(runs, _category("topology"))
            passed = at is not None and at <= TOPOLOGY_WITHIN
            detail = (
                "You never mapped the topology (`nvidia-smi topo -m`): which GPUs share "
                "NVLinks and which NIC sits next to which GPU."
                if at is None
                else f"You mapped the topology as command {at}"
                + ("." if passed else ": map GPUs, NVLinks and NICs before drilling in.")
            )
            out.append(Check(key, "Checked GPU topology first", passed, detail))
        elif key == "network-vs-hardware":
            net, hw = _first(runs, _category("network")), _first(runs, _category("hardware"))
            passed = net is not None and hw is not None
            if passed:
                detail = (
                    f"You checked both the network (command {net}) and the GPUs (command {hw})."
                )
            else:
                missing = "the network (ibstat, perfquery)" if net is None else "the GPUs"
                detail = f"You never checked {missing}: weigh network against hardware."
            out.append(Check(key, "Weighed network against hardware", passed, detail))
        elif key in LOOKED_AT:
            out.append(_looked_at(key, runs))
    return out


def assess(spec: dict, t: tel.Telemetry, runs: Sequence[Run], cause: str) -> Feedback:
    proofs = evidence_trail(spec, t, runs)
    checks = method_checks(spec, runs)
    failed = sum(1 for c in checks if not c.passed)
    allowed = 1 if len(checks) >= 3 else 0
    seen = sum(1 for p in proofs if p.seen_at is not None)
    enough = seen >= min(2, len(proofs))
    sound = failed <= allowed and enough
    correct = cause == spec["cause"]["key"]
    if not correct:
        outcome = "wrong"
    elif seen == 0:
        outcome = "lucky"
    elif not sound:
        outcome = "weak-method"
    else:
        outcome = "passed"
    chosen = next((c for c in choices(spec) if c["key"] == cause), None)
    return Feedback(outcome, correct, chosen, spec["cause"], proofs, checks, sound)
