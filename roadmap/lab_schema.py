"""The shape of a GPU-debugging lab scenario (`seeds/<roadmap>/labs/*.toml`), as pydantic
models, and the rules inside one scenario file.

A scenario is content like a question: an editor adds one without code. The telemetry
generator (labs.telemetry) knows a fixed set of fault *kinds* and diagnostic *commands*;
a scenario picks one kind, a cluster shape, which commands the learner may run, the
lines those commands add (templates filled from the attempt's seed), the evidence that
proves the cause, the distractors and the remediation. The vocabularies live here, in
the content app, so the loader checks a file without importing the learner's side.
"""

from __future__ import annotations

import string
from typing import Any

from pydantic import model_validator
from pydantic_core import PydanticCustomError

from .seed_schema import PLAIN, Int, Key, Seed, Source, Str, Strs, Tables, Text

# The faults the generator can plant. A new kind needs code (labs.telemetry); a new
# scenario over an existing kind (another cluster, other wording) needs none.
FAULT_KINDS = (
    "nvlink-degraded",  # one GPU's NVLink links down on one node
    "ib-port-flapping",  # one node's InfiniBand port goes down and up: NCCL timeouts
    "thermal-throttle",  # GPUs on one node hot, clocks cut by thermal slowdown
    "nccl-socket-fallback",  # NCCL uses TCP sockets instead of InfiniBand, job-wide
    "input-pipeline",  # every GPU waits for data: no straggler
    "memory-leak",  # allocated memory grows every step until the job runs out (OOM)
)

# command key -> (what the learner types, scope, method category).
# scope: "node" runs on one node the learner picks, "cluster" on the whole job.
COMMANDS: dict[str, tuple[str, str, str]] = {
    "stragglers": ("straggler-report --per-rank --last 200", "cluster", "stragglers"),
    "dcgmi-dmon": ("dcgmi dmon -e 203,1002,1005,150,100 (fleet)", "cluster", "hardware"),
    "nvidia-smi": ("nvidia-smi", "node", "hardware"),
    "nvidia-smi-perf": ("nvidia-smi -q -d PERFORMANCE,TEMPERATURE", "node", "hardware"),
    "nvidia-smi-topo": ("nvidia-smi topo -m", "node", "topology"),
    "nvidia-smi-nvlink": ("nvidia-smi nvlink -s", "node", "hardware"),
    "dcgmi-diag": ("dcgmi diag -r 2", "node", "hardware"),
    "dmesg": ("dmesg -T | grep -iE 'xid|nvrm|mlx5'", "node", "hardware"),
    "ibstat": ("ibstat", "node", "network"),
    "perfquery": ("perfquery -x (every port)", "node", "network"),
    "nccl-log": ("NCCL_DEBUG=INFO: grep NCCL job.log", "cluster", "allreduce"),
    "nccl-tests": ("all_reduce_perf -b 8M -e 4G -f 2 -g 1 (all ranks)", "cluster", "allreduce"),
    "train-log": ("tail -n 40 train.log", "cluster", "workload"),
    "memory": ("torch.cuda.memory_stats() by hour", "cluster", "workload"),
    "dataloader": ("torch.profiler step breakdown (rank 0)", "cluster", "workload"),
}

# How seed 003 says a debugger should work; a scenario lists the checks that apply.
METHOD_CHECKS = (
    "topology-first",
    "stragglers",
    "allreduce-timing",
    "network-vs-hardware",
    "job-itself",  # the job's own log, memory or input pipeline
)

# The names a template may use: filled from the attempt's seed (labs.telemetry.Choices).
PLACEHOLDERS = frozenset(
    {
        *("node", "gpu", "rank", "port", "hca", "link", "peer_node", "peer_ip"),
        *("hour", "step", "pid"),
        # readings of the planted fault
        *("link_downed", "symbol_errors", "temp", "wait_ms", "mem_start", "mem_end"),
    }
)


def _template_ok(value: str) -> str:
    """A template uses only known placeholders, so filling it can never fail."""
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(value) if name is not None}
    except ValueError as exc:
        raise PydanticCustomError(PLAIN, "template '{t}' is not well formed", {"t": value}) from exc
    unknown = sorted(names - PLACEHOLDERS)
    if unknown:
        raise PydanticCustomError(
            PLAIN,
            "unknown placeholder '{name}' (known: {known})",
            {"name": unknown[0], "known": ", ".join(sorted(PLACEHOLDERS))},
        )
    return value


