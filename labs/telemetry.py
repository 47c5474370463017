"""The simulated cluster: telemetry for one lab attempt, and the diagnostic commands'
terminal output. Pure and deterministic: the same scenario and seed give the same
cluster, byte for byte, and nothing here reads the database or the clock.

`generate(spec, seed)` draws the *choices* first (which node, GPU, HCA port, NVLink
link and rank carry the fault), then builds a healthy cluster around the job the
scenario describes and plants the scenario's fault kind into it. `run(telemetry,
command, node)` prints what the learner would see in a terminal; the scenario's own
output lines (templates) are added where the fault shows: on the faulty node for a
node command, always for a cluster command.

The story every fault kind tells is consistent across views. The job runs tensor
parallelism inside each node (so a slow GPU or a slow NVLink slows its whole node's
ranks: they become stragglers) and data parallelism across nodes over InfiniBand (so a
network fault slows every rank's AllReduce alike: no compute straggler).
`signatures(telemetry)` reads each fault kind's marks back from the data, which the
property tests use to show the planted fault is there and no other is.
"""

# Terminal output is fixed-width text: its lines read best written out whole.
# ruff: noqa: E501

from __future__ import annotations

import random
import re
import statistics
from dataclasses import dataclass, field

from roadmap.lab_schema import COMMANDS

GIB = 1024**3


@dataclass(frozen=True)
class Choices:
    """What the seed drew: where the fault sits in this attempt."""

    node: int  # index of the faulty node
    gpu: int  # GPU index on it (the first hot GPU, the GPU with dead links, the OOM rank's)
    port: int  # HCA index on it (mlx5_<port>)
    link: int  # the first dead NVLink link of that GPU
    peer_node: int  # a node it talks to (NCCL peer in the logs)
    hour: int  # hour of the run the log excerpt comes from
    step: int  # training step of that excerpt
    pid: int  # the training process id on the faulty GPU
    hot_gpus: tuple[int, ...] = ()
    dead_links: tuple[int, ...] = ()


@dataclass
class Gpu:
    util: int  # nvidia-smi GPU-Util, %
    sm_occupancy: int  # DCGM SM occupancy, %
    mem_bw: int  # DCGM memory bandwidth utilisation, %
    temp: int  # °C
    sm_clock: int  # MHz
    power: int  # W
    mem_used_mib: int
    throttle: tuple[str, ...] = ()  # active clock event reasons
    ecc_sbe: int = 0
    ecc_dbe: int = 0
    xids: tuple[int, ...] = ()


@dataclass
class Port:
    state: str = "Active"
    physical: str = "LinkUp"
    rate: int = 400
    symbol_errors: int = 0
    link_downed: int = 0
    link_recovery: int = 0
    rcv_errors: int = 0
    xmit_discards: int = 0
    xmit_data_gb: float = 0.0  # GB sent in the last minute
    rcv_data_gb: float = 0.0


@dataclass
class Rank:
    compute_ms: float  # forward + backward (with the node's tensor-parallel collectives)
    allreduce_ms: float  # mean data-parallel AllReduce per step
    allreduce_p99_ms: float
    data_wait_ms: float  # waiting for the next batch


@dataclass
class Telemetry:
    spec: dict
    seed: int
    choices: Choices
    nodes: list[str]
    ips: list[str]
    gpus: list[list[Gpu]]
    nvlink: list[list[list[float]]]  # GB/s per link, [node][gpu][link]; 0 = inactive
    ib: list[list[Port]]  # [node][hca]
    ranks: list[Rank]
    transport: str  # "IB" or "Socket"
    busbw_gbs: float  # nccl-tests AllReduce bus bandwidth at 4 GB
    memory_gib: list[float]  # allocated per hour on the worst rank, from hour 0
    oom_hour: float | None = None
    placeholders: dict[str, str] = field(default_factory=dict)

    @property
    def gpus_per_node(self) -> int:
        return self.spec["cluster"]["gpus_per_node"]

    @property
    def step_ms(self) -> float:
        """The job's step: the slowest rank's compute, then the AllReduce, plus data waits."""
        return max(r.compute_ms + r.data_wait_ms for r in self.ranks) + statistics.fmean(
            r.allreduce_ms for r in self.ranks
        )

    def rank_of(self, node: int, gpu: int) -> int:
        return node * self.gpus_per_node + gpu

    def fill(self, template: str) -> str:
        return template.format_map(self.placeholders)


# --- drawing and building --------------------------------------------------------------


