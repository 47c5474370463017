"""The shape of the seeds files (seeds/README.md), as pydantic models.

Longer than 400 lines on purpose: one model per TOML table, next to each other as the
README lists them, so an editor's question "what may this field hold" has one answer.

One model per TOML table. The loader validates each file through its model and turns
every error into the line a content editor reads, `file: key: problem`, where *key*
is the key of the table the problem sits in (or where the table is, when it has no
usable key). The wording is the loader's own, not pydantic's: an editor fixes TOML,
not Python types.

Only one file's own shape lives here; rules across files (references, duplicates,
orders) stay in roadmap.loader.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationInfo
from pydantic import ValidationError as PydanticValidationError
from pydantic_core import PydanticCustomError

from . import models as m

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
SOURCES = (
    "000_99e8c9792f2a57c3.txt",
    "001_1be50ca8a5595062.txt",
    "002_4a968ebb1ec470e9.txt",
    "003_7d824a585aae8002.txt",
    "004_e82bfe26fec94269.txt",
    "rampup",
)

# A field's problem is put as "field 'name' <message>"; a plain one as it is.
FIELD, PLAIN = "seed_field", "seed_plain"


def _field_error(message: str, **ctx: Any) -> PydanticCustomError:
    return PydanticCustomError(FIELD, message, ctx)


# --- field types ----------------------------------------------------------------------


def _is_str(value: Any) -> Any:
    if not isinstance(value, str):
        raise _field_error("must be a string")
    return value


def _not_blank(value: str) -> str:
    if not value.strip():
        raise _field_error("must not be empty")
    return value


def _one_of(choices: tuple[str, ...]) -> AfterValidator:
    allowed = ", ".join(c for c in choices if c) or "nothing"

    def check(value: str) -> str:
        if value not in choices:
            raise _field_error(
                "is '{value}', expected one of: {allowed}", value=value, allowed=allowed
            )
        return value

    return AfterValidator(check)


def Str(*, required: bool = True, choices: tuple[str, ...] | None = None) -> Any:  # noqa: N802
    """One line of text, trimmed."""
    checks = [BeforeValidator(_is_str)]
    if required:
        checks.append(AfterValidator(_not_blank))
    if choices is not None:
        checks.append(_one_of(choices))
    checks.append(AfterValidator(str.strip))
    return Annotated[str, *checks] if required else Annotated[str, *checks, Field(default="")]


def Text(*, required: bool = True) -> Any:  # noqa: N802
    """Markdown: kept as written."""
    if required:
        return Annotated[str, BeforeValidator(_is_str), AfterValidator(_not_blank)]
    return Annotated[str, BeforeValidator(_is_str), Field(default="")]


def Int(low: int, high: int | None = None) -> Any:  # noqa: N802
    def check(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise _field_error("must be a whole number")
        if value < low or (high is not None and value > high):
            raise _field_error(
                "is {value}, out of range {low}..{high}",
                value=value,
                low=low,
                high=high if high is not None else "∞",
            )
        return value

    return Annotated[int, BeforeValidator(check)]


def Strs(*, required: bool = True, low: int | None = None, high: int | None = None) -> Any:  # noqa: N802
    """A list of one-line strings, each trimmed."""

    def check(value: Any) -> list[str]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise _field_error("must be a list of strings")
        if required and not value:
            raise _field_error("must not be empty")
        if low is not None and not low <= len(value) <= (high or len(value)):
            raise _field_error(
                "has {n} items, expected {low} to {high}", n=len(value), low=low, high=high
            )
        return [v.strip() for v in value]

    kind = Annotated[list[str], BeforeValidator(check)]
    return kind if required else Annotated[kind, Field(default_factory=list)]


def _is_bool(value: Any) -> Any:
    if not isinstance(value, bool):
        raise _field_error("must be true or false")
    return value


Bool = Annotated[bool, BeforeValidator(_is_bool), Field(default=False)]


def _is_table(value: Any) -> Any:
    if not isinstance(value, dict):
        raise _field_error("must be a table")
    return value


def _is_tables(value: Any, info: ValidationInfo) -> Any:
    if not isinstance(value, list):
        raise _field_error("must be an array of tables ([[{name}]])", name=info.field_name)
    return value


def _slug(value: str) -> str:
    if not SLUG.match(value):
        raise PydanticCustomError(
            PLAIN, "key '{key}' is not a slug (a-z, 0-9, single hyphens)", {"key": value}
        )
    return value


Key = Annotated[str, BeforeValidator(_is_str), AfterValidator(_not_blank), AfterValidator(_slug)]
Source = Str(choices=SOURCES)
# Facts about the market and hiring are the sources' alone: no `rampup`.
Document = Str(choices=SOURCES[:-1])
Table = Annotated[dict, BeforeValidator(_is_table)]


def Tables(model: type[BaseModel], *, required: bool = True) -> Any:  # noqa: N802
    kind = Annotated[list[model], BeforeValidator(_is_tables)]
    return kind if required else Annotated[kind, Field(default_factory=list)]


# --- the tables -----------------------------------------------------------------------


class Seed(BaseModel):
    """Unknown fields are refused: a misspelt field must not pass as an absent one."""

    model_config = ConfigDict(extra="forbid")


class TypicalDay(Seed):
    time: Str()
    activity: Str()


class Area(Seed):
    key: Key
    title: Str()
    text: Text()
    source: Source


class RoadmapFile(Seed):
    key: Key
    title: Str()
    summary: Text()
    plan_months: Int(m.PLAN_MONTHS_MIN, m.PLAN_MONTHS_MAX)
    difficulty: Str()
    entry_barrier: Str()
    coding: Str(required=False)
    description: Text(required=False)
    fit: Strs()
    not_fit: Strs()
    role_is: Strs()
    role_is_not: Strs()
    typical_day: Tables(TypicalDay)
    areas: Tables(Area, required=False)
    source: Source


class GoalSeed(Seed):
    key: Key
    title: Str()


class ResourceSeed(Seed):
    key: Key
    title: Str()
    kind: Str(choices=tuple(m.Resource.Kind.values))
    url: Str(required=False)


class MilestoneSeed(Seed):
    key: Key
    text: Str()
    evidence_hint: Text(required=False)


class PhaseSeed(Seed):
    key: Key
    order: Int(1, 99)
    title: Str()
    weeks: Int(1, 52)
    summary: Text(required=False)
    goals: Tables(GoalSeed)
    resources: Tables(ResourceSeed)
    milestone: MilestoneSeed


class PhasesFile(Seed):
    phases: Tables(PhaseSeed)


class BuildsSeed(Seed):
    """What builds a dimension, as content keys (goals and resources as phase/key)."""

    goals: Strs(required=False)
    resources: Strs(required=False)
    skills: Strs(required=False)
    questions: Strs(required=False)
    rounds: Strs(required=False)  # hiring rounds to rehearse, as process/round


class DimensionSeed(Seed):
    key: Key
    order: Int(1, 99)
    name: Str()
    summary: Text(required=False)
    descriptors: Table
    builds: BuildsSeed | None = None


class ItemSeed(Seed):
    key: Key
    text: Text()


class TitledItemSeed(Seed):
    key: Key
    title: Str(required=False)
    name: Str(required=False)
    text: Text()


class RubricFile(Seed):
    key: Key
    title: Str()
    strong_min_score: Int(1, 5)
    strong_min_dimensions: Int(1, 20)
    strong_label: Str()
    weak_label: Str()
    source: Source
    dimensions: Tables(DimensionSeed)
    screen_checks: Tables(ItemSeed)
    red_flags: Tables(ItemSeed)
    listen_for: Tables(TitledItemSeed)
    strong_markers: Tables(TitledItemSeed)


class DomainSeed(Seed):
    key: Key
    title: Str()
    summary: Text(required=False)


class SkillSeed(Seed):
    key: Key
    name: Str()
    tier: Str(required=False, choices=("", *m.Skill.Tier.values))
    domain: Str(required=False)
    description: Text()
    phases: Strs()
    dimension: Str()
    source: Source


class SkillsFile(Seed):
    domains: Tables(DomainSeed)
    skills: Tables(SkillSeed)


class Money(Seed):
    salary_min: Int(0)
    salary_max: Int(0)
    open_ended: Bool  # the source writes the top as "+" ("$280,000-$400,000+")
    currency: Str()
    period: Str(choices=tuple(m.CareerLevel.Period.values))
    source: Source


class LevelSeed(Money):
    key: Key
    order: Int(1, 99)
    title: Str()
    years: Str()
    responsibilities: Strs()


class BandSeed(Money):
    key: Key
    region: Str()
    seniority: Str()
    basis: Str(required=False)


class CareerFile(Seed):
    levels: Tables(LevelSeed)
    salary_bands: Tables(BandSeed)


class BackgroundSeed(Seed):
    key: Key
    name: Str()
    ramp_up_min_months: Int(1, 24)
    ramp_up_max_months: Int(1, 24)
    ramp_up_estimated: Bool  # the source gives no timeframe: the months are ours
    summary: Text()
    gap: Text(required=False)
    fast_track_phases: Strs(required=False)
    credit_goals: Strs(required=False)
    source: Source


class BackgroundsFile(Seed):
    backgrounds: Tables(BackgroundSeed)


class QuestionSeed(Seed):
    key: Key
    text: Text()
    level: Str(choices=tuple(m.Question.Level.values))
    kind: Str(choices=tuple(m.Question.Kind.values))
    phase: Str()
    skills: Strs()
    dimension: Str()
    key_points: Strs(low=3, high=6)
    model_answer: Text()
    source: Source


class QuestionsFile(Seed):
    questions: Tables(QuestionSeed)


class RoleSeed(Money):
    key: Key
    order: Int(1, 99)
    title: Str()
    is_target: Bool
    focus: Text()
    builds: Text()
    tools: Strs()
    question: Str()
    source: Document


class PathSeed(Seed):
    key: Key
    background: Str()
    role: Str()
    directness: Str()
    text: Text()
    source: Document


class FactSeed(Seed):
    key: Key
    kind: Str(choices=tuple(m.MarketFact.Kind.values))
    title: Str()
    figure: Str(required=False)
    text: Text()
    source: Document


class RolesFile(Seed):
    roles: Tables(RoleSeed)
    paths: Tables(PathSeed)
    facts: Tables(FactSeed, required=False)


class PaySeed(Seed):
    """Like Money, but a senior path may come without a figure (both 0)."""

    key: Key
    kind: Str(choices=tuple(m.PayRange.Kind.values))
    title: Str()
    salary_min: Int(0) = 0
    salary_max: Int(0) = 0
    open_ended: Bool
    currency: Str(required=False)
    period: Str(required=False, choices=("", *m.CareerLevel.Period.values))
    basis: Str(required=False)
    text: Text()
    source: Document


class LandscapeSeed(Seed):
    key: Key
    title: Str()
    leaders: Strs()
    rising: Strs()
    source: Document


class MarketFile(Seed):
    pay: Tables(PaySeed)
    facts: Tables(FactSeed)
    landscape: Tables(LandscapeSeed)


class RoundSeed(Seed):
    key: Key
    title: Str()
    length: Str(required=False)  # as the source gives it; "" when it gives none
    summary: Text(required=False)
    asks: Strs(required=False)
    looks_for: Text()
    source: Document


class ProcessSeed(Seed):
    key: Key
    order: Int(1, 99)
    title: Str()
    summary: Text(required=False)
    source: Document
    rounds: Tables(RoundSeed)


class HiringFile(Seed):
    processes: Tables(ProcessSeed)
    facts: Tables(FactSeed)


# --- problems, as an editor reads them ------------------------------------------------


def _label(data: Any, loc: tuple[str | int, ...]) -> str:
    """The key of the innermost table holding `loc`, or where that table is."""
    label, node = "-", data
    if isinstance(data, dict) and isinstance(data.get("key"), str) and data["key"]:
        label = data["key"]
    for n, part in enumerate(loc):
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(part, int):
            label = f"{loc[n - 1]}[{part}]"
        elif isinstance(node, dict):
            label = f"{label}.{part}"
        if isinstance(node, dict) and isinstance(node.get("key"), str) and node["key"]:
            label = node["key"]
    return label


def problems(data: Any, error: PydanticValidationError) -> list[tuple[str, str]]:
    """(key, problem) for every error of one file's validation."""
    found = []
    for item in error.errors(include_url=False):
        loc, kind = item["loc"], item["type"]
        name = loc[-1] if loc else "-"
        if kind == "extra_forbidden":
            found.append((_label(data, loc[:-1]), f"unknown field '{name}'"))
        elif kind == "missing":
            found.append((_label(data, loc[:-1]), f"missing field '{name}'"))
        elif kind == FIELD:
            found.append((_label(data, loc[:-1]), f"field '{name}' {item['msg']}"))
        elif kind in {"model_type", "model_attributes_type"}:
            # Where the would-be table sits: `goals[2]`, or `<phase key>.milestone`.
            if isinstance(name, int):
                where = f"{loc[-2]}[{name}]"
            else:
                where = f"{_label(data, loc[:-1])}.{name}"
            found.append((where, "expected a table"))
        else:
            found.append((_label(data, loc[:-1]), item["msg"]))
    return found
