"""The sources' pay bands and premiums as jobs.offers values, read from the content:

- seed 000: the APAC monthly ranges (SalaryBand, source 000), compared with base salary;
- seed 001: the US ranges by seniority (SalaryBand, source 001: base + equity) and the
  ranges by company type (PayRange; big tech counts total compensation);
- seed 002: the career ladder (CareerLevel), compared with base salary;
- seed 003: the European table (SalaryBand, source 003: total pay, signing bonuses
  excluded) and its premiums (MarketFact kind "premium" with a percentage range).
"""

from __future__ import annotations

import re

from django.core.cache import cache

from roadmap import content
from roadmap.models import CareerLevel, PayRange, SalaryBand

from .models import Level
from .offers import BASE, BASE_EQUITY, TOTAL, Band, Premium, parse_premium

# The premiums a learner's own experience earns (seed 003's salary insight); the other
# "premium" facts describe the market (salaries since 2024) or a tier without a range.
PERSONAL_PREMIUMS = ("gpu-scale-premium", "cuda-kernel-premium", "ai-labs-hyperscalers")
# A band's key ends with its seniority ("sg-senior", "us-staff-principal").
BAND_SUFFIX = {
    Level.JUNIOR: "-junior",
    Level.MID: "-mid",
    Level.SENIOR: "-senior",
    Level.STAFF: "-staff-principal",
    Level.HEAD: "-head",
}
# The ladder's levels (seed 002) for each of ours.
LADDER = {
    Level.JUNIOR: {"junior"},
    Level.MID: {"mid"},
    Level.SENIOR: {"senior"},
    Level.STAFF: {"staff", "principal"},
    Level.HEAD: {"principal"},
}


def measure_of(basis: str, source: str) -> str:
    """Which part of an offer a band counts, from its source's own words."""
    text = basis.lower()
    if "total compensation" in text or source.startswith("003"):
        return TOTAL
    if re.search(r"base \+ (?:\w+ )?equity", text):  # "Base + equity", "Base + significant equity"
        return BASE_EQUITY
    return BASE


def _money(row: SalaryBand | CareerLevel | PayRange) -> dict:
    """What every band row has: its range, currency, period and source."""
    return {
        "low": row.salary_min,
        "high": row.salary_max,
        "open_ended": row.open_ended,
        "currency": row.currency,
        "period": row.period,
        "source": row.source,
    }


def _salary_band(row: SalaryBand) -> Band:
    levels = frozenset(level for level, suffix in BAND_SUFFIX.items() if row.key.endswith(suffix))
    return Band(
        key=row.key,
        label=f"{row.region} · {row.seniority}",
        basis=row.basis,
        measure=measure_of(row.basis, row.source),
        levels=levels,
        region=row.region,
        **_money(row),
    )


def _ladder_band(row: CareerLevel) -> Band:
    return Band(
        key=f"ladder-{row.key}",
        label=f"Career ladder · {row.title} ({row.years} years)",
        basis="The roadmap's career ladder",
        measure=BASE,
        levels=frozenset(level for level, keys in LADDER.items() if row.key in keys),
        **_money(row),
    )


def _company_band(row: PayRange) -> Band:
    return Band(
        key=f"company-{row.key}",
        label=f"Company type · {row.title}",
        basis=row.basis,
        measure=measure_of(row.basis, row.source),
        company_type=row.key,
        **_money(row),
    )


def all_bands() -> dict:
    """{"bands": [...], "premiums": [...], "regions": [...], "company_types": [(key, title)]},
    built once per content version (three queries, then none)."""
    key = f"jobs:bands:{content.version()}"
    found = cache.get(key)
    if found is None:
        market = content.market()
        bands = [_salary_band(row) for row in SalaryBand.objects.current()]
        bands += [_ladder_band(row) for row in CareerLevel.objects.current()]
        bands += [_company_band(row) for row in market["company_pay"] if row.has_range]
        premiums = []
        for fact in market["facts"]["premium"]:
            found_range = parse_premium(fact.figure)
            if found_range and fact.key in PERSONAL_PREMIUMS:
                premiums.append(Premium(fact.key, fact.title, *found_range, fact.source))
        regions = sorted({b.region for b in bands if b.region})
        found = {
            "bands": bands,
            "premiums": premiums,
            "regions": regions,
            "company_types": [(row.key, row.title) for row in market["company_pay"]],
        }
        cache.set(key, found, None)
    return found
