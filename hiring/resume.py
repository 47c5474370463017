"""The resume screen: text from a PDF (bounded), and the recruiter's checks and red flags.

Seed 000's recruiter reads a resume for five minutes against four checks (production ML
with frameworks, infrastructure used concretely, Python first, companies where ML
infrastructure matters) and four red flags (research only, notebooks or Kaggle only,
"full stack" without ML depth, a list of every technology). `screen(text)` applies the
same reading as plain rules on the resume's lines, and quotes the lines behind each
result so the learner sees why. Rules, not a model: the learner can predict and fix them.
"""

from __future__ import annotations

import io
import logging
import re
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass

from pypdf import PdfReader, apply_configuration
from pypdf.errors import PyPdfError

from .models import RESUME_MAX_CHARS

logger = logging.getLogger(__name__)

PDF_MAX_BYTES = 2 * 1024 * 1024
PDF_MAX_PAGES = 10
PDF_MAX_SECONDS = 3.0  # checked between pages: a page's own work is bounded by the limits
# pypdf's own limits (75 MB per stream by default), tightened for a resume: a
# decompression bomb stops at a few MB of output instead of filling memory.
PDF_LIMITS = {
    "zlib_maximum_output_length": 4_000_000,
    "lzw_maximum_output_length": 4_000_000,
    "run_length_maximum_output_length": 4_000_000,
    "array_based_stream_maximum_output_length": 4_000_000,
    "maximum_declared_stream_length": 4_000_000,
    "stream_decoding_work_maximum_length": 20_000_000,
    "page_tree_maximum_page_entries": 1_000,
    "image_maximum_buffer_size": 4_000_000,
}


class UnreadablePdf(ValueError):
    """A message for the person who uploaded the file."""


def pdf_text(data: bytes) -> str:
    """The text of a resume PDF, or `UnreadablePdf` saying why not.

    Anything pypdf raises on a broken or hostile file becomes a message: the upload is
    somebody's input, never a reason for a 500.
    """
    if len(data) > PDF_MAX_BYTES:
        raise UnreadablePdf(f"That PDF is over {PDF_MAX_BYTES // (1024 * 1024)} MB.")
    if not data.startswith(b"%PDF-"):
        raise UnreadablePdf("That file is not a PDF. Upload a PDF or paste the text.")
    started = time.monotonic()
    try:
        with apply_configuration(**PDF_LIMITS):
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                raise UnreadablePdf("That PDF is password-protected. Paste the text instead.")
            if len(reader.pages) > PDF_MAX_PAGES:
                raise UnreadablePdf(
                    f"That PDF has more than {PDF_MAX_PAGES} pages; a resume has one or two."
                )
            parts: list[str] = []
            size = 0
            for page in reader.pages:
                text = page.extract_text() or ""
                parts.append(text)
                size += len(text)
                if size > RESUME_MAX_CHARS or time.monotonic() - started > PDF_MAX_SECONDS:
                    break
    except UnreadablePdf:
        raise
    except (
        PyPdfError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        IndexError,
        OSError,
        RecursionError,
        MemoryError,
        OverflowError,
        ZeroDivisionError,
        AssertionError,
    ) as e:
        logger.info("Unreadable resume PDF: %r", e)
        raise UnreadablePdf(
            "Rampup could not read that PDF. Export it again, or paste the text."
        ) from None
    text = "\n".join(parts)[:RESUME_MAX_CHARS].replace("\x00", "")
    if not text.strip():
        raise UnreadablePdf(
            "That PDF has no text to read (a scanned image?). Paste the text instead."
        )
    return text


# --- the checks ----------------------------------------------------------------------

