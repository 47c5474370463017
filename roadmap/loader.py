"""Read, validate and load a roadmap from its `seeds/<roadmap>/` folder.

Two steps, kept apart so a bad file never half-writes the database:

1. `read_roadmap(path)` parses every TOML file and checks it completely —
   syntax, unknown and missing fields, types, ranges, duplicate keys and
   references between files — and raises `SeedError` listing every problem as
   `file: key: problem`.
2. `load_roadmap(bundle)` upserts the rows by key in one transaction, retires
   (never deletes) rows whose key left the files, and returns the counts.

The schema is documented in `seeds/README.md` and written as pydantic models in
`roadmap.seed_schema`; this module keeps the rules across files and the writing (over
400 lines: the two halves share the Bundle and are read together when a field is added).
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import models, transaction
from pydantic import BaseModel, ValidationError

from . import content
from . import models as m
from . import seed_schema as schema
from .lab_loader import load_labs, read_labs

LEVELS = range(1, 6)
# Each file and the model it is read through (questions/*.toml: QuestionsFile).
FILES = {
    "roadmap.toml": schema.RoadmapFile,
    "phases.toml": schema.PhasesFile,
    "rubric.toml": schema.RubricFile,
    "skills.toml": schema.SkillsFile,
    "career.toml": schema.CareerFile,
    "backgrounds.toml": schema.BackgroundsFile,
    "roles.toml": schema.RolesFile,
    "market.toml": schema.MarketFile,
    "hiring.toml": schema.HiringFile,
}
# The files whose [[facts]] share one key space (MarketFact rows).
FACT_FILES = ("roles.toml", "market.toml", "hiring.toml")


class SeedError(Exception):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass
class Checker:
    """Collects every problem found while reading one roadmap folder."""

    prefix: str = ""
    problems: list[str] = field(default_factory=list)

    def add(self, file: str, key: str, message: str) -> None:
        self.problems.append(f"{self.prefix}{file}: {key}: {message}")

    def parse(self, file: str, data: Any, model: type[BaseModel]) -> dict | None:
        """`data` checked against `model`, as plain data; None (problems noted) if not."""
        try:
            return model.model_validate(data).model_dump()
        except ValidationError as error:
            for key, problem in schema.problems(data, error):
                self.add(file, key, problem)
            return None

    def unique(self, file: str, rows: Any, what: str) -> None:
        """Duplicate keys in one array of tables (read from the file as written, so they
        are reported even when the file has other problems)."""
        counts = Counter(_keys(rows))
        for key, n in counts.items():
            if n > 1:
                self.add(file, key, f"duplicate key in {what} ({n} times)")


def _keys(rows: Any) -> list[str]:
    """The keys of an array of tables as written, skipping whatever is not one."""
    if not isinstance(rows, list):
        return []
    return [r["key"] for r in rows if isinstance(r, dict) and isinstance(r.get("key"), str)]


def _rows(table: Any, name: str) -> Any:
    return table.get(name) if isinstance(table, dict) else None


def _valid(model: type[BaseModel], rows: Any) -> list[dict]:
    """The rows of an array of tables that pass `model`, as plain data (the others are
    reported by the file's own check)."""
    valid = []
    for row in rows if isinstance(rows, list) else []:
        try:
            valid.append(model.model_validate(row).model_dump())
        except ValidationError:
            continue
    return valid


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
    roles: dict
    market: dict
    hiring: dict
    labs: list[dict] = field(default_factory=list)  # labs/*.toml: debugging-lab scenarios


RUBRIC_ITEM_KINDS = {
    "screen_checks": m.RubricItem.Kind.SCREEN_CHECK,
    "red_flags": m.RubricItem.Kind.RED_FLAG,
    "listen_for": m.RubricItem.Kind.LISTEN_FOR,
    "strong_markers": m.RubricItem.Kind.STRONG_MARKER,
}


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
    parsed = {
        name: checker.parse(name, data, FILES[name]) if data is not None else None
        for name, data in raw.items()
    }
    questions: list[dict] = []
    for name, data in raw_questions.items():
        if data is not None:
            checker.parse(name, data, schema.QuestionsFile)
            rows = _valid(schema.QuestionSeed, _rows(data, "questions"))
            questions.extend({**q, "_file": name} for q in rows)
    for name, data in {**raw, **raw_questions}.items():
        _check_duplicates(checker, name, data)
    _check_references(checker, raw, parsed, questions)
    labs = read_labs(checker, folder, _read_toml)
    if checker.problems:
        raise SeedError(checker.problems)
    return Bundle(
        roadmap=parsed["roadmap.toml"],
        phases=parsed["phases.toml"]["phases"],
        rubric=parsed["rubric.toml"],
        skills=parsed["skills.toml"],
        career=parsed["career.toml"],
        backgrounds=parsed["backgrounds.toml"]["backgrounds"],
        questions=questions,
        roles=parsed["roles.toml"],
        market=parsed["market.toml"],
        hiring=parsed["hiring.toml"],
        labs=labs,
    )


def _check_duplicates(checker: Checker, file: str, node: Any) -> None:
    """Every array of tables in `file` holds each key once."""
    if isinstance(node, dict):
        for name, value in node.items():
            if isinstance(value, list):
                checker.unique(file, value, name)
            _check_duplicates(checker, file, value)
    elif isinstance(node, list):
        for value in node:
            _check_duplicates(checker, file, value)


def _check_references(
    checker: Checker, raw: dict[str, Any], parsed: dict[str, dict | None], questions: list[dict]
) -> None:
    """Cross-file rules: dangling references, ranges that span fields, duplicates.

    The keys that may be referred to are read from the files as written, so a file with
    a problem of its own does not make every reference to it look dangling, and the
    rules run over every row that passes its own schema, so one bad row does not hide
    the problems of the others.
    """
    raw_phases = _rows(raw["phases.toml"], "phases")
    phase_keys = set(_keys(raw_phases))
    goal_keys = {
        f"{p['key']}/{goal}"
        for p in (raw_phases if isinstance(raw_phases, list) else [])
        if isinstance(p, dict) and isinstance(p.get("key"), str)
        for goal in _keys(p.get("goals"))
    }
    resource_keys = {
        f"{p['key']}/{resource}"
        for p in (raw_phases if isinstance(raw_phases, list) else [])
        if isinstance(p, dict) and isinstance(p.get("key"), str)
        for resource in _keys(p.get("resources"))
    }
    dimension_keys = set(_keys(_rows(raw["rubric.toml"], "dimensions")))
    domain_keys = set(_keys(_rows(raw["skills.toml"], "domains")))
    skill_keys = set(_keys(_rows(raw["skills.toml"], "skills")))

    phases = _valid(schema.PhaseSeed, raw_phases)
    orders = Counter(p["order"] for p in phases)
    for p in phases:
        if orders[p["order"]] > 1:
            checker.add("phases.toml", p["key"], f"order {p['order']} is used twice")
        for r in p["resources"]:
            if r["url"] and not re.match(r"^https?://[^\s/$.?#].\S*$", r["url"]):
                checker.add("phases.toml", r["key"], f"url '{r['url']}' is not an http(s) URL")
    for d in _valid(schema.DimensionSeed, _rows(raw["rubric.toml"], "dimensions")):
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
        known = {
            "goals": ("goal", goal_keys),
            "resources": ("resource", resource_keys),
            "skills": ("skill", skill_keys),
            "questions": ("question", {q["key"] for q in questions}),
            "rounds": ("hiring round", set(_round_titles(raw))),
        }
        for name, refs in (d["builds"] or {}).items():
            what, keys = known[name]
            for ref in refs:
                if ref not in keys:
                    checker.add("rubric.toml", d["key"], f"builds: unknown {what} '{ref}'")
    rubric = parsed["rubric.toml"]
    if rubric and rubric["strong_min_dimensions"] > len(rubric["dimensions"]):
        checker.add(
            "rubric.toml", rubric["key"], "strong_min_dimensions exceeds the number of dimensions"
        )
    for s in _valid(schema.SkillSeed, _rows(raw["skills.toml"], "skills")):
        if s["domain"] and s["domain"] not in domain_keys:
            checker.add("skills.toml", s["key"], f"unknown domain '{s['domain']}'")
        if not s["tier"] and not s["domain"]:
            checker.add("skills.toml", s["key"], "a skill needs a tier or a domain")
        for ref in s["phases"]:
            if ref not in phase_keys:
                checker.add("skills.toml", s["key"], f"unknown phase '{ref}'")
        if s["dimension"] not in dimension_keys:
            checker.add("skills.toml", s["key"], f"unknown dimension '{s['dimension']}'")
    career = raw["career.toml"]
    for row in (
        *_valid(schema.LevelSeed, _rows(career, "levels")),
        *_valid(schema.BandSeed, _rows(career, "salary_bands")),
    ):
        if row["salary_max"] and row["salary_max"] < row["salary_min"]:
            checker.add("career.toml", row["key"], "salary_max is below salary_min")
    for b in _valid(schema.BackgroundSeed, _rows(raw["backgrounds.toml"], "backgrounds")):
        if b["ramp_up_max_months"] < b["ramp_up_min_months"]:
            checker.add(
                "backgrounds.toml", b["key"], "ramp_up_max_months is below ramp_up_min_months"
            )
        for ref in b["fast_track_phases"]:
            if ref not in phase_keys:
                checker.add("backgrounds.toml", b["key"], f"unknown phase '{ref}'")
        for ref in b["credit_goals"]:
            if ref not in goal_keys:
                checker.add("backgrounds.toml", b["key"], f"unknown goal '{ref}' (phase/goal)")
    _check_market(checker, raw)
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


def _round_titles(raw: dict[str, Any]) -> dict[str, str]:
    """ "process/round" -> the round's title, from hiring.toml as read (for references)."""
    processes = _rows(raw.get("hiring.toml") or {}, "processes")
    return {
        f"{p.get('key')}/{r.get('key')}": r.get("title", "")
        for p in (processes if isinstance(processes, list) else [])
        if isinstance(p, dict)
        for r in (p.get("rounds") or [])
        if isinstance(r, dict)
    }


def _with_round_titles(builds: dict, hiring: dict) -> dict:
    """A dimension's `builds` with each hiring round's title beside its key, so the
    assessment page names the round without reading the hiring tables."""
    if not builds.get("rounds"):
        return builds
    titles = {
        f"{p['key']}/{r['key']}": r["title"] for p in hiring["processes"] for r in p["rounds"]
    }
    # The anchor is the round's own on /hiring/.
    rounds = [
        {"key": key, "title": titles[key], "anchor": f"round-{key.split('/', 1)[1]}"}
        for key in builds["rounds"]
    ]
    return {**builds, "rounds": rounds}


def _check_market(checker: Checker, raw: dict[str, Any]) -> None:
    """roles.toml, market.toml and hiring.toml: references, pay ranges, fact keys."""
    background_keys = set(_keys(_rows(raw["backgrounds.toml"], "backgrounds")))
    roles = _rows(raw["roles.toml"], "roles")
    role_keys = set(_keys(roles))
    targets = [r["key"] for r in _valid(schema.RoleSeed, roles) if r["is_target"]]
    if len(targets) > 1:
        checker.add("roles.toml", targets[1], "is_target is set on more than one role")
    for path in _valid(schema.PathSeed, _rows(raw["roles.toml"], "paths")):
        if path["background"] not in background_keys:
            checker.add("roles.toml", path["key"], f"unknown background '{path['background']}'")
        if path["role"] not in role_keys:
            checker.add("roles.toml", path["key"], f"unknown role '{path['role']}'")
    pay = _valid(schema.PaySeed, _rows(raw["market.toml"], "pay"))
    for row in (*_valid(schema.RoleSeed, roles), *pay):
        file = "roles.toml" if "focus" in row else "market.toml"
        if row["salary_max"] and row["salary_max"] < row["salary_min"]:
            checker.add(file, row["key"], "salary_max is below salary_min")
        if (row["salary_min"] or row["salary_max"]) and not (row["currency"] and row["period"]):
            checker.add(file, row["key"], "a pay range needs its currency and period")
        if row["open_ended"] and not row["salary_max"]:
            checker.add(file, row["key"], "open_ended needs a salary_max (0 is open-ended already)")
    seen: dict[str, str] = {}
    for file in FACT_FILES:
        for key in _keys(_rows(raw[file], "facts")):
            if key in seen and seen[key] != file:
                checker.add(file, key, f"duplicate fact key (also in {seen[key]})")
            seen.setdefault(key, file)


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
        },
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
                "builds": _with_round_titles(d["builds"] or {}, bundle.hiring),
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

    money = ("salary_min", "salary_max", "open_ended", "currency", "period", "source")
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
    backgrounds: dict[str, m.Background] = {}
    for i, b in enumerate(bundle.backgrounds, 1):
        backgrounds[b["key"]] = w.upsert(
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
                        "ramp_up_estimated",
                        "summary",
                        "gap",
                        "source",
                    )
                },
            },
            {
                "fast_track_phases": [phases[k] for k in b["fast_track_phases"]],
                "credit_goals": [goals[k] for k in b["credit_goals"]],
            },
        )

    _load_market(w, roadmap, bundle, backgrounds, money)
    load_labs(w, roadmap, bundle.labs)

    w.retire(m.Phase, m.Phase.objects.filter(roadmap=roadmap))
    for model in (m.Goal, m.Resource, m.Milestone):
        w.retire(model, model.objects.filter(phase__roadmap=roadmap))
    w.retire(m.Rubric, m.Rubric.objects.filter(roadmap=roadmap))
    for model in (m.Dimension, m.RubricItem):
        w.retire(model, model.objects.filter(rubric__roadmap=roadmap))
    for model in (
        m.SkillDomain,
        m.Skill,
        m.Question,
        m.CareerLevel,
        m.SalaryBand,
        m.Background,
        m.Role,
        m.RolePath,
        m.PayRange,
        m.MarketFact,
        m.TechCategory,
        m.HiringProcess,
    ):
        w.retire(model, model.objects.filter(roadmap=roadmap))
    w.retire(m.HiringRound, m.HiringRound.objects.filter(process__roadmap=roadmap))
    # Retiring uses QuerySet.update(), which sends no signals: invalidate by hand.
    content.bump()
    transaction.on_commit(content.bump)
    return w.counts


