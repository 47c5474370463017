"""Target companies: the sources' lists (seed 000's APAC targets, seed 001's companies
hiring now, seed 003's GPU clouds and AI labs), read from the content's market facts,
each company one click from a new application."""

from __future__ import annotations

import re
from dataclasses import dataclass

from roadmap import content
from roadmap.models import MarketFact

# The fact kinds that name companies, and the candidate sources that are companies too.
KINDS = (MarketFact.Kind.TARGET_COMPANY, MarketFact.Kind.HIRING_COMPANY)
COMPANY_SOURCES = {"gpu-cloud-startups", "labs-hyperscaler-alumni"}
# A list item longer than this is a description ("Any Series A-C AI company …"), not a name.
MAX_NAME_WORDS = 4
PARENS = re.compile(r"\s*\(([^)]*)\)")
SPLIT = re.compile(r"\s+(?:and|or)\s+")
TEAMS = re.compile(r"^(?P<name>.+?) teams in (?P<region>\w+)$")
OFFICES = re.compile(r"^(?P<region>\w+) offices of (?P<name>.+)$")
LEAD_IN = re.compile(r"^(?:Engineers (?:who built GPU infrastructure )?at|Engineers at)\s+")


@dataclass(frozen=True)
class Company:
    name: str
    region: str = ""


@dataclass
class Group:
    fact: MarketFact
    companies: list[Company]


def companies_in(text: str) -> list[Company]:
    """ "Lunit (Korea), Qure.ai (India)" -> Lunit in Korea, Qure.ai in India. A note in
    parentheses that is not a place is dropped; a description ("Any Series A-C AI
    company …") names no company."""
    text = LEAD_IN.sub("", text.strip().rstrip("."))
    if text.startswith("Any "):
        return []
    text = text.split(", who ")[0].split(", in ")[0]
    found = []
    for part in text.split(","):
        note = PARENS.search(part)
        # "(Korea)" is a place; "(heavy Temporal users)" or "(AWS AI and Alexa)" is not.
        region = note[1] if note and len(note[1].split()) == 1 else ""
        for name in SPLIT.split(PARENS.sub("", part).strip()):
            name = name.strip()
            if offices := OFFICES.match(name):
                name, region = offices["name"], offices["region"]
            if teams := TEAMS.match(name):
                name, region = teams["name"], teams["region"]
            if name and len(name.split()) <= MAX_NAME_WORDS:
                found.append(Company(name, region))
    return found


def target_groups() -> list[Group]:
    """Each list of companies with the companies it names (no query: cached content)."""
    facts = content.market()["facts"]
    groups = []
    for kind in KINDS:
        for fact in facts[kind.replace("-", "_")]:
            # A hiring company's title names it ("NVIDIA", "Anthropic, OpenAI, Cohere").
            source = fact.title if kind == MarketFact.Kind.HIRING_COMPANY else fact.text
            groups.append(Group(fact, companies_in(source)))
    for fact in facts["candidate_source"]:
        if fact.key in COMPANY_SOURCES:
            groups.append(Group(fact, companies_in(fact.text)))
    return groups