FRAMEWORKS = (
    "pytorch", "tensorflow", "jax", "keras", "scikit-learn", "sklearn", "xgboost", "lightgbm",
    "hugging face", "huggingface", "triton", "vllm", "tensorrt", "onnx",
    "ray", "kubeflow", "mlflow", "sagemaker", "vertex ai", "torchserve", "deepspeed",
    "bentoml", "seldon", "kserve", "feast",
)  # fmt: skip
PRODUCTION = (
    "production", "deployed", "deploy", "serving", "served", "shipped", "launched", "in prod",
    "p99", "p95", "latency", "qps", "requests per second", "rps", "uptime", "sla", "slo",
    "real-time", "realtime", "customers", "daily active", "on-call", "rollout", "a/b test",
)  # fmt: skip
INFRA = (
    "docker", "kubernetes", "k8s", "terraform", "pulumi", "ci/cd", "github actions",
    "gitlab ci", "jenkins", "argo", "helm", "aws", "gcp", "azure", "eks", "gke", "aks",
    "ansible", "prometheus", "grafana", "slurm",
)  # fmt: skip
VAGUE = (
    "familiar with", "familiarity with", "exposure to", "knowledge of", "basic", "aware of",
    "some experience", "learning", "interested in", "coursework",
)  # fmt: skip
OTHER_LANGUAGES = ("java", "go", "golang", "c#", "c++", "scala", "ruby", "php", "javascript",
                   "typescript", "kotlin", "rust")  # fmt: skip
SIDE_PYTHON = ("python scripting", "some python", "python scripts", "basic python")
RESEARCH = (
    "research", "phd", "ph.d", "publication", "published", "paper", "thesis", "postdoc",
    "professor", "university", "academic", "neurips", "icml", "iclr", "cvpr", "acl", "lab",
)  # fmt: skip
NOTEBOOK = ("kaggle", "jupyter", "notebook", "colab", "competition")
FULL_STACK = ("full stack", "full-stack", "fullstack")
ML_PLATFORM_PHRASES = ("ml platform", "ml infrastructure", "ml infra", "mlops", "ai startup",
                       "gpu cluster", "model serving")  # fmt: skip
EVERY_TECHNOLOGY_ITEMS = 15  # items in one comma/pipe-separated line
QUOTES = 3
QUOTE_CHARS = 180


def _has(line: str, words: Iterable[str]) -> bool:
    """Whole-word (or whole-phrase) match, case-insensitive."""
    return any(re.search(rf"(?<![\w+#]){re.escape(w)}(?![\w+#])", line) for w in words)


def _quote(lines: list[str]) -> list[str]:
    out = []
    for line in lines[:QUOTES]:
        out.append(line if len(line) <= QUOTE_CHARS else line[: QUOTE_CHARS - 1] + "…")
    return out


@dataclass
class Finding:
    key: str  # the rubric item's key (rubric.toml screen_checks / red_flags)
    kind: str  # "check" or "flag"
    ok: bool  # a check met / a red flag not raised
    why: str  # one sentence: what Rampup read
    quotes: list[str]  # the lines that triggered it


def companies_from(texts: Iterable[str]) -> list[str]:
    """Company names out of the target-company facts' prose ("Lunit (Korea), Qure.ai
    (India)…", "APAC offices of Uber, Stripe…"): the pieces between commas, slashes and
    "and"/"or", without the bracketed notes and leading words such as "APAC offices of"."""
    names: list[str] = []
    for text in texts:
        text = re.sub(r"\([^)]*\)", "", text)
        for piece in re.split(r",|/|;|\band\b|\bor\b", text):
            piece = re.sub(r"^.*\b(?:of|at)\s+", "", piece.strip())
            words = piece.split()
            if not words or not words[0][:1].isupper() or words[0] in COMPANY_STOPWORDS:
                continue
            names.append(words[0])
    return sorted(set(names))


COMPANY_STOPWORDS = {"Any", "APAC", "AI", "ML", "Series", "The", "Engineers", "Cloud"}


