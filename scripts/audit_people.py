"""Measure how much of 1990-2026 the people files cover with dated office holders.

For each audited state (the G20 states, the Security Council's permanent members and every
state elected to the Council 1990-2026, and the states most in the news) and each of four
roles (head of state, head of government, foreign minister, defence minister), count the days
between 1990-01-01 and 2026-11-29 on which no row of the people files holds that role, and
print coverage per state and role with the total.

    PYTHONPATH=src python scripts/audit_people.py              # the table
    PYTHONPATH=src python scripts/audit_people.py --gaps IRN   # gap intervals for some states
    PYTHONPATH=src python scripts/audit_people.py --only foreign,defence --group priority

A row holds a role when its code belongs to the state (the country prefix, with the codes of
states it succeeded before they ended: USR for Russia until 1991-12-25) and its sector is GOV
or MIL, and its ``role`` text names the role (``classify_role``). Days before a state existed
(independence, unification) are not counted, nor are spans in which the office had no holder
(``NO_HOLDER``: vacancies, no such ministry). In states whose head of state also leads the government
(``PRESIDENT_LEADS``), a head-of-state row also covers head of government; in the Commonwealth realms
the British monarch's rows cover head of state.
"""
from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ACTOR_DIR = ROOT / "src" / "dyad" / "data" / "actors"

START = dt.date(1990, 1, 1)
END = dt.date(2026, 11, 29)

ROLES = ("head_of_state", "head_of_government", "foreign", "defence")
ROLE_LABELS = {"head_of_state": "HoS", "head_of_government": "HoG", "foreign": "FM", "defence": "DM"}

# --- the audited states -----------------------------------------------------------------
G20 = ("ARG", "AUS", "BRA", "CAN", "CHN", "FRA", "DEU", "IND", "IDN", "ITA", "JPN", "KOR", "MEX", "RUS",
       "SAU", "ZAF", "TUR", "GBR", "USA")
