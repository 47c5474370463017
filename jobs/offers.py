"""The offer check: an offer placed against every matching pay band of the sources.

Pure: it takes the offer and the bands as plain values (jobs.bands reads them from the
content) and returns placements, so every case can be computed by hand in a test.

The conversions are the sources' own and are stated beside every result:
- a monthly figure is ×12 a year (seed 000 quotes monthly ranges);
- an hourly rate is the monthly salary / 160 (seed 000: "divide monthly by 160");
- no exchange rate is ever assumed: a band in another currency is *refused*, not
  guessed, unless the learner gives a rate for that currency.
Each band says which part of the offer it is compared with (its source's basis): base
salary, base + equity, or the total (base + equity + bonus).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

HOURS_A_MONTH = 160  # seed 000: "Hourly: divide monthly by 160 for approximate rate"
MONTHS_A_YEAR = 12
PERIODS = ("hour", "month", "year")

# What part of an offer a band is compared with.
BASE, BASE_EQUITY, TOTAL = "base", "base + equity", "total"


@dataclass(frozen=True)
class Offer:
    """All amounts in `currency`; base per `period`, equity and bonus per year."""

    base: Decimal
    currency: str
    period: str = "year"
    equity: Decimal = Decimal(0)
    bonus: Decimal = Decimal(0)
    level: str = ""  # jobs.models.Level
    region: str = ""  # a band's region, as the sources name it
    company_type: str = ""  # a company-type pay range's key
    # 1 unit of the offer's currency is worth `rate` units of `rate_currency`.
    rate: Decimal | None = None
    rate_currency: str = ""

    def yearly_base(self) -> Decimal:
        if self.period == "hour":
            return self.base * HOURS_A_MONTH * MONTHS_A_YEAR
        if self.period == "month":
            return self.base * MONTHS_A_YEAR
        return self.base

    def yearly(self, measure: str) -> Decimal:
        """The offer a year, as a band of this basis counts it."""
        amount = self.yearly_base()
        if measure in (BASE_EQUITY, TOTAL):
            amount += self.equity
        if measure == TOTAL:
            amount += self.bonus
        return amount


@dataclass(frozen=True)
class Band:
    key: str
    label: str  # "Singapore · Senior (5-10+ years)"
    low: int
    high: int  # 0 with open_ended: "…+" without a top
    currency: str
    period: str  # "month" or "year"
    source: str  # the document's file name
    measure: str = BASE
    basis: str = ""
    open_ended: bool = False
    levels: frozenset[str] = frozenset()  # empty: any level
    region: str = ""  # empty: any region
    company_type: str = ""  # set: only offers from that type of company


@dataclass(frozen=True)
class Premium:
    key: str
    title: str
    low_percent: int
    high_percent: int
    source: str


@dataclass
class Placement:
    band: Band
    # In the band's currency and period; None when the band was refused.
    amount: Decimal | None = None
    position: str = ""  # "below", "within", "above", "refused"
    percent: int | None = None  # where in the band (0 = its bottom, 100 = its top)
    reason: str = ""  # why refused, or how the amount was converted
    steps: list[str] = field(default_factory=list)
    # The band with the chosen premiums applied (same currency and period).
    with_premiums: tuple[Decimal, Decimal] | None = None
    hourly: tuple[Decimal, Decimal] | None = None  # a monthly band, / 160

    @property
    def refused(self) -> bool:
        return self.position == "refused"


PERCENT_RANGE = re.compile(r"(\d+)\s*[–-]\s*(\d+)\s*%")


def parse_premium(figure: str) -> tuple[int, int] | None:
    """ "+25–40%" -> (25, 40); anything else (a "$600K+", "2–3×") is not a percentage."""
    found = PERCENT_RANGE.search(figure)
    return (int(found[1]), int(found[2])) if found else None


def money(value: Decimal) -> Decimal:
    return value.quantize(Decimal(1), rounding=ROUND_HALF_UP)


def matches(offer: Offer, band: Band) -> bool:
    if band.levels and offer.level not in band.levels:
        return False
    if band.region and band.region != offer.region:
        return False
    return not band.company_type or band.company_type == offer.company_type


def place(offer: Offer, band: Band, premiums: Sequence[Premium] = ()) -> Placement:
    """The offer against one band: converted explicitly, or refused."""
    placement = Placement(band=band)
    if band.period == "month":
        placement.hourly = (
            Decimal(band.low) / HOURS_A_MONTH,
            Decimal(band.high) / HOURS_A_MONTH,
        )
    low, high = Decimal(band.low), Decimal(band.high)
    for premium in premiums:
        low *= 1 + Decimal(premium.low_percent) / 100
        high *= 1 + Decimal(premium.high_percent) / 100
    if premiums:
        placement.with_premiums = (money(low), money(high))
    yearly = offer.yearly(band.measure)
    steps = [_yearly_step(offer, band.measure, yearly)]
    if band.currency != offer.currency:
        if offer.rate is None or offer.rate_currency != band.currency:
            placement.position = "refused"
            placement.reason = (
                f"Not compared: this band is in {band.currency} and the offer in "
                f"{offer.currency}. Give an exchange rate (1 {offer.currency} = ? "
                f"{band.currency}) to compare; none is assumed."
            )
            return placement
        yearly = yearly * offer.rate
        steps.append(
            f"× {offer.rate} (your rate: 1 {offer.currency} = {offer.rate} {band.currency}) "
            f"= {money(yearly):,} {band.currency} a year"
        )
    amount = yearly
    if band.period == "month":
        amount = yearly / MONTHS_A_YEAR
        steps.append(f"÷ 12 = {money(amount):,} {band.currency} a month")
    placement.amount = money(amount)
    placement.steps = steps
    top = None if band.open_ended and not band.high else Decimal(band.high)
    if amount < band.low:
        placement.position = "below"
    elif top is not None and amount > top and not band.open_ended:
        placement.position = "above"
    else:
        placement.position = "within"
    if top is not None and top > band.low:
        share = (amount - band.low) / (top - band.low) * 100
        placement.percent = int(money(share))
    return placement


def _yearly_step(offer: Offer, measure: str, yearly: Decimal) -> str:
    base = {
        "hour": f"{offer.base:,} an hour × 160 × 12",
        "month": f"{offer.base:,} a month × 12",
        "year": f"{offer.base:,} a year",
    }[offer.period]
    parts = [f"base {base}"]
    if measure in (BASE_EQUITY, TOTAL) and offer.equity:
        parts.append(f"equity {offer.equity:,}")
    if measure == TOTAL and offer.bonus:
        parts.append(f"bonus {offer.bonus:,}")
    return f"{' + '.join(parts)} = {money(yearly):,} {offer.currency} a year ({measure})"


def check(offer: Offer, bands: list[Band], premiums: Sequence[Premium] = ()) -> list[Placement]:
    """Every band that matches the offer's level, region and company type, placed."""
    return [place(offer, band, list(premiums)) for band in bands if matches(offer, band)]