def _pick(row: dict, *names: str) -> dict[str, Any]:
    return {name: row[name] for name in names}


def _load_market(
    w: Writer,
    roadmap: m.Roadmap,
    bundle: Bundle,
    backgrounds: dict[str, m.Background],
    money: tuple[str, ...],
) -> None:
    """The roles, pay, market facts, landscape and hiring process."""
    roles: dict[str, m.Role] = {}
    for r in bundle.roles["roles"]:
        roles[r["key"]] = w.upsert(
            m.Role,
            {"roadmap": roadmap, "key": r["key"]},
            _pick(r, "order", "title", "is_target", "focus", "builds", "tools", "question", *money),
        )
    for i, p in enumerate(bundle.roles["paths"], 1):
        w.upsert(
            m.RolePath,
            {"roadmap": roadmap, "key": p["key"]},
            {
                "order": i,
                "background": backgrounds[p["background"]],
                "role": roles[p["role"]],
                **{name: p[name] for name in ("directness", "text", "source")},
            },
        )
    for i, pay in enumerate(bundle.market["pay"], 1):
        w.upsert(
            m.PayRange,
            {"roadmap": roadmap, "key": pay["key"]},
            {"order": i, **_pick(pay, "kind", "title", "basis", "text", *money)},
        )
    facts = [
        *bundle.roles["facts"],
        *bundle.market["facts"],
        *bundle.hiring["facts"],
    ]
    for i, f in enumerate(facts, 1):
        w.upsert(
            m.MarketFact,
            {"roadmap": roadmap, "key": f["key"]},
            {"order": i, **_pick(f, "kind", "title", "figure", "text", "source")},
        )
    for i, c in enumerate(bundle.market["landscape"], 1):
        w.upsert(
            m.TechCategory,
            {"roadmap": roadmap, "key": c["key"]},
            {"order": i, **{name: c[name] for name in ("title", "leaders", "rising", "source")}},
        )
    for p in bundle.hiring["processes"]:
        process = w.upsert(
            m.HiringProcess,
            {"roadmap": roadmap, "key": p["key"]},
            {name: p[name] for name in ("order", "title", "summary", "source")},
        )
        for i, rnd in enumerate(p["rounds"], 1):
            w.upsert(
                m.HiringRound,
                {"process": process, "key": rnd["key"]},
                {
                    "order": i,
                    **{
                        name: rnd[name]
                        for name in ("title", "length", "summary", "asks", "looks_for", "source")
                    },
                },
            )


def roadmap_folders(path: Path) -> list[Path]:
    """`path` is one roadmap folder (holding roadmap.toml) or a folder of them."""
    if (path / "roadmap.toml").exists():
        return [path]
    return sorted(p for p in path.iterdir() if p.is_dir() and (p / "roadmap.toml").exists())
