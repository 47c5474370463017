"""Read, validate and load a roadmap from its `seeds/<roadmap>/` folder.

Two steps, kept apart so a bad file never half-writes the database:

1. `read_roadmap(path)` parses every TOML file and checks it completely —
   syntax, unknown and missing fields, types, ranges, duplicate keys and
   references between files — and raises `SeedError` listing every problem as
   `file: key: problem`.
2. `load_roadmap(bundle)` upserts the rows by key in one transaction, retires
   (never deletes) rows whose key left the files, and returns the counts.

The schema is documented in `seeds/README.md`.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import models, transaction

from . import content
from . import models as m

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
SOURCES = {
    "000_99e8c9792f2a57c3.txt",
    "001_1be50ca8a5595062.txt",
    "002_4a968ebb1ec470e9.txt",
    "003_7d824a585aae8002.txt",
    "004_e82bfe26fec94269.txt",
    "rampup",
}
LEVELS = range(1, 6)
FILES = ("roadmap.toml", "phases.toml", "rubric.toml", "skills.toml", "career.toml",
         "backgrounds.toml")  # fmt: skip


class SeedError(Exception):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class F:
    """One field of a seeds table: its type and the values it may take."""

    kind: str  # str | text | int | strs | table | tables | dict
    required: bool = True
    choices: tuple[str, ...] | None = None
    low: int | None = None
    high: int | None = None
    spec: dict[str, F] | None = None  # for table / tables


def _text(**kw: Any) -> F:
    return F("text", **kw)


KEY = F("str")
SOURCE = F("str", choices=tuple(sorted(SOURCES)))

TYPICAL_DAY = {"time": F("str"), "activity": F("str")}
AREA = {"key": KEY, "title": F("str"), "text": _text()}
ROADMAP = {
    "key": KEY,
    "title": F("str"),
    "summary": _text(),
    "plan_months": F("int", low=3, high=24),
    "difficulty": F("str"),
    "entry_barrier": F("str"),
    "coding": F("str", required=False),
    "description": _text(required=False),
    "fit": F("strs"),
    "not_fit": F("strs"),
    "role_is": F("strs"),
    "role_is_not": F("strs"),
    "typical_day": F("tables", spec=TYPICAL_DAY),
    "areas": F("tables", required=False, spec=AREA),
    "source": SOURCE,
}
GOAL = {"key": KEY, "title": F("str")}
RESOURCE = {
    "key": KEY,
    "title": F("str"),
    "kind": F("str", choices=tuple(m.Resource.Kind.values)),
    "url": F("str", required=False),
}
MILESTONE = {"key": KEY, "text": F("str"), "evidence_hint": _text(required=False)}
PHASE = {
    "key": KEY,
    "order": F("int", low=1, high=99),
    "title": F("str"),
    "weeks": F("int", low=1, high=52),
    "summary": _text(required=False),
    "goals": F("tables", spec=GOAL),
    "resources": F("tables", spec=RESOURCE),
    "milestone": F("table", spec=MILESTONE),
}
PHASES = {"phases": F("tables", spec=PHASE)}
DIMENSION = {
    "key": KEY,
    "order": F("int", low=1, high=99),
    "name": F("str"),
    "summary": _text(required=False),
    "descriptors": F("dict"),
}
ITEM = {"key": KEY, "text": _text()}
TITLED_ITEM = {"key": KEY, "title": F("str", required=False), "name": F("str", required=False),
               "text": _text()}  # fmt: skip
RUBRIC = {
    "key": KEY,
    "title": F("str"),
    "strong_min_score": F("int", low=1, high=5),
    "strong_min_dimensions": F("int", low=1, high=20),
    "strong_label": F("str"),
    "weak_label": F("str"),
    "source": SOURCE,
    "dimensions": F("tables", spec=DIMENSION),
    "screen_checks": F("tables", spec=ITEM),
    "red_flags": F("tables", spec=ITEM),
    "listen_for": F("tables", spec=TITLED_ITEM),
    "strong_markers": F("tables", spec=TITLED_ITEM),
}
RUBRIC_ITEM_KINDS = {
    "screen_checks": m.RubricItem.Kind.SCREEN_CHECK,
    "red_flags": m.RubricItem.Kind.RED_FLAG,
    "listen_for": m.RubricItem.Kind.LISTEN_FOR,
    "strong_markers": m.RubricItem.Kind.STRONG_MARKER,
}
DOMAIN = {"key": KEY, "title": F("str"), "summary": _text(required=False)}
SKILL = {
    "key": KEY,
    "name": F("str"),
    "tier": F("str", required=False, choices=("", *m.Skill.Tier.values)),
    "domain": F("str", required=False),
    "description": _text(),
    "phases": F("strs"),
    "dimension": F("str"),
    "source": SOURCE,
}
SKILLS = {"domains": F("tables", spec=DOMAIN), "skills": F("tables", spec=SKILL)}
MONEY = {
    "salary_min": F("int", low=0),
    "salary_max": F("int", low=0),
    "currency": F("str"),
    "period": F("str", choices=tuple(m.CareerLevel.Period.values)),
    "source": SOURCE,
}
LEVEL = {
    "key": KEY,
    "order": F("int", low=1, high=99),
    "title": F("str"),
    "years": F("str"),
    "responsibilities": F("strs"),
    **MONEY,
}
BAND = {"key": KEY, "region": F("str"), "seniority": F("str"), "basis": F("str", required=False),
        **MONEY}  # fmt: skip
CAREER = {"levels": F("tables", spec=LEVEL), "salary_bands": F("tables", spec=BAND)}
BACKGROUND = {
    "key": KEY,
    "name": F("str"),
    "ramp_up_min_months": F("int", low=1, high=24),
    "ramp_up_max_months": F("int", low=1, high=24),
    "summary": _text(),
    "gap": _text(required=False),
    "fast_track_phases": F("strs", required=False),
    "credit_goals": F("strs", required=False),
    "source": SOURCE,
}
BACKGROUNDS = {"backgrounds": F("tables", spec=BACKGROUND)}
QUESTION = {
    "key": KEY,
    "text": _text(),
    "level": F("str", choices=tuple(m.Question.Level.values)),
    "kind": F("str", choices=tuple(m.Question.Kind.values)),
    "phase": F("str"),
    "skills": F("strs"),
    "dimension": F("str"),
    "key_points": F("strs", low=3, high=6),
    "model_answer": _text(),
    "source": SOURCE,
}
QUESTIONS = {"questions": F("tables", spec=QUESTION)}


@dataclass
class Checker:
    """Collects every problem found while reading one roadmap folder."""

    prefix: str = ""
    problems: list[str] = field(default_factory=list)

    def add(self, file: str, key: str, message: str) -> None:
        self.problems.append(f"{self.prefix}{file}: {key}: {message}")

    def table(self, file: str, data: Any, spec: dict[str, F], where: str) -> dict | None:
        """Check one TOML table against `spec`; return it, or None if unusable."""
        if not isinstance(data, dict):
            self.add(file, where, "expected a table")
            return None
        key = data.get("key")
        label = key if isinstance(key, str) and key else where
        for name in data.keys() - spec.keys():
            self.add(file, label, f"unknown field '{name}'")
        clean: dict[str, Any] = {}
        for name, f in spec.items():
            if name not in data:
                if f.required:
                    self.add(file, label, f"missing field '{name}'")
                clean[name] = _empty(f)
                continue
            clean[name] = self.value(file, label, name, data[name], f)
        if spec.get("key") is KEY and isinstance(key, str) and not SLUG.match(key):
            self.add(file, label, f"key '{key}' is not a slug (a-z, 0-9, single hyphens)")
        return clean

    def value(self, file: str, label: str, name: str, value: Any, f: F) -> Any:
        bad = f"field '{name}'"
        if f.kind in {"str", "text"}:
            if not isinstance(value, str):
                self.add(file, label, f"{bad} must be a string")
                return ""
            if f.required and not value.strip():
                self.add(file, label, f"{bad} must not be empty")
            if f.choices is not None and value not in f.choices:
                allowed = ", ".join(c for c in f.choices if c) or "nothing"
                self.add(file, label, f"{bad} is '{value}', expected one of: {allowed}")
            return value.strip() if f.kind == "str" else value
        if f.kind == "int":
            if isinstance(value, bool) or not isinstance(value, int):
                self.add(file, label, f"{bad} must be a whole number")
                return 0
            if (f.low is not None and value < f.low) or (f.high is not None and value > f.high):
                self.add(file, label, f"{bad} is {value}, out of range {f.low}..{f.high or '∞'}")
            return value
        if f.kind == "strs":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                self.add(file, label, f"{bad} must be a list of strings")
                return []
            if f.required and not value:
                self.add(file, label, f"{bad} must not be empty")
            if f.low is not None and not f.low <= len(value) <= (f.high or len(value)):
                self.add(file, label, f"{bad} has {len(value)} items, expected {f.low} to {f.high}")
            return [v.strip() for v in value]
        if f.kind == "dict":
            if not isinstance(value, dict):
                self.add(file, label, f"{bad} must be a table")
                return {}
            return value
        if f.kind == "table":
            return self.table(file, value, f.spec or {}, f"{label}.{name}")
        if f.kind == "tables":
            if not isinstance(value, list):
                self.add(file, label, f"{bad} must be an array of tables ([[{name}]])")
                return []
            rows = [self.table(file, v, f.spec or {}, f"{name}[{i}]") for i, v in enumerate(value)]
            rows = [r for r in rows if r is not None]
            self.unique(file, rows, name)
            return rows
        raise AssertionError(f.kind)

    def unique(self, file: str, rows: list[dict], what: str) -> None:
        counts = Counter(r.get("key") for r in rows if r.get("key"))
        for key, n in counts.items():
            if n > 1:
                self.add(file, key, f"duplicate key in {what} ({n} times)")


def _empty(f: F) -> Any:
    return {"str": "", "text": "", "int": 0, "strs": [], "dict": {}, "table": None,
            "tables": []}[f.kind]  # fmt: skip


@dataclass
class Bundle:
    """A roadmap folder, read and fully checked: plain data, nothing written yet."""

    roadmap: dict
    phases: list[dict]
    rubric: dict
    skills: dict
    career: dict
    backgrounds: list[dict]
    questions: list[dict]  # each with "_file"


def _read_toml(checker: Checker, path: Path, name: str) -> dict | None:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        checker.add(name, "-", "file is missing")
    except tomllib.TOMLDecodeError as exc:
        checker.add(name, "-", f"invalid TOML: {exc}")
    except UnicodeDecodeError:
        checker.add(name, "-", "file is not UTF-8 text")
    return None


def read_roadmap(folder: Path) -> Bundle:
    """Parse and check every file of one roadmap folder; raise SeedError on any problem."""
    checker = Checker(prefix=f"{folder.name}/")
    raw = {name: _read_toml(checker, folder / name, name) for name in FILES}
    question_files = sorted((folder / "questions").glob("*.toml"))
    if not question_files:
        checker.add("questions/", "-", "no question files (questions/*.toml)")
    raw_questions = {
        f"questions/{p.name}": _read_toml(checker, p, f"questions/{p.name}") for p in question_files
    }

    def top(name: str, spec: dict[str, F]) -> dict:
        data = raw[name]
        if data is None:
            return {k: _empty(f) for k, f in spec.items()}
        return checker.table(name, data, spec, "-") or {}

    roadmap = top("roadmap.toml", ROADMAP)
    phases = top("phases.toml", PHASES)["phases"]
    rubric = top("rubric.toml", RUBRIC)
    skills = top("skills.toml", SKILLS)
    career = top("career.toml", CAREER)
    backgrounds = top("backgrounds.toml", BACKGROUNDS)["backgrounds"]
    questions: list[dict] = []
    for name, data in raw_questions.items():
        if data is not None:
            for q in (checker.table(name, data, QUESTIONS, "-") or {}).get("questions", []):
                questions.append({**q, "_file": name})
    _check_references(checker, phases, rubric, skills, career, backgrounds, questions)
    if checker.problems:
        raise SeedError(checker.problems)
    return Bundle(roadmap, phases, rubric, skills, career, backgrounds, questions)


def _check_references(checker, phases, rubric, skills, career, backgrounds, questions) -> None:
    """Cross-file rules: dangling references, ranges that span fields, duplicates."""
    phase_keys = {p["key"] for p in phases}
    goal_keys = {f"{p['key']}/{g['key']}" for p in phases for g in p["goals"]}
    dimension_keys = {d["key"] for d in rubric["dimensions"]}
    domain_keys = {d["key"] for d in skills["domains"]}
    skill_keys = {s["key"] for s in skills["skills"]}

    orders = Counter(p["order"] for p in phases)
    for p in phases:
        if orders[p["order"]] > 1:
            checker.add("phases.toml", p["key"], f"order {p['order']} is used twice")
        for r in p["resources"]:
            if r["url"] and not re.match(r"^https?://[^\s/$.?#].\S*$", r["url"]):
                checker.add("phases.toml", r["key"], f"url '{r['url']}' is not an http(s) URL")
    for d in rubric["dimensions"]:
        levels = set()
        for level, text in d["descriptors"].items():
            if not (level.isdigit() and int(level) in LEVELS):
                checker.add("rubric.toml", d["key"], f"descriptor level {level} out of range 1..5")
            elif not isinstance(text, str) or not text.strip():
                checker.add("rubric.toml", d["key"], f"descriptor {level} must be text")
            else:
                levels.add(int(level))
        for need in (1, 3, 5):
            if need not in levels:
                checker.add("rubric.toml", d["key"], f"missing descriptor for level {need}")
    if rubric["strong_min_dimensions"] > len(rubric["dimensions"]):
        checker.add("rubric.toml", rubric["key"] or "-",
                    "strong_min_dimensions exceeds the number of dimensions")  # fmt: skip
    for s in skills["skills"]:
        if s["domain"] and s["domain"] not in domain_keys:
            checker.add("skills.toml", s["key"], f"unknown domain '{s['domain']}'")
        if not s["tier"] and not s["domain"]:
            checker.add("skills.toml", s["key"], "a skill needs a tier or a domain")
        for ref in s["phases"]:
            if ref not in phase_keys:
                checker.add("skills.toml", s["key"], f"unknown phase '{ref}'")
        if s["dimension"] not in dimension_keys:
            checker.add("skills.toml", s["key"], f"unknown dimension '{s['dimension']}'")
    for row in (*career["levels"], *career["salary_bands"]):
        if row["salary_max"] and row["salary_max"] < row["salary_min"]:
            checker.add("career.toml", row["key"], "salary_max is below salary_min")
    for b in backgrounds:
        if b["ramp_up_max_months"] < b["ramp_up_min_months"]:
            checker.add("backgrounds.toml", b["key"],
                        "ramp_up_max_months is below ramp_up_min_months")  # fmt: skip
        for ref in b["fast_track_phases"]:
            if ref not in phase_keys:
                checker.add("backgrounds.toml", b["key"], f"unknown phase '{ref}'")
        for ref in b["credit_goals"]:
            if ref not in goal_keys:
                checker.add("backgrounds.toml", b["key"], f"unknown goal '{ref}' (phase/goal)")
    seen: dict[str, str] = {}
    for q in questions:
        if q["key"] in seen:
            checker.add(q["_file"], q["key"], f"duplicate key (also in {seen[q['key']]})")
        seen.setdefault(q["key"], q["_file"])
        if q["phase"] not in phase_keys:
            checker.add(q["_file"], q["key"], f"unknown phase '{q['phase']}'")
        if q["dimension"] not in dimension_keys:
            checker.add(q["_file"], q["key"], f"unknown dimension '{q['dimension']}'")
        for ref in q["skills"]:
            if ref not in skill_keys:
                checker.add(q["_file"], q["key"], f"unknown skill '{ref}'")


# --- writing -------------------------------------------------------------------------


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    retired: int = 0
    unchanged: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.retired)


class Writer:
    """Upserts rows by key and remembers which rows the files still hold."""

    def __init__(self) -> None:
        self.counts: dict[str, Counts] = {}
        self.seen: dict[type[models.Model], set[int]] = {}

    def upsert(
        self,
        model: type[models.Model],
        lookup: dict[str, Any],
        values: dict[str, Any],
        m2m: dict[str, list[models.Model]] | None = None,
    ) -> models.Model:
        counts = self.counts.setdefault(model._meta.verbose_name_plural, Counts())
        values = {**values, "is_active": True}
        obj = model._default_manager.filter(**lookup).first()
        if obj is None:
            obj = model._default_manager.create(**lookup, **values)
            changed, created = True, True
        else:
            created = False
            diff = {k: v for k, v in values.items() if _current(obj, k, v) != _plain(v)}
            for name, value in diff.items():
                setattr(obj, name, value)
            if diff:
                obj.save(update_fields=list(diff))
            changed = bool(diff)
        for name, targets in (m2m or {}).items():
            manager = getattr(obj, name)
            wanted = {t.pk for t in targets}
            if created or set(manager.values_list("pk", flat=True)) != wanted:
                manager.set(targets)
                changed = True
        if created:
            counts.created += 1
        elif changed:
            counts.updated += 1
        else:
            counts.unchanged += 1
        self.seen.setdefault(model, set()).add(obj.pk)
        return obj

    def retire(self, model: type[models.Model], queryset: models.QuerySet) -> None:
        """Mark rows of `queryset` the files no longer hold as retired; never delete."""
        counts = self.counts.setdefault(model._meta.verbose_name_plural, Counts())
        gone = queryset.filter(is_active=True).exclude(pk__in=self.seen.get(model, set()))
        counts.retired += gone.update(is_active=False)


def _plain(value: Any) -> Any:
    return value.pk if isinstance(value, models.Model) else value


def _current(obj: models.Model, name: str, value: Any) -> Any:
    """The stored value, reading a foreign key's id rather than fetching its row."""
    field = obj._meta.get_field(name)
    return getattr(obj, field.attname if field.is_relation else name)