class ClusterSeed(Seed):
    nodes: Int(1, 64)
    gpus_per_node: Int(1, 8)
    gpu: Str()  # "H100 80GB HBM3"
    gpu_memory_gb: Int(16, 192)
    nvlinks_per_gpu: Int(0, 18)
    hcas_per_node: Int(1, 8)
    fabric: Str()  # "InfiniBand NDR 400 Gb/s, rail-optimised"
    job: Str()  # what runs on it
    expected_step_ms: Int(50, 60000)
    node_prefix: Str()  # node names: f"{prefix}{n:02d}"


class FaultSeed(Seed):
    kind: Str(choices=FAULT_KINDS)
    slowdown_pct: Int(0, 300)  # how much slower the job runs than expected
    gpus_affected: Int(1, 8)  # thermal: how many GPUs on the node run hot


class TelemetrySeed(Seed):
    normal: Strs()  # which telemetry looks healthy, in words the feedback shows
    faulty: Strs()  # which carries the fault


class LineSeed(Seed):
    """Lines a command adds to its generated output (a template per line)."""

    command: Str(choices=tuple(COMMANDS))
    lines: Strs()

    @model_validator(mode="after")
    def _templates(self) -> LineSeed:
        for line in self.lines:
            _template_ok(line)
        return self


class EvidenceSeed(Seed):
    """What proves the cause: text that `command`'s output shows (on the faulty node,
    for a node command) and what it means."""

    key: Key
    command: Str(choices=tuple(COMMANDS))
    shows: Str()  # a template; must appear in that output for every seed
    says: Text()

    @model_validator(mode="after")
    def _template(self) -> EvidenceSeed:
        _template_ok(self.shows)
        _template_ok(self.says)
        return self


class ChoiceSeed(Seed):
    key: Key
    title: Str()
    explanation: Text()  # the cause: why; a distractor: why not
    fault: Str(required=False, choices=("", *FAULT_KINDS))  # a distractor's fault, if it is one


class LabScenarioFile(Seed):
    key: Key
    order: Int(1, 99)
    title: Str()
    summary: Str()  # one line for the list of labs
    symptom: Text()  # markdown: what the learner is told
    source: Source
    cluster: ClusterSeed
    fault: FaultSeed
    telemetry: TelemetrySeed
    commands: Strs()  # command keys the learner may run, in the order the buttons show
    outputs: Tables(LineSeed, required=False)
    evidence: Tables(EvidenceSeed)
    cause: ChoiceSeed
    distractors: Tables(ChoiceSeed)
    remediation: Text()  # markdown
    method: Strs()  # METHOD_CHECKS that apply to this scenario


def check_scenario(data: dict[str, Any], add) -> None:
    """Rules across one valid scenario's fields; `add(key, problem)` notes each."""
    key = data["key"]
    unknown = [c for c in data["commands"] if c not in COMMANDS]
    for name in unknown:
        add(key, f"commands: unknown command '{name}' (known: {', '.join(COMMANDS)})")
    for name in data["method"]:
        if name not in METHOD_CHECKS:
            add(key, f"method: unknown check '{name}' (known: {', '.join(METHOD_CHECKS)})")
    for row in (*data["evidence"], *data["outputs"]):
        if row["command"] not in data["commands"]:
            add(key, f"{row['command']}: not among this scenario's commands")
    if len(data["distractors"]) < 3:
        add(key, "distractors: at least 3 plausible wrong causes")
    keys = [data["cause"]["key"], *(d["key"] for d in data["distractors"])]
    for dup in sorted({k for k in keys if keys.count(k) > 1}):
        add(key, f"cause and distractors share the key '{dup}'")
    for d in data["distractors"]:
        if d["fault"] == data["fault"]["kind"]:
            add(d["key"], f"a distractor cannot be the scenario's own fault '{d['fault']}'")
    cluster = data["cluster"]
    if data["fault"]["gpus_affected"] > cluster["gpus_per_node"]:
        add(key, "fault.gpus_affected exceeds cluster.gpus_per_node")
    if data["fault"]["kind"] == "nvlink-degraded" and cluster["nvlinks_per_gpu"] < 2:
        add(key, "an NVLink fault needs cluster.nvlinks_per_gpu of 2 or more")