def screen(text: str, *, companies: Iterable[str]) -> list[Finding]:
    lines = [ln.strip(" \t•*-–·") for ln in text.splitlines()]
    lines = [ln for ln in lines if ln]
    low = [ln.lower() for ln in lines]

    def where(pred) -> list[str]:
        return [lines[i] for i, ln in enumerate(low) if pred(ln)]

    # A framework in a skills list is not depth: only lines about work count.
    framework = where(lambda ln: _has(ln, FRAMEWORKS) and not _listing(ln))
    production = [ln for ln in framework if _has(ln.lower(), PRODUCTION)]
    infra_all = where(lambda ln: _has(ln, INFRA))
    infra_vague = where(lambda ln: _has(ln, INFRA) and _has(ln, VAGUE))
    infra_concrete = [ln for ln in infra_all if ln not in infra_vague and not _listing(ln)]
    python = where(lambda ln: _has(ln, ("python",)))
    side_python = where(lambda ln: _has(ln, SIDE_PYTHON))
    others = where(lambda ln: _has(ln, OTHER_LANGUAGES))
    python_first = bool(python) and not side_python and len(python) >= _top_other(low)
    names = [c for c in companies if c]
    at_company = [
        lines[i]
        for i, ln in enumerate(low)
        if any(re.search(rf"(?<!\w){re.escape(c)}(?!\w)", lines[i]) for c in names)
        or _has(ln, ML_PLATFORM_PHRASES)
    ]
    research = where(lambda ln: _has(ln, RESEARCH))
    notebook = where(lambda ln: _has(ln, NOTEBOOK))
    full_stack = where(lambda ln: _has(ln, FULL_STACK))
    listing = [ln for ln in lines if _listing(ln)]

    return [
        Finding(
            "production-ml-frameworks",
            "check",
            bool(production),
            "An ML framework named beside production work (serving, deployed, latency, users)."
            if production
            else (
                "ML frameworks appear, but never beside production work: "
                "that reads as trained models only."
                if framework
                else "No ML framework (PyTorch, Triton, vLLM, Ray, MLflow…) is named."
            ),
            _quote(production or framework),
        ),
        Finding(
            "infrastructure-keywords",
            "check",
            bool(infra_concrete),
            "Infrastructure named in lines about work done with it."
            if infra_concrete
            else (
                'Infrastructure appears only as "familiar with" or in a list, not in work done.'
                if infra_all
                else "No infrastructure (Docker, Kubernetes, Terraform, CI/CD, cloud) is named."
            ),
            _quote(infra_concrete or infra_vague or infra_all),
        ),
        Finding(
            "python-primary",
            "check",
            python_first,
            "Python is named at least as often as any other language."
            if python_first
            else (
                "Python reads as a side language (scripting) or another language dominates."
                if python
                else "Python is not named."
            ),
            _quote(side_python or (others if python and not python_first else python)),
        ),
        Finding(
            "ml-infra-companies",
            "check",
            bool(at_company),
            "Work at a company or team where ML infrastructure matters."
            if at_company
            else "No target company (ML platforms, medical AI, cloud AI, AI labs) "
            "or ML platform team named.",
            _quote(at_company),
        ),
        Finding(
            "research-only",
            "flag",
            not (research and not production),
            "Research experience with production work beside it."
            if research and production
            else (
                "Only research or academic work: nothing runs in production."
                if research
                else "No research-only signal."
            ),
            _quote(research) if research and not production else [],
        ),
        Finding(
            "notebook-kaggle-only",
            "flag",
            not (notebook and not production),
            "Notebook or Kaggle work without production work beside it."
            if notebook and not production
            else "No notebook-only signal.",
            _quote(notebook) if notebook and not production else [],
        ),
        Finding(
            "full-stack-no-ml-depth",
            "flag",
            not (full_stack and not framework),
            '"Full stack" with no ML framework anywhere.'
            if full_stack and not framework
            else 'No "full stack without ML" signal.',
            _quote(full_stack) if full_stack and not framework else [],
        ),
        Finding(
            "lists-every-technology",
            "flag",
            not listing,
            f"A line lists {EVERY_TECHNOLOGY_ITEMS} or more technologies."
            if listing
            else "No everything-list.",
            _quote(listing),
        ),
    ]


def _listing(line: str) -> bool:
    return len([p for p in re.split(r"[,|;/•·]", line) if p.strip()]) >= EVERY_TECHNOLOGY_ITEMS


def _top_other(low: list[str]) -> int:
    """How many lines name the most-named other language."""
    return max((sum(1 for ln in low if _has(ln, (lang,))) for lang in OTHER_LANGUAGES), default=0)


def passes(findings: list[Finding]) -> bool:
    """The screen passes when every check is met and no red flag is raised."""
    return all(f.ok for f in findings)


def as_data(findings: list[Finding]) -> list[dict]:
    return [asdict(f) for f in findings]