def draw(spec: dict, seed: int) -> Choices:
    """The attempt's choices, from its seed alone (a retry draws a new puzzle)."""
    rng = random.Random(f"choices:{seed}")
    c, fault = spec["cluster"], spec["fault"]
    node = rng.randrange(c["nodes"])
    gpu = rng.randrange(c["gpus_per_node"])
    peers = [n for n in range(c["nodes"]) if n != node] or [node]
    links = max(c["nvlinks_per_gpu"], 1)
    dead = min(max(2, links // 3), links)
    link = rng.randrange(links - dead + 1)
    others = [g for g in range(c["gpus_per_node"]) if g != gpu]
    hot = (gpu, *sorted(rng.sample(others, fault["gpus_affected"] - 1)))
    return Choices(
        node=node,
        gpu=gpu,
        port=rng.randrange(c["hcas_per_node"]),
        link=link,
        peer_node=rng.choice(peers),
        hour=rng.randint(20, 70),
        step=rng.randint(18_000, 90_000),
        pid=rng.randint(2_000, 60_000),
        hot_gpus=hot,
        dead_links=tuple(range(link, link + dead)),
    )


def node_names(spec: dict) -> list[str]:
    c = spec["cluster"]
    return [f"{c['node_prefix']}{n + 1:02d}" for n in range(c["nodes"])]


def generate(spec: dict, seed: int) -> Telemetry:
    """The whole cluster for one attempt: healthy, then the scenario's fault planted."""
    choices = draw(spec, seed)
    rng = random.Random(f"telemetry:{seed}")
    c = spec["cluster"]
    n_nodes, per_node = c["nodes"], c["gpus_per_node"]
    nodes = node_names(spec)
    ips = [f"10.{12 + n // 200}.{n % 200 + 10}.{rng.randint(2, 250)}" for n in range(n_nodes)]
    link_gbs = _link_speed(c["gpu"])
    expected = c["expected_step_ms"]
    t = Telemetry(
        spec=spec,
        seed=seed,
        choices=choices,
        nodes=nodes,
        ips=ips,
        gpus=[],
        nvlink=[
            [[link_gbs] * c["nvlinks_per_gpu"] for _ in range(per_node)] for _ in range(n_nodes)
        ],
        ib=[
            [
                Port(
                    xmit_discards=rng.randint(0, 2),
                    xmit_data_gb=round(rng.uniform(1500, 1700), 1),
                    rcv_data_gb=round(rng.uniform(1500, 1700), 1),
                )
                for _ in range(c["hcas_per_node"])
            ]
            for _ in range(n_nodes)
        ],
        ranks=[
            Rank(
                compute_ms=expected * COMPUTE * rng.uniform(0.985, 1.015),
                allreduce_ms=expected * COMM * rng.uniform(0.97, 1.03),
                allreduce_p99_ms=expected * 0.19 * rng.uniform(0.97, 1.03),
                data_wait_ms=rng.uniform(2, 6),
            )
            for _ in range(n_nodes * per_node)
        ],
        transport="IB",
        busbw_gbs=round(rng.uniform(355, 372), 1),
        memory_gib=[],
    )
    slow = 1 + spec["fault"]["slowdown_pct"] / 100
    PLANT[spec["fault"]["kind"]](t, rng, slow)
    if not t.memory_gib:
        base = c["gpu_memory_gb"] * 0.78
        t.memory_gib = [round(base + rng.uniform(-0.2, 0.2), 1) for _ in range(5)]
    t.gpus = _gpus(t, rng)
    _planted_gpu_marks(t, rng)
    t.placeholders = {
        "node": nodes[choices.node],
        "gpu": str(choices.gpu),
        "rank": str(t.rank_of(choices.node, choices.gpu)),
        "port": str(choices.port),
        "hca": f"mlx5_{choices.port}",
        "link": str(choices.link),
        "peer_node": nodes[choices.peer_node],
        "peer_ip": ips[choices.peer_node],
        "hour": str(choices.hour if t.oom_hour is None else int(t.oom_hour)),
        "step": str(choices.step),
        "pid": str(choices.pid),
        # Readings, for templates that quote them.
        "link_downed": str(t.ib[choices.node][choices.port].link_downed),
        "symbol_errors": str(t.ib[choices.node][choices.port].symbol_errors),
        "temp": str(t.gpus[choices.node][choices.gpu].temp),
        "wait_ms": f"{t.ranks[0].data_wait_ms:.0f}",
        "mem_start": f"{t.memory_gib[0]:.1f}",
        "mem_end": f"{t.memory_gib[-1]:.1f}",
    }
    return t


def _link_speed(gpu: str) -> float:
    """Per-link NVLink bandwidth, one direction: NVLink 4 (H100) or NVLink 3 (A100)."""
    return 26.562 if "H100" in gpu or "H200" in gpu else 25.0


def _node_ranks(t: Telemetry, node: int) -> range:
    return range(node * t.gpus_per_node, (node + 1) * t.gpus_per_node)


# A healthy step: 82% compute, 15% exposed AllReduce, a few ms of data wait.
COMPUTE, COMM = 0.82, 0.15


def _compute_factor(slow: float) -> float:
    """How much slower the straggling ranks compute for the job to be `slow` times slower."""
    return 1 + (slow - 1) / COMPUTE


def _comm_factor(slow: float) -> float:
    """How much slower the AllReduce runs for the job to be `slow` times slower."""
    return 1 + (slow - 1) / COMM


def _plant_nvlink(t: Telemetry, rng: random.Random, slow: float) -> None:
    ch = t.choices
    for link in ch.dead_links:
        t.nvlink[ch.node][ch.gpu][link] = 0.0
    # Tensor parallelism runs over NVLink inside the node: that node's ranks straggle.
    for r in _node_ranks(t, ch.node):
        t.ranks[r].compute_ms *= _compute_factor(slow) * rng.uniform(0.99, 1.01)


def _plant_ib(t: Telemetry, rng: random.Random, slow: float) -> None:
    ch = t.choices
    port = t.ib[ch.node][ch.port]
    port.symbol_errors = rng.randint(4_000, 65_000)
    port.link_downed = rng.randint(6, 40)
    port.link_recovery = rng.randint(12, 90)
    port.rcv_errors = rng.randint(150, 2_000)
    port.xmit_discards = rng.randint(300, 5_000)
    port.xmit_data_gb = round(port.xmit_data_gb * rng.uniform(0.3, 0.5), 1)
    # Every rank waits in the same AllReduce: slower on average, with timeouts' long tail.
    for r in t.ranks:
        r.allreduce_ms *= _comm_factor(slow)
        r.allreduce_p99_ms = r.allreduce_ms * rng.uniform(9, 14)
    t.busbw_gbs = round(t.busbw_gbs * rng.uniform(0.42, 0.55), 1)


def _plant_thermal(t: Telemetry, rng: random.Random, slow: float) -> None:
    # The hot GPU's clocks are cut; its tensor-parallel group (the node) waits for it.
    for r in _node_ranks(t, t.choices.node):
        t.ranks[r].compute_ms *= _compute_factor(slow) * rng.uniform(0.99, 1.01)


def _plant_socket(t: Telemetry, rng: random.Random, slow: float) -> None:
    t.transport = "Socket"
    for r in t.ranks:
        r.allreduce_ms *= _comm_factor(slow)
        r.allreduce_p99_ms = r.allreduce_ms * rng.uniform(1.08, 1.2)
    for ports in t.ib:
        for port in ports:
            port.xmit_data_gb = round(rng.uniform(0.01, 0.09), 2)
            port.rcv_data_gb = round(rng.uniform(0.01, 0.09), 2)
    t.busbw_gbs = round(rng.uniform(2.1, 3.4), 1)


def _plant_input(t: Telemetry, rng: random.Random, slow: float) -> None:
    expected = t.spec["cluster"]["expected_step_ms"]
    wait = expected * (slow - 1)
    for r in t.ranks:
        r.data_wait_ms = wait * rng.uniform(0.97, 1.03)


def _plant_memory(t: Telemetry, rng: random.Random, slow: float) -> None:
    capacity = t.spec["cluster"]["gpu_memory_gb"] * 0.99
    start = capacity * rng.uniform(0.55, 0.62)
    per_hour = (capacity - start) / rng.uniform(4.0, 4.4)
    t.oom_hour = round((capacity - start) / per_hour, 2)
    t.memory_gib = [round(min(start + per_hour * h, capacity - 0.4), 1) for h in range(5)]


PLANT = {
    "nvlink-degraded": _plant_nvlink,
    "ib-port-flapping": _plant_ib,
    "thermal-throttle": _plant_thermal,
    "nccl-socket-fallback": _plant_socket,
    "input-pipeline": _plant_input,
    "memory-leak": _plant_memory,
}


def _gpus(t: Telemetry, rng: random.Random) -> list[list[Gpu]]:
    """DCGM's view of every GPU, derived from how its rank spends a step."""
    c = t.spec["cluster"]
    step = t.step_ms
    max_clock = 1980 if "H100" in c["gpu"] or "H200" in c["gpu"] else 1410
    mem_total = c["gpu_memory_gb"] * 1024
    used = (t.memory_gib[-1] + 1.6) * 1024  # reserved by the caching allocator
    out = []
    for n in range(len(t.nodes)):
        row = []
        for g in range(t.gpus_per_node):
            r = t.ranks[t.rank_of(n, g)]
            busy = r.compute_ms / step
            row.append(
                Gpu(
                    util=min(99, round(busy * 100 * rng.uniform(0.99, 1.02) + 2)),
                    sm_occupancy=round(busy * 68 * rng.uniform(0.96, 1.04)),
                    mem_bw=round(busy * 74 * rng.uniform(0.96, 1.04)),
                    temp=rng.randint(52, 66),
                    sm_clock=max_clock - rng.choice((0, 0, 15, 30)),
                    power=round(250 + busy * 420 * rng.uniform(0.95, 1.05)),
                    mem_used_mib=min(mem_total - 300, round(used * rng.uniform(0.995, 1.0))),
                    ecc_sbe=rng.choice((0, 0, 0, 1, 2)),
                )
            )
        out.append(row)
    return out


def _planted_gpu_marks(t: Telemetry, rng: random.Random) -> None:
    """The faults that show on the GPUs themselves."""
    kind, ch = t.spec["fault"]["kind"], t.choices
    if kind == "thermal-throttle":
        for g in ch.hot_gpus:
            gpu = t.gpus[ch.node][g]
            gpu.temp = rng.randint(88, 92)
            gpu.sm_clock = rng.randint(1095, 1380)
            gpu.throttle = ("HW Thermal Slowdown", "SW Thermal Slowdown")
    elif kind == "nvlink-degraded":
        t.gpus[ch.node][ch.gpu].xids = (74,)


# --- reading the marks back ------------------------------------------------------------


def stragglers(t: Telemetry) -> list[int]:
    """Ranks whose compute is over 10% above the median: they hold everyone up."""
    median = statistics.median(r.compute_ms for r in t.ranks)
    return [i for i, r in enumerate(t.ranks) if r.compute_ms > median * 1.10]


def signatures(t: Telemetry) -> dict[str, set]:
    """Where each fault kind shows in the data (empty: it does not)."""
    link_gbs = _link_speed(t.spec["cluster"]["gpu"])
    expected = t.spec["cluster"]["expected_step_ms"]
    growth = (t.memory_gib[-1] - t.memory_gib[0]) / max(len(t.memory_gib) - 1, 1)
    return {
        "nvlink-degraded": {
            (n, g)
            for n, gpus in enumerate(t.nvlink)
            for g, links in enumerate(gpus)
            if any(bw < link_gbs * 0.5 for bw in links)
        },
        "ib-port-flapping": {
            (n, p)
            for n, ports in enumerate(t.ib)
            for p, port in enumerate(ports)
            if port.link_downed or port.symbol_errors > 100 or port.state != "Active"
        },
        "thermal-throttle": {
            (n, g)
            for n, gpus in enumerate(t.gpus)
            for g, gpu in enumerate(gpus)
            if any("Thermal" in reason for reason in gpu.throttle) or gpu.temp >= 85
        },
        "nccl-socket-fallback": {"job"} if t.transport != "IB" else set(),
        "input-pipeline": {i for i, r in enumerate(t.ranks) if r.data_wait_ms > expected * 0.1},
        "memory-leak": {"job"} if growth > 1.0 else set(),
    }


# --- the commands ------------------------------------------------------------------------


def command_title(command: str, node: str | None) -> str:
    typed, scope, _ = COMMANDS[command]
    return f"{node}$ {typed}" if scope == "node" and node else f"$ {typed}"


def run(t: Telemetry, command: str, node: int | None = None) -> str:
    """The terminal output of `command` (on `node`, for a node command)."""
    scope = COMMANDS[command][1]
    if scope == "node":
        node = node if node is not None and 0 <= node < len(t.nodes) else 0
    text = PRINTERS[command](t, node)
    on_fault = scope == "cluster" or node == t.choices.node
    extra = [
        t.fill(line)
        for row in t.spec.get("outputs", [])
        if row["command"] == command and on_fault
        for line in row["lines"]
    ]
    return "\n".join([text.rstrip("\n"), *extra]) if extra else text.rstrip("\n")


def shows(output: str, needle: str) -> bool:
    """Whether `needle` is in `output`, runs of spaces counted as one (an editor's
    template need not copy a terminal's column alignment)."""
    squash = re.compile(r"[ \t]+")
    return squash.sub(" ", needle).strip() in squash.sub(" ", output)


def _bus_id(g: int) -> str:
    return f"00000000:{(0x18, 0x2A, 0x3A, 0x5D, 0x9A, 0xAB, 0xBA, 0xDB)[g % 8]:02X}:00.0"


def _nvidia_smi(t: Telemetry, node: int) -> str:
    c = t.spec["cluster"]
    total = c["gpu_memory_gb"] * 1024 - 465
    cap = 700 if "H100" in c["gpu"] or "H200" in c["gpu"] else 400
    rule = "+-----------------------------------------+------------------------+----------------------+"
    lines = [
        "+-----------------------------------------------------------------------------------------+",
        "| NVIDIA-SMI 550.90.07              Driver Version: 550.90.07      CUDA Version: 12.4     |",
        "|-----------------------------------------+------------------------+----------------------+",
        "| GPU  Name                 Persistence-M | Bus-Id          Disp.A | Volatile Uncorr. ECC |",
        "| Fan  Temp   Perf          Pwr:Usage/Cap |           Memory-Usage | GPU-Util  Compute M. |",
        "|=========================================+========================+======================|",
    ]
    for g, gpu in enumerate(t.gpus[node]):
        name = f"NVIDIA {c['gpu']}"[:28]
        power = min(gpu.power, cap)
        lines.append(f"| {g:>3}  {name:<29}  On  |   {_bus_id(g)} Off | {gpu.ecc_dbe:>20} |")
        lines.append(
            f"| N/A   {gpu.temp:>2}C    P0  {power:>13}W / {cap:>4}W | "
            f"{gpu.mem_used_mib:>7}MiB / {total:>6}MiB | {gpu.util:>6}%      Default |"
        )
        lines.append(rule)
    lines += [
        "",
        "| Processes:                                                                              |",
        "|  GPU   GI   CI        PID   Type   Process name                              GPU Memory |",
        "|=========================================================================================|",
    ]
    base_pid = t.choices.pid - t.choices.gpu
    for g, gpu in enumerate(t.gpus[node]):
        pid = base_pid + g if node == t.choices.node else base_pid + 97 * (node + 1) + g
        lines.append(
            f"|  {g:>3}   N/A  N/A  {pid:>9}      C   python3 train.py"
            f"{'':<24}{gpu.mem_used_mib - 6:>8}MiB |"
        )
    return "\n".join(lines)


def _nvidia_smi_perf(t: Telemetry, node: int) -> str:
    out = []
    reasons = (
        "Idle",
        "SW Power Cap",
        "HW Slowdown",
        "HW Thermal Slowdown",
        "HW Power Brake Slowdown",
        "Sync Boost",
        "SW Thermal Slowdown",
    )
    slowdown = 87 if "H100" in t.spec["cluster"]["gpu"] else 88
    for g, gpu in enumerate(t.gpus[node]):
        out.append(f"GPU {g} ({_bus_id(g)})")
        out.append("    Performance State          : P0")
        out.append("    Clocks Event Reasons")
        for reason in reasons:
            state = "Active" if reason in gpu.throttle else "Not Active"
            out.append(f"        {reason:<24}: {state}")
        out.append(f"    SM Clock                   : {gpu.sm_clock} MHz")
        out.append(f"    GPU Current Temp           : {gpu.temp} C")
        out.append(f"    GPU Slowdown Temp          : {slowdown} C")
    return "\n".join(out)


def _topo(t: Telemetry, node: int) -> str:
    c = t.spec["cluster"]
    n, hcas = c["gpus_per_node"], c["hcas_per_node"]
    links = [sum(1 for bw in t.nvlink[node][g] if bw > 0) for g in range(n)]
    head = "        " + "".join(f"GPU{g}   " for g in range(n))
    head += "".join(f"NIC{h}   " for h in range(hcas)) + "CPU Affinity    NUMA Affinity"
    rows = [head]
    for g in range(n):
        cells = []
        for other in range(n):
            if other == g:
                cells.append(" X    ")
            else:
                width = min(links[g], links[other]) if c["nvlinks_per_gpu"] else 0
                cells.append(f"NV{width:<4}" if width else "SYS   ")
        numa = 0 if g < n / 2 else 1
        for h in range(hcas):
            cells.append(
                "PIX   "
                if h * n // hcas == g
                else ("NODE  " if (h < hcas / 2) == (numa == 0) else "SYS   ")
            )
        cpus = "0-55,112-167" if numa == 0 else "56-111,168-223"
        rows.append(f"GPU{g}    " + " ".join(cells) + f" {cpus:<15} {numa}")
    rows.append("")
    rows += [f"NIC{h}: mlx5_{h}" for h in range(hcas)]
    rows += [
        "",
        "Legend:",
        "  X    = Self",
        "  SYS  = Connection traversing PCIe as well as the SMP interconnect between NUMA nodes",
        "  NODE = Connection traversing PCIe and the interconnect within a NUMA node",
        "  PIX  = Connection traversing at most a single PCIe bridge",
        "  NV#  = Connection traversing a bonded set of # NVLinks",
    ]
    return "\n".join(rows)


def _nvlink(t: Telemetry, node: int) -> str:
    out = []
    for g, links in enumerate(t.nvlink[node]):
        out.append(f"GPU {g}: NVIDIA {t.spec['cluster']['gpu']} ({_bus_id(g)})")
        for i, bw in enumerate(links):
            out.append(f"\t Link {i}: {bw:.3f} GB/s" if bw > 0 else f"\t Link {i}: <inactive>")
    if not t.spec["cluster"]["nvlinks_per_gpu"]:
        out.append("NVLink is not present on these GPUs (PCIe only).")
    return "\n".join(out)


def _diag(t: Telemetry, node: int) -> str:
    gpus = t.gpus[node]
    n = len(gpus)
    nvlink_bad = [g for g in range(n) if any(bw == 0 for bw in t.nvlink[node][g])]
    hot = [g for g, gpu in enumerate(gpus) if gpu.throttle]

    def row(name: str, result: str) -> str:
        return f"| {name:<27} | {result:<44} |"

    def section(name: str) -> str:
        return f"+-----  {name}  ".ljust(30, "-") + "+" + "-" * 46 + "+"

    sep = "+" + "-" * 29 + "+" + "-" * 46 + "+"
    lines = [
        "Successfully ran diagnostic for group.",
        sep,
        row("Diagnostic", "Result"),
        "+" + "=" * 29 + "+" + "=" * 46 + "+",
        section("Metadata"),
        row("DCGM Version", "3.3.6"),
        row("Driver Version Detected", "550.90.07"),
        row("GPU Device IDs Detected", ",".join("2330" for _ in range(n))),
        section("Deployment"),
        row("Denylist", "Pass"),
        row("NVML Library", "Pass"),
        row("CUDA Main Library", "Pass"),
        row("Permissions and OS Blocks", "Pass"),
        row("Persistence Mode", "Pass"),
        row("Environment Variables", "Pass"),
        row("Page Retirement/Row Remap", "Pass"),
        row("Graphics Processes", "Pass"),
        row("Inforom", "Pass"),
        section("Integration"),
        row("PCIe", "Pass - All" if not nvlink_bad else f"Fail - GPU: {nvlink_bad[0]}"),
    ]
    if nvlink_bad:
        g = nvlink_bad[0]
        dead = [i for i, bw in enumerate(t.nvlink[node][g]) if bw == 0]
        lines.append(row("Warning", f"GPU {g} NVLink link {dead[0]} is inactive"))
    lines += [
        section("Hardware"),
        row("GPU Memory", "Pass - All"),
        row("Diagnostic", "Pass - All" if not hot else f"Warn - GPU: {','.join(map(str, hot))}"),
    ]
    for g in hot:
        lines.append(row("Warning", f"GPU {g} Thermal violations totaling {gpus[g].temp * 7}.0 s"))
    lines += [
        section("Stress"),
        row("Targeted Stress", "Pass - All" if not hot else "Warn - clocks below target"),
        row("Targeted Power", "Pass - All"),
        row("Memory Bandwidth", "Pass - All"),
        sep,
    ]
    return "\n".join(lines)


def _dmesg(t: Telemetry, node: int) -> str:
    lines = []
    for g, gpu in enumerate(t.gpus[node]):
        for xid in gpu.xids:
            lines.append(
                f"[Thu Dec  3 0{t.choices.hour % 10}:1{g}:07 2026] NVRM: Xid (PCI:{_bus_id(g)[4:]}): "
                f"{xid}, pid={t.choices.pid}, name=python3, NVLink: fatal error detected on link "
                f"{t.choices.link}(0x0, 0x0, 0x10000, 0x0, 0x0, 0x0, 0x0)"
            )
    for h in range(t.spec["cluster"]["hcas_per_node"]):
        lines.append(
            f"[Mon Nov 30 21:04:{10 + h:02d} 2026] mlx5_core 0000:{0x1A + h:02x}:00.0 mlx5_{h}: "
            "Port module event: module 0, Cable plugged"
        )
    return "\n".join(lines)


def _ibstat(t: Telemetry, node: int) -> str:
    out = []
    for h, port in enumerate(t.ib[node]):
        guid = f"0x{(0xA088C20300F1 + node * 16 + h):016x}"
        out += [
            f"CA 'mlx5_{h}'",
            "\tCA type: MT4129",
            "\tNumber of ports: 1",
            "\tFirmware version: 28.39.2048",
            "\tPort 1:",
            f"\t\tState: {port.state}",
            f"\t\tPhysical state: {port.physical}",
            f"\t\tRate: {port.rate}",
            f"\t\tBase lid: {100 + node * 16 + h}",
            "\t\tSM lid: 1",
            f"\t\tPort GUID: {guid}",
            "\t\tLink layer: InfiniBand",
        ]
    return "\n".join(out)


def _perfquery(t: Telemetry, node: int) -> str:
    out = []
    for h, port in enumerate(t.ib[node]):
        lid = 100 + node * 16 + h
        out += [
            f"# Port extended counters: Lid {lid} port 1 (CapMask: 0x5A00)  [mlx5_{h}]",
            f"PortXmitData:.....................{int(port.xmit_data_gb * 1e9 / 4)}",
            f"PortRcvData:......................{int(port.rcv_data_gb * 1e9 / 4)}",
            f"SymbolErrorCounter:...............{port.symbol_errors}",
            f"LinkErrorRecoveryCounter:.........{port.link_recovery}",
            f"LinkDownedCounter:................{port.link_downed}",
            f"PortRcvErrors:....................{port.rcv_errors}",
            f"PortXmitDiscards:.................{port.xmit_discards}",
        ]
    return "\n".join(out)


def _nccl_log(t: Telemetry, node: int | None) -> str:
    c = t.spec["cluster"]
    lines = ["NCCL INFO NCCL version 2.21.5+cuda12.4"]
    for n in sorted({0, t.choices.node, t.choices.peer_node}):
        host = t.nodes[n]
        rank = t.rank_of(n, 0)
        if t.transport == "IB":
            nics = " ".join(f"[{h}]mlx5_{h}:1/IB" for h in range(c["hcas_per_node"]))
            lines.append(f"{host}:{rank} NCCL INFO NET/IB : Using {nics} ; OOB eth0:{t.ips[n]}<0>")
            lines.append(f"{host}:{rank} NCCL INFO Using network IB")
        else:
            lines.append(f"{host}:{rank} NCCL INFO NET/IB : No device found.")
            lines.append(f"{host}:{rank} NCCL INFO NET/Socket : Using [0]eth0:{t.ips[n]}<0>")
            lines.append(f"{host}:{rank} NCCL INFO Using network Socket")
        lines.append(
            f"{host}:{rank} NCCL INFO comm 0x7f3a{n:04x} rank {rank} nRanks {len(t.ranks)} "
            f"nNodes {len(t.nodes)} localRanks {c['gpus_per_node']} localRank 0 MNNVL 0"
        )
        via = "NET/IB/0/GDRDMA" if t.transport == "IB" else "NET/Socket/0"
        lines.append(
            f"{host}:{rank} NCCL INFO Channel 00/0 : {rank}[0] -> {(rank + c['gpus_per_node']) % len(t.ranks)}[0] [send] via {via}"
        )
    lines.append("NCCL INFO Connected all rings")
    lines.append("NCCL INFO Connected all trees")
    return "\n".join(lines)


def _nccl_tests(t: Telemetry, node: int | None) -> str:
    lines = [
        "# nThread 1 nGpus 1 minBytes 8388608 maxBytes 4294967296 step: 2(factor) warmup iters: 5 iters: 20",
        f"# Using devices: {len(t.ranks)} ranks on {len(t.nodes)} nodes",
        "#                                                   out-of-place",
        "#       size         count      type   redop    time   algbw   busbw  #wrong",
        "#        (B)    (elements)                      (us)  (GB/s)  (GB/s)",
    ]
    n = len(t.ranks)
    factor = 2 * (n - 1) / n if n > 1 else 1
    size = 8 * 1024**2
    while size <= 4 * GIB:
        share = min(1.0, (size / GIB) ** 0.35)
        busbw = t.busbw_gbs * max(0.15, share)
        algbw = busbw / factor
        time_us = size / (algbw * 1e9) * 1e6
        lines.append(
            f"{size:>12} {size // 2:>13}      bf16     sum  {time_us:>8.0f}  {algbw:>6.2f}  {busbw:>6.2f}       0"
        )
        size *= 2
    avg = statistics.fmean(
        t.busbw_gbs * max(0.15, min(1.0, (s / GIB) ** 0.35))
        for s in (8 * 1024**2 * 2**i for i in range(10))
    )
    lines.append(f"# Avg bus bandwidth    : {avg:.2f}")
    return "\n".join(lines)


def _stragglers(t: Telemetry, node: int | None) -> str:
    slow = stragglers(t)
    median = statistics.median(r.compute_ms for r in t.ranks)
    worst = sorted(range(len(t.ranks)), key=lambda i: -t.ranks[i].compute_ms)[:8]
    expected = t.spec["cluster"]["expected_step_ms"]
    lines = [
        f"Last 200 steps, {len(t.ranks)} ranks. Expected step {expected} ms, measured "
        f"{t.step_ms:.0f} ms ({(t.step_ms / expected - 1) * 100:+.0f}%).",
        f"Median compute {median:.0f} ms; AllReduce mean "
        f"{statistics.fmean(r.allreduce_ms for r in t.ranks):.0f} ms, p99 "
        f"{max(r.allreduce_p99_ms for r in t.ranks):.0f} ms; data wait mean "
        f"{statistics.fmean(r.data_wait_ms for r in t.ranks):.0f} ms.",
        "",
        "rank  node        gpu  compute_ms  allreduce_ms  p99_ms  data_wait_ms",
    ]
    per = t.gpus_per_node
    for i in worst:
        r = t.ranks[i]
        lines.append(
            f"{i:>4}  {t.nodes[i // per]:<10} {i % per:>4}  {r.compute_ms:>10.0f}  "
            f"{r.allreduce_ms:>12.0f}  {r.allreduce_p99_ms:>6.0f}  {r.data_wait_ms:>12.0f}"
        )
    lines.append("")
    nodes = sorted({t.nodes[i // per] for i in slow})
    lines.append(f"Ranks over 10% above the median compute: {len(slow)}")
    lines.append(f"Nodes with stragglers: {', '.join(nodes) if nodes else 'none'}")
    return "\n".join(lines)


def _dmon(t: Telemetry, node: int | None) -> str:
    lines = ["#Node        GPU-Util  SM-Occ  MemBW  Temp(max)  SMclk(min)  NVLink GB/s  Throttled"]
    for n, gpus in enumerate(t.gpus):
        nvlink = sum(sum(links) for links in t.nvlink[n]) / max(len(t.nvlink[n]), 1)
        throttled = sum(1 for g in gpus if g.throttle)
        lines.append(
            f"{t.nodes[n]:<12} {statistics.fmean(g.util for g in gpus):>7.0f}%  "
            f"{statistics.fmean(g.sm_occupancy for g in gpus):>5.0f}%  "
            f"{statistics.fmean(g.mem_bw for g in gpus):>4.0f}%  "
            f"{max(g.temp for g in gpus):>7}C  {min(g.sm_clock for g in gpus):>8}MHz  "
            f"{nvlink:>11.1f}  {throttled:>9}"
        )
    return "\n".join(lines)


def _train_log(t: Telemetry, node: int | None) -> str:
    expected = t.spec["cluster"]["expected_step_ms"]
    step, lines = t.choices.step, []
    tokens = 4_194_304 / (t.step_ms / 1000)
    for i in range(6):
        lines.append(
            f"[rank0] step {step + i * 50:>6} | loss {2.31 - i * 0.004:.3f} | "
            f"step_time {t.step_ms * (1 + 0.002 * i):.0f} ms (target {expected}) | "
            f"tokens/s {tokens:,.0f}"
        )
    return "\n".join(lines)


def _memory(t: Telemetry, node: int | None) -> str:
    cap = t.spec["cluster"]["gpu_memory_gb"]
    lines = [
        f"rank {t.placeholders.get('rank', '0')}: torch.cuda.memory_allocated / reserved, by hour",
        "hour  allocated_GiB  reserved_GiB  capacity_GiB",
    ]
    for h, gib in enumerate(t.memory_gib):
        lines.append(f"{h:>4}  {gib:>13.1f}  {gib + 1.6:>12.1f}  {cap:>12}")
    first, last, hours = t.memory_gib[0], t.memory_gib[-1], len(t.memory_gib) - 1
    lines.append(
        f"allocated {first:.1f} -> {last:.1f} GiB over {hours} h ({(last - first) / hours:+.1f} GiB/h)"
    )
    return "\n".join(lines)


def _dataloader(t: Telemetry, node: int | None) -> str:
    r = t.ranks[0]
    step = t.step_ms
    workers = 2 if t.spec["fault"]["kind"] == "input-pipeline" else 12
    parts = [
        ("DataLoader wait", r.data_wait_ms),
        ("forward", r.compute_ms * 0.36),
        ("backward", r.compute_ms * 0.64),
        ("AllReduce (exposed)", r.allreduce_ms),
    ]
    lines = [f"rank 0, mean of 50 steps: {step:.0f} ms per step; DataLoader num_workers={workers}"]
    for name, ms in parts:
        lines.append(f"  {name:<22} {ms:>7.0f} ms  {ms / step * 100:>5.1f}%")
    return "\n".join(lines)


PRINTERS = {
    "stragglers": _stragglers,
    "dcgmi-dmon": _dmon,
    "nvidia-smi": _nvidia_smi,
    "nvidia-smi-perf": _nvidia_smi_perf,
    "nvidia-smi-topo": _topo,
    "nvidia-smi-nvlink": _nvlink,
    "dcgmi-diag": _diag,
    "dmesg": _dmesg,
    "ibstat": _ibstat,
    "perfquery": _perfquery,
    "nccl-log": _nccl_log,
    "nccl-tests": _nccl_tests,
    "train-log": _train_log,
    "memory": _memory,
    "dataloader": _dataloader,
}
assert set(PRINTERS) == set(COMMANDS), "every command has a printer"