UNSC_PERMANENT = ("CHN", "FRA", "RUS", "GBR", "USA")
# Elected members serving at some time 1990-2026 (terms 1989-90 to 2026-27); Zaire is COD.
UNSC_ELECTED = (
    "CAN", "COL", "ETH", "FIN", "MYS",                     # 1989-90
    "CIV", "CUB", "ROU", "YEM", "COD",                     # 1990-91
    "AUT", "BEL", "ECU", "IND", "ZWE",                     # 1991-92
    "CPV", "HUN", "JPN", "MAR", "VEN",                     # 1992-93
    "BRA", "DJI", "NZL", "PAK", "ESP",                     # 1993-94
    "ARG", "CZE", "NGA", "OMN", "RWA",                     # 1994-95
    "BWA", "DEU", "HND", "IDN", "ITA",                     # 1995-96
    "CHL", "EGY", "GNB", "POL", "KOR",                     # 1996-97
    "CRI", "KEN", "PRT", "SWE",                            # 1997-98 (and Japan)
    "BHR", "GAB", "GMB", "SVN",                            # 1998-99 (and Brazil)
    "NAM", "NLD",                                          # 1999-2000 (and Argentina, Canada, Malaysia)
    "BGD", "JAM", "MLI", "TUN", "UKR",                     # 2000-01
    "IRL", "MUS", "NOR", "SGP",                            # 2001-02 (and Colombia)
    "BGR", "CMR", "GIN", "MEX", "SYR",                     # 2002-03
    "AGO",                                                 # 2003-04 (and Chile, Germany, Pakistan, Spain)
    "DZA", "BEN", "PHL",                                   # 2004-05 (and Brazil, Romania)
    "DNK", "GRC", "TZA",                                   # 2005-06 (and Argentina, Japan)
    "COG", "GHA", "PER", "QAT", "SVK",                     # 2006-07
    "PAN", "ZAF",                                          # 2007-08 (and Belgium, Indonesia, Italy)
    "BFA", "HRV", "LBY", "VNM",                            # 2008-09 (and Costa Rica)
    "TUR", "UGA",                                          # 2009-10 (and Austria, Japan, Mexico)
    "BIH", "LBN",                                          # 2010-11 (and Brazil, Gabon, Nigeria)
    "AZE", "GTM", "TGO",                                   # 2012-13 (and Morocco, Pakistan)
    "AUS", "LUX",                                          # 2013-14 (and Argentina, Korea, Rwanda)
    "TCD", "JOR", "LTU",                                   # 2014-15 (and Chile, Nigeria)
    "SEN", "URY",                                          # 2016-17 (and Egypt, Japan, Ukraine)
    "BOL", "KAZ",                                          # 2017-18 (and Ethiopia, Italy, Sweden, Netherlands)
    "GNQ", "KWT",                                          # 2018-19 (and Cote d'Ivoire, Peru, Poland)
    "DOM",                                                 # 2019-20 (and Belgium, Germany, Indonesia, South Africa)
    "EST", "NER", "VCT",                                   # 2020-21 (and Tunisia, Vietnam)
    "ALB", "ARE",                                          # 2022-23 (and Brazil, Gabon, Ghana)
    "MLT", "MOZ", "CHE",                                   # 2023-24 (and Ecuador, Japan)
    "GUY", "SLE",                                          # 2024-25 (and Algeria, Korea, Slovenia)
    "SOM",                                                 # 2025-26 (and Denmark, Greece, Pakistan, Panama)
    "LVA", "LBR",                                          # 2026-27 (and Bahrain, Colombia, DR Congo)
)
HOTSPOTS = ("PRK", "KOR", "IRN", "ISR", "UKR", "SYR", "AFG", "PAK", "IND", "SAU", "TUR", "VEN", "IRQ", "LBY",
            "YEM", "EGY", "ETH", "SDN", "SSD", "SOM", "COD", "NGA", "MLI", "MMR", "CUB", "COL", "QAT", "ARE",
            "JOR", "LBN", "PSE", "BLR", "GEO", "ARM", "AZE", "SRB", "BIH", "KSV")