@transaction.atomic
def load_roadmap(bundle: Bundle) -> dict[str, Counts]:
    """Write a checked bundle: upsert by key, retire what left the files."""
    w = Writer()
    r = bundle.roadmap
    roadmap = w.upsert(
        m.Roadmap,
        {"key": r["key"]},
        {
            "title": r["title"],
            "summary": r["summary"],
            "description": r["description"],
            "plan_months": r["plan_months"],
            "difficulty": r["difficulty"],
            "entry_barrier": r["entry_barrier"],
            "coding": r["coding"],
            "fit": r["fit"],
            "not_fit": r["not_fit"],
            "role_is": r["role_is"],
            "role_is_not": r["role_is_not"],
            "typical_day": r["typical_day"],
            "areas": r["areas"],
            "source": r["source"],
        },
    )
    phases: dict[str, m.Phase] = {}
    goals: dict[str, m.Goal] = {}
    for p in bundle.phases:
        phase = phases[p["key"]] = w.upsert(
            m.Phase,
            {"roadmap": roadmap, "key": p["key"]},
            {
                "order": p["order"],
                "title": p["title"],
                "weeks": p["weeks"],
                "summary": p["summary"],
            },
        )
        for i, g in enumerate(p["goals"], 1):
            goals[f"{p['key']}/{g['key']}"] = w.upsert(
                m.Goal, {"phase": phase, "key": g["key"]}, {"order": i, "title": g["title"]}
            )
        for i, res in enumerate(p["resources"], 1):
            w.upsert(
                m.Resource,
                {"phase": phase, "key": res["key"]},
                {"order": i, "title": res["title"], "kind": res["kind"], "url": res["url"]},
            )
        ms = p["milestone"]
        w.upsert(
            m.Milestone,
            {"phase": phase, "key": ms["key"]},
            {"text": ms["text"], "evidence_hint": ms["evidence_hint"]},
        )

    rb = bundle.rubric
    rubric = w.upsert(
        m.Rubric,
        {"roadmap": roadmap, "key": rb["key"]},
        {
            name: rb[name]
            for name in (
                "title",
                "strong_min_score",
                "strong_min_dimensions",
                "strong_label",
                "weak_label",
                "source",
            )
        },  # fmt: skip
    )
    dimensions: dict[str, m.Dimension] = {}
    for d in rb["dimensions"]:
        dimensions[d["key"]] = w.upsert(
            m.Dimension,
            {"rubric": rubric, "key": d["key"]},
            {
                "order": d["order"],
                "name": d["name"],
                "summary": d["summary"],
                "descriptors": {str(k): v for k, v in sorted(d["descriptors"].items())},
            },
        )
    for field_name, kind in RUBRIC_ITEM_KINDS.items():
        for i, item in enumerate(rb[field_name], 1):
            w.upsert(
                m.RubricItem,
                {"rubric": rubric, "kind": kind, "key": item["key"]},
                {
                    "order": i,
                    "title": item.get("title") or item.get("name") or "",
                    "text": item["text"],
                },
            )

    domains: dict[str, m.SkillDomain] = {}
    for i, d in enumerate(bundle.skills["domains"], 1):
        domains[d["key"]] = w.upsert(
            m.SkillDomain,
            {"roadmap": roadmap, "key": d["key"]},
            {"order": i, "title": d["title"], "summary": d["summary"]},
        )
    skills: dict[str, m.Skill] = {}
    for i, s in enumerate(bundle.skills["skills"], 1):
        skills[s["key"]] = w.upsert(
            m.Skill,
            {"roadmap": roadmap, "key": s["key"]},
            {
                "order": i,
                "name": s["name"],
                "tier": s["tier"],
                "domain": domains.get(s["domain"]),
                "description": s["description"],
                "dimension": dimensions[s["dimension"]],
                "source": s["source"],
            },
            {"phases": [phases[k] for k in s["phases"]]},
        )

    for i, q in enumerate(bundle.questions, 1):
        w.upsert(
            m.Question,
            {"roadmap": roadmap, "key": q["key"]},
            {
                "order": i,
                "text": q["text"],
                "level": q["level"],
                "kind": q["kind"],
                "phase": phases[q["phase"]],
                "dimension": dimensions[q["dimension"]],
                "key_points": q["key_points"],
                "model_answer": q["model_answer"],
                "source": q["source"],
            },
            {"skills": [skills[k] for k in q["skills"]]},
        )

    money = ("salary_min", "salary_max", "currency", "period", "source")
    for lv in bundle.career["levels"]:
        w.upsert(
            m.CareerLevel,
            {"roadmap": roadmap, "key": lv["key"]},
            {name: lv[name] for name in ("order", "title", "years", "responsibilities", *money)},
        )
    for i, band in enumerate(bundle.career["salary_bands"], 1):
        w.upsert(
            m.SalaryBand,
            {"roadmap": roadmap, "key": band["key"]},
            {"order": i, **{name: band[name] for name in ("region", "seniority", "basis", *money)}},
        )
    for i, b in enumerate(bundle.backgrounds, 1):
        w.upsert(
            m.Background,
            {"roadmap": roadmap, "key": b["key"]},
            {
                "order": i,
                **{
                    name: b[name]
                    for name in (
                        "name",
                        "ramp_up_min_months",
                        "ramp_up_max_months",
                        "summary",
                        "gap",
                        "source",
                    )
                },  # fmt: skip
            },
            {
                "fast_track_phases": [phases[k] for k in b["fast_track_phases"]],
                "credit_goals": [goals[k] for k in b["credit_goals"]],
            },
        )

    w.retire(m.Phase, m.Phase.objects.filter(roadmap=roadmap))
    for model in (m.Goal, m.Resource, m.Milestone):
        w.retire(model, model.objects.filter(phase__roadmap=roadmap))
    w.retire(m.Rubric, m.Rubric.objects.filter(roadmap=roadmap))
    for model in (m.Dimension, m.RubricItem):
        w.retire(model, model.objects.filter(rubric__roadmap=roadmap))
    for model in (m.SkillDomain, m.Skill, m.Question, m.CareerLevel, m.SalaryBand, m.Background):
        w.retire(model, model.objects.filter(roadmap=roadmap))
    # Retiring uses QuerySet.update(), which sends no signals: invalidate by hand.
    content.bump()
    transaction.on_commit(content.bump)
    return w.counts


def roadmap_folders(path: Path) -> list[Path]:
    """`path` is one roadmap folder (holding roadmap.toml) or a folder of them."""
    if (path / "roadmap.toml").exists():
        return [path]
    return sorted(p for p in path.iterdir() if p.is_dir() and (p / "roadmap.toml").exists())