def _unique(*groups: tuple[str, ...]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for g in groups:
        for c in g:
            seen.setdefault(c, None)
    return tuple(seen)


PRIORITY = _unique(UNSC_PERMANENT, HOTSPOTS)
STATES = _unique(UNSC_PERMANENT, HOTSPOTS, G20, UNSC_ELECTED)
GROUPS = {"priority": PRIORITY, "permanent": UNSC_PERMANENT, "hotspots": HOTSPOTS, "g20": G20,
          "elected": UNSC_ELECTED, "all": STATES}

# First day each state is counted (later than 1990-01-01 only for states born after it).
STATE_START = {
    "YEM": dt.date(1990, 5, 22), "NAM": dt.date(1990, 3, 21),
    "UKR": dt.date(1991, 8, 24), "BLR": dt.date(1991, 8, 25), "GEO": dt.date(1991, 4, 9),
    "ARM": dt.date(1991, 9, 21), "AZE": dt.date(1991, 10, 18), "KAZ": dt.date(1991, 12, 16),
    "EST": dt.date(1991, 8, 20), "LVA": dt.date(1991, 8, 21), "LTU": dt.date(1990, 3, 11),
    "SVN": dt.date(1991, 6, 25), "HRV": dt.date(1991, 6, 25), "BIH": dt.date(1992, 3, 3),
    "CZE": dt.date(1993, 1, 1), "SVK": dt.date(1993, 1, 1), "SRB": dt.date(1992, 4, 27),
    "KSV": dt.date(2008, 2, 17), "SSD": dt.date(2011, 7, 9), "PSE": dt.date(1994, 5, 4),
}
# Codes whose rows stand for the state too (predecessors until they ended, other spellings).
EXTRA_CODES = {
    "RUS": (("USR", dt.date(1991, 12, 25)),),
    "SRB": (("YUG", dt.date(2006, 6, 5)),),  # FR Yugoslavia / Serbia and Montenegro
}
# States whose head of state also heads the government, for these spans (None = open): presidential
# systems, and the years in which a state had no prime minister.
_ALWAYS = [(None, None)]
PRESIDENT_LEADS = {
    **{s: _ALWAYS for s in ("USA", "BRA", "ARG", "MEX", "IDN", "CHL", "COL", "ECU", "VEN", "BOL", "URY", "PAN",
                            "CRI", "HND", "GTM", "DOM", "CYP", "NGA", "GHA", "PHL", "BWA", "GMB", "ZAF", "MDV",
                            "SYC", "LBR", "SLE", "GUY", "SUR", "BEN", "MWI", "ZMB", "SSD", "TKM", "PER", "KOR",
                            "IRN", "CHE")},
    # PER, KOR: their prime ministers serve under a governing president; IRN: the Supreme Leader is head of
    # state and the President heads the government; CHE: the President of the Confederation chairs the
    # Federal Council for a year.
    "SAU": [(None, dt.date(2022, 9, 27))],  # the King was Prime Minister until then
    "OMN": [(None, None)], "AFG": [(dt.date(2001, 12, 22), dt.date(2021, 8, 15))],
    "TUR": [(dt.date(2018, 7, 9), None)], "KEN": [(None, dt.date(2008, 4, 17)), (dt.date(2013, 4, 9), None)],
    "ZWE": [(None, dt.date(2009, 2, 11)), (dt.date(2013, 8, 22), None)],
    "AGO": [(None, dt.date(1991, 7, 19)), (dt.date(1999, 1, 29), dt.date(2002, 12, 6)), (dt.date(2010, 2, 5), None)],
    "CUB": [(None, dt.date(2019, 12, 20))],  # the President of the Council of State chaired the government
    "SDN": [(dt.date(1989, 6, 30), dt.date(2017, 3, 1))], "SYR": [(dt.date(2025, 3, 29), None)],
    "MLI": [(None, dt.date(1991, 4, 2))], "MMR": [(dt.date(2011, 3, 30), dt.date(2016, 4, 5))],
    "PSE": [(None, dt.date(2003, 4, 29))], "COD": [(dt.date(1997, 5, 17), dt.date(2006, 12, 29))],
    "TUN": [(dt.date(2021, 7, 25), dt.date(2021, 10, 11))],
    "COG": [(dt.date(1997, 10, 15), dt.date(2005, 1, 7)), (dt.date(2009, 9, 15), dt.date(2016, 4, 23))],
    "TCD": [(None, dt.date(1991, 3, 8)), (dt.date(2018, 5, 3), dt.date(2021, 4, 26))],
    "SEN": [(None, dt.date(1991, 4, 8)), (dt.date(2019, 5, 14), dt.date(2022, 9, 17))],
    "CMR": [(None, dt.date(1991, 4, 26))], "GIN": [(None, dt.date(1996, 7, 9))], "TGO": [(None, dt.date(1991, 8, 28))],
    "BFA": [(None, dt.date(1992, 6, 16))], "RWA": [(None, dt.date(1991, 10, 12))],
    "GNB": [(None, dt.date(1991, 12, 27))], "CIV": [(None, dt.date(1990, 11, 7))], "NER": [(None, dt.date(1990, 3, 2))],
}
# Spans in which an office had no holder (vacant, or no government held the state): not counted.
NO_HOLDER = (  # (state, role, first day, last day, why)
    ("LBN", "head_of_state", dt.date(2007, 11, 24), dt.date(2008, 5, 24), "presidential vacancy"),
    ("LBN", "head_of_state", dt.date(2014, 5, 26), dt.date(2016, 10, 30), "presidential vacancy"),
    ("LBN", "head_of_state", dt.date(2022, 10, 31), dt.date(2025, 1, 8), "presidential vacancy"),
    ("AUT", "head_of_state", dt.date(2016, 7, 9), dt.date(2017, 1, 25), "vacancy (the National Council's presidents acted)"),
    ("SVK", "head_of_state", dt.date(1993, 1, 1), dt.date(1993, 3, 1), "before the first president took office"),
    ("SVK", "head_of_state", dt.date(1998, 3, 3), dt.date(1999, 6, 14), "presidential vacancy"),
    ("SOM", "head_of_state", dt.date(1997, 1, 4), dt.date(2000, 8, 26), "no government after the state's collapse"),
    ("SOM", "head_of_government", dt.date(1991, 1, 25), dt.date(2000, 10, 7), "no government after the collapse"),
    ("SOM", "foreign", dt.date(1991, 1, 27), dt.date(2000, 10, 7), "no government after the state's collapse"),
    ("SOM", "defence", dt.date(1991, 1, 27), dt.date(2000, 10, 7), "no government after the state's collapse"),
    ("IRQ", "head_of_state", dt.date(2003, 4, 10), dt.date(2003, 7, 12), "occupation, before the Governing Council"),
    ("IRQ", "head_of_government", dt.date(2003, 4, 10), dt.date(2004, 5, 31), "occupation authority"),
    ("IRQ", "foreign", dt.date(2003, 4, 10), dt.date(2003, 9, 2), "occupation, before the first post-war cabinet"),
    ("IRQ", "defence", dt.date(2003, 4, 10), dt.date(2004, 5, 31), "occupation authority (no ministry of defence)"),
    ("RUS", "defence", dt.date(1991, 12, 26), dt.date(1992, 3, 15), "no Russian defence ministry before March 1992"),
    ("CHN", "defence", dt.date(2023, 10, 25), dt.date(2023, 12, 28), "vacancy after Li Shangfu's removal"),
    ("PRK", "defence", dt.date(1995, 2, 26), dt.date(1995, 10, 7), "vacancy after O Jin U's death"),
    ("PRK", "defence", dt.date(1997, 2, 22), dt.date(1998, 9, 4), "vacancy after Choe Kwang's death"),
    ("PSE", "defence", dt.date(1994, 5, 4), dt.date(2026, 11, 29), "no Palestinian defence ministry"),
    ("BIH", "defence", dt.date(1995, 12, 14), dt.date(2004, 2, 29), "defence was the entities' until the state ministry of 2004"),
    ("BRA", "defence", dt.date(1990, 1, 1), dt.date(1999, 6, 9), "no defence ministry before 1999 (a ministry for each service)"),
    ("MAR", "defence", dt.date(1990, 1, 1), dt.date(2026, 11, 29), "no defence minister since 1972 (a minister delegate)"),
)
# Commonwealth realms: the British monarch's rows stand for their head of state.
SHARED_HEAD_OF_STATE = {"CAN": "GBR", "AUS": "GBR", "NZL": "GBR", "JAM": "GBR", "VCT": "GBR"}

# --- role matching ------------------------------------------------------------------------
# A role is recognised from the `role` text when one of its patterns matches and none of its exclusions
# does: deputies, juniors, aspirants and bodies that share a title word ("President of the Senate").
_DEPUTY = r"(?:deputy|vice|first vice|assistant|under|junior|parliamentary|shadow)[ -]"
ROLE_PATTERNS: dict[str, tuple[str, ...]] = {
    "foreign": (
        r"\bforeign (?:minister|secretary)\b",
        r"\bminister (?:of|for) (?:the )?(?:foreign|external) (?:affairs|relations)\b",
        r"\bminister (?:of|for) (?:europe and )?foreign affairs\b",
        r"\bminister for europe and foreign affairs\b",
        r"\bminister of foreign affairs\b",
        r"\bsecretary of state of the united states\b",
        r"\bsecretary of state for (?:foreign|external) (?:and commonwealth |, commonwealth and development )?affairs\b",
        r"\bsecretary of state for foreign, commonwealth and development affairs\b",
        r"\b(?:secretary|head of the secretariat) (?:of|for) (?:foreign|external) (?:affairs|relations)\b",
        r"\bexternal affairs minister\b",
        r"\bminister of foreign relations\b",
        r"\bcommissioner (?:of|for) foreign affairs\b",  # Libya's General People's Committee
        r"\bsecretary of the general people's committee for foreign liaison\b",
    ),
    "defence": (
        r"\bdefen[cs]e (?:minister|secretary)\b",
        r"\bminister (?:of|for) (?:the )?(?:national |state )?defen[cs]e\b",
        r"\bminister of defen[cs]e\b",
        r"\bminister (?:of|for) (?:the )?(?:people's |revolutionary )?armed forces\b",
        r"\bsecretary of defense of the united states\b",
        r"\bsecretary (?:of|for) (?:national )?defen[cs]e\b",
        r"\bsecretary of state for defen[cs]e\b",
        r"\bdirector[- ]general of the (?:japan )?defen[cs]e agency\b",
        r"\bminister of defen[cs]e and armed forces logistics\b",
    ),
    "head_of_government": (
        r"\bprime minister\b",
        r"\bpremier\b",
        r"\bchancellor\b",
        r"\bpresident of the (?:council of ministers|government|executive yuan)\b",
        r"\bchairman of the council of ministers\b",
        r"\bchairman of the (?:government|cabinet)\b",
        r"\btaoiseach\b",
        r"\bchief executive of (?:afghanistan|pakistan)\b",
        r"\bstate counsellor of myanmar\b",
        r"\bstate minister of georgia\b", r"\bsecretary of the general people's committee of libya\b",
        r"\bchief advis[eo]r of the (?:caretaker|interim) government\b",
        r"\bfirst state commissioner\b",
        r"\bhead of (?:the )?(?:interim national )?government\b",
    ),
    "head_of_state": (
        r"\bpresident\b",
        r"\b(?:king|queen|emir|amir|sultan|emperor|grand duke|grand duchess|prince)\b",
        r"\bsupreme leader\b",
        r"\bhead of state\b",
        r"\bgovernor[- ]general\b",
        r"\bchairman of the (?:presidency|presidential council|state council|council of state|sovereignty council|"
        r"supreme council|national defen[cs]e commission|state affairs commission|revolutionary command council|"
        r"high council of state|presidium|transitional military council|state peace and development council|"
        r"state law and order restoration council|national committee)\b",
        r"\bchair(?:man|woman|person) of the (?:[\w'-]+ ){0,5}(?:council|committee|junta|command)\b",
        r"\bhead of the (?:interim national government|military command)\b",
        r"\b(?:de facto|junta) (?:leader|ruler)\b", r"\bchief martial law administrator\b",
        r"\bmember of the military council\b",
        r"\bmember +of the presidency of bosnia", r"\bchairman of the verkhovna rada of ukraine\b",
        r"\bleader of the revolution\b",
        r"\bbrotherly leader\b",
    ),
}
ROLE_EXCLUDE: dict[str, tuple[str, ...]] = {
    "foreign": (
        r"\b" + _DEPUTY + r"(?:foreign )?(?:prime )?minister (?:of|for) foreign\b",
        r"\b" + _DEPUTY + r"foreign (?:minister|secretary)\b",
        r"\bminister of state (?:for|of) foreign\b", r"\bstate minister (?:for|of) foreign\b",
        r"\bforeign ministry (?:spokes|official)", r"\bshadow\b", r"\bdeputy secretary of state\b",
        r"\bunder ?secretary\b", r"\bassistant secretary\b", r"\bdesignate\b", r"\bnominee\b",
        r"\bsecretary-general of the ministry\b", r"\bpermanent secretary\b",
        r"\bforeign minister of the (?:rival|opposition|self-declared|parallel|government in exile)",
    ),
    "defence": (
        r"\b" + _DEPUTY + r"(?:defen[cs]e )?minister\b",
        r"\b" + _DEPUTY + r"defen[cs]e (?:minister|secretary)\b",
        r"\bminister of state for (?:the )?defen[cs]e\b", r"\bstate minister (?:for|of) defen[cs]e\b",
        r"\bdeputy secretary of defense\b", r"\bunder ?secretary\b", r"\bassistant secretary\b",
        r"\bpermanent secretary\b", r"\bdesignate\b", r"\bnominee\b", r"\bshadow\b",
    ),
    "head_of_government": (
        r"\b" + _DEPUTY + r"prime minister\b", r"\bvice[- ]chancellor\b", r"\bchancellor of the exchequer\b",
        r"\bchancellor of (?:the )?(?:university|duchy|high court)\b", r"\blord chancellor\b", r"\bdeputy premier\b", r"\bvice[- ]premier\b",
        r"\bprime minister[- ]designate\b", r"\bformer prime minister\b", r"\bshadow\b",
        r"\bprime minister'?s? (?:office|adviser|advisor|spokes|chief of staff)",
        r"\bpremier of (?:the )?(?:province|state) of\b", r"\bpremier of (?:ontario|quebec|alberta|british columbia)\b",
        r"\bregional\b", r"\bkurdistan region\b",
    ),
    "head_of_state": (
        r"\bvice[- ]president\b", r"\bdeputy president\b",
        r"\bpresident of the (?:council of ministers|government|executive yuan|european|senate|national assembly|"
        r"chamber|congress|parliament|supreme court|constitutional|federal council of|bundesrat|bundestag|duma|"
        r"national council(?! for)|assembly|legislative|regional|central bank|world bank|african development|"
        r"international|committee|commission|party|general assembly|security council|court|"
        r"palestine national council|kurdistan region|republika srpska|federation of bosnia)",
        r"\bpresident-elect\b", r"\bformer president\b", r"\bcrown prince\b", r"\bprince of wales\b",
        r"\bparty president\b", r"\bpresidential (?:candidate|adviser|advisor|envoy|spokes|guard)",
        r"\bchief of staff\b", r"\bpresident of the (?:people's )?republic of china'?s? (?:central military)",
        r"\bopposition\b", r"\bclaimant\b", r"\bin exile\b", r"\bself-declared\b", r"\bparallel\b",
        r"\bpretender\b", r"\bprime minister\b", r"\bpresident of the (?:\w+ )?(?:court|tribunal|committee)",
        r"\bchair(?:man|woman|person) of the (?:joint chiefs|council of ministers|high council for national|"
        r"security council|national security council|standing committee|central military|executive board|"
        r"military committee of nato|committee for the peaceful|european|african union)",
        r"\bpalestine liberation organi[sz]ation\b",
    ),
}
_COMPILED = {k: [re.compile(p, re.I) for p in v] for k, v in ROLE_PATTERNS.items()}
_COMPILED_EX = {k: [re.compile(p, re.I) for p in v] for k, v in ROLE_EXCLUDE.items()}
# Sectors of a row that holds a state office (opposition claimants, rebels and elites do not).
OFFICE_SECTORS = ("GOV", "MIL")


# A role text may join offices ("King and Prime Minister", "Prime Minister, then President"): each part
# is judged alone. Parenthesised asides are left out: they say what else the holder was ("Acting President
# (President of the Senate)", "Defence Minister (as Prime Minister)"), not which office the row is for.
_SPLIT = re.compile(r"\s*(?:;|,? and (?=(?:then |later |from \S+ )?(?:acting |interim |caretaker |transitional )?"
                    r"(?:deputy |first |vice |prime |president|minister|foreign (?:minister|secretary)|defen[cs]e minister|"
                    r"secretary|head|chairman|"
                    r"king|emir|sultan|supreme|chancellor|premier|commander))|, (?:then|later|from \S+) )\s*", re.I)
_ASIDE = re.compile(r"\([^()]*\)")


def classify_role(text: str) -> set[str]:
    """The audited roles a role text names: {'foreign'}, {'head_of_state', 'head_of_government'}, ...

    >>> sorted(classify_role("Deputy Prime Minister and Minister of Foreign Affairs of Pakistan"))
    ['foreign']
    """
    found: set[str] = set()
    for part in _SPLIT.split(text or "") or [""]:
        bare = _ASIDE.sub(" ", part)
        for role in ROLES:
            if any(p.search(bare) for p in _COMPILED[role]) and not any(p.search(bare) for p in _COMPILED_EX[role]):
                found.add(role)
    return found


# --- reading the people files ---------------------------------------------------------------
@dataclass(frozen=True)
class Row:
    name: str
    code: str
    start: dt.date | None
    end: dt.date | None
    role: str
    source: str


def read_people(files: list[Path] | None = None) -> list[Row]:
    rows: list[Row] = []
    for path in files or sorted(ACTOR_DIR.glob("people*.tsv")):
        header: list[str] | None = None
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            cells = line.split("\t")
            if header is None:
                header = cells
                continue
            rec = dict(zip(header, cells))
            start = rec.get("start", "").strip()
            end = rec.get("end", "").strip()
            rows.append(Row(rec.get("name", ""), rec.get("code", "").upper(),
                            dt.date.fromisoformat(start) if start else None,
                            dt.date.fromisoformat(end) if end else None,
                            rec.get("role", ""), f"{path.name}:{lineno}"))
    return rows


def state_codes(state: str, role: str = "") -> list[tuple[str, dt.date | None]]:
    """The country codes standing for ``state`` in ``role`` and the last day each does (None = always)."""
    codes = [(state, None), *EXTRA_CODES.get(state, ())]
    if role == "head_of_state" and state in SHARED_HEAD_OF_STATE:
        codes.append((SHARED_HEAD_OF_STATE[state], None))
    return codes


# --- coverage -------------------------------------------------------------------------------
@dataclass
class Coverage:
    state: str
    role: str
    start: dt.date
    end: dt.date
    days: int = 0  # days of start..end on which the office had a holder (NO_HOLDER spans left out)
    held: int = 0  # of which days some row holds the office
    gaps: list[tuple[dt.date, dt.date]] = field(default_factory=list)  # the days not held, as intervals

    @property
    def share(self) -> float:
        return self.held / self.days if self.days > 0 else 1.0


def _merge(spans: list[tuple[dt.date, dt.date]]) -> list[tuple[dt.date, dt.date]]:
    """Sorted, disjoint, non-adjacent intervals covering the same days."""
    out: list[tuple[dt.date, dt.date]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1] + dt.timedelta(days=1):
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def _minus(base: list[tuple[dt.date, dt.date]], cut: list[tuple[dt.date, dt.date]]) -> list[tuple[dt.date, dt.date]]:
    """The days of ``base`` not in ``cut`` (both merged)."""
    out = []
    for s, e in base:
        cursor = s
        for a, b in cut:
            if b < cursor or a > e:
                continue
            if a > cursor:
                out.append((cursor, a - dt.timedelta(days=1)))
            cursor = max(cursor, b + dt.timedelta(days=1))
        if cursor <= e:
            out.append((cursor, e))
    return out


def _ndays(spans: list[tuple[dt.date, dt.date]]) -> int:
    return sum((e - s).days + 1 for s, e in spans)


def _spans_for(rows: list[Row], state: str, role: str, start: dt.date, end: dt.date) -> list[tuple[dt.date, dt.date]]:
    """The spans (clipped to start..end) in which some row holds ``role`` for ``state``."""
    spans = []
    for code, last in state_codes(state, role):
        stop = min(end, last or end)
        for r in rows:
            if r.code[:3] != code or r.code[3:6] not in OFFICE_SECTORS:
                continue
            roles = classify_role(r.role)
            if role in roles:
                limits = [(None, None)]
            elif role == "head_of_government" and "head_of_state" in roles:
                limits = PRESIDENT_LEADS.get(state, [])  # only where the head of state leads the government
            else:
                continue
            for a, b in limits:
                s = max(r.start or start, a or start, start)
                e = min(r.end or stop, b or stop, stop)
                if s <= e:
                    spans.append((s, e))
    return spans


def coverage(rows: list[Row] | None = None, states: tuple[str, ...] = STATES, roles: tuple[str, ...] = ROLES,
             start: dt.date = START, end: dt.date = END) -> dict[tuple[str, str], Coverage]:
    """{(state, role): Coverage} of the days start..end (from the state's birth, without the
    NO_HOLDER spans) on which some row holds the role."""
    rows = read_people() if rows is None else rows
    out = {}
    for state in states:
        s0 = max(start, STATE_START.get(state, start))
        for role in roles:
            vacant = _merge([(a, b) for st, ro, a, b, _ in NO_HOLDER if st == state and ro == role])
            window = _minus([(s0, end)] if s0 <= end else [], vacant)
            held = _merge(_spans_for(rows, state, role, s0, end))
            gaps = _minus(window, held)
            days = _ndays(window)
            out[(state, role)] = Coverage(state, role, s0, end, days, days - _ndays(gaps), gaps)
    return out


def share(cov: dict[tuple[str, str], Coverage], states: tuple[str, ...] | None = None,
          roles: tuple[str, ...] | None = None) -> float:
    """Covered share of all days of the selected (state, role) cells."""
    cells = [c for (s, r), c in cov.items() if (states is None or s in states) and (roles is None or r in roles)]
    days = sum(c.days for c in cells)
    return sum(c.held for c in cells) / days if days else 1.0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--group", choices=sorted(GROUPS), default="all", help="which states (default: all)")
    ap.add_argument("--only", default="", help="comma-separated roles: " + ",".join(ROLES) + " (or FM,DM,HoS,HoG)")
    ap.add_argument("--gaps", nargs="*", metavar="STATE", help="list the gap intervals of these states (all if none)")
    ap.add_argument("--min-gap", type=int, default=1, help="list only gaps of at least this many days")
    args = ap.parse_args(argv)
    label_to_role = {v.lower(): k for k, v in ROLE_LABELS.items()} | {"fm": "foreign", "dm": "defence"}
    roles = tuple(label_to_role.get(r.strip().lower(), r.strip()) for r in args.only.split(",") if r.strip()) or ROLES
    bad = [r for r in roles if r not in ROLES]
    if bad:
        ap.error(f"unknown role {bad}")
    states = GROUPS[args.group]
    cov = coverage(states=states, roles=roles)

    head = f"{'state':6}" + "".join(f"{ROLE_LABELS[r]:>8}{'gaps':>5}" for r in roles)
    print(head)
    for s in states:
        cells = "".join(f"{100 * cov[(s, r)].share:7.1f}%{len(cov[(s, r)].gaps):5d}" for r in roles)
        print(f"{s:6}{cells}")
    print("-" * len(head))
    tot = "".join(f"{100 * share(cov, roles=(r,)):7.1f}%{sum(len(cov[(s, r)].gaps) for s in states):5d}"
                  for r in roles)
    print(f"{'total':6}{tot}")
    for name, group in GROUPS.items():
        if name == "all" or not set(group) <= set(states):
            continue
        print(f"{name:>9}: " + "  ".join(f"{ROLE_LABELS[r]} {100 * share(cov, group, (r,)):.1f}%" for r in roles))
    print(f"all cells: {100 * share(cov):.1f}% of days covered, {sum(len(c.gaps) for c in cov.values())} gaps")

    if args.gaps is not None:
        wanted = tuple(x.upper() for x in args.gaps) or states
        print()
        for s in wanted:
            for r in roles:
                c = cov.get((s, r)) or coverage(states=(s,), roles=(r,))[(s, r)]
                for a, b in c.gaps:
                    n = (b - a).days + 1
                    if n >= args.min_gap:
                        print(f"{s}\t{ROLE_LABELS[r]}\t{a}\t{b}\t{n} days")
    return 0


if __name__ == "__main__":
    sys.exit(main())
