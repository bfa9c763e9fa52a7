"""Time expressions: finding them, normalising them TimeML-style, and dating events.

:func:`find_times` scans the article body for temporal expressions (dates, times, durations,
sets) with regular expressions, checks ambiguous words against the spaCy parse, and normalises
each one to a TimeML ``value`` resolved against the publication date:

==============================  =========================  ===========
text (published 2020-07-07)     value                      precision
==============================  =========================  ===========
June 30, 2019                   2019-06-30                 day
on Saturday / (said) Tuesday    2020-07-04 / 2020-07-07    day
last week                       2020-W27                   week
last month                      2020-06                    month
in October (past tense)         2019-10                    month
last summer                     2019-SU                    season
the first half of 2019          2019-H1                    half
fourth-quarter (past tense)     2019-Q4                    quarter
the 2018 agreements             2018                       year
the 1990s / the 20th century    199 / 19                   decade / century
two years / four-month          P2Y / P4M  (DURATION)      None
every week                      P1W        (SET)           None
now / recently / the future     PRESENT_REF / PAST_REF ... None
==============================  =========================  ===========

Conventions (those of the TimeML / TempEval-3 guidelines):

* A weekday, a month or a day of a month without a year is placed by the tense of the clause
  it belongs to: past tense picks the most recent one (on or before the publication date), a
  future or scheduled reading the next one (a present-tense weekday is scheduled: "the vote
  is on Friday"), the present perfect or an unknown tense the nearest one; a weekday without
  any tense is the most recent one. A weekday equal to the publication weekday is the
  publication day itself ("said Tuesday" in a Tuesday article), as wire copy uses it.
* "last/this/next week" are ISO weeks relative to the publication week.
* Narrative expressions ("a week later", "the next day", "the previous year") are anchored to
  the last date mentioned before them, else to the publication date.
* Prepositions are not part of an expression ("on Saturday" -> "Saturday"); "ago" is.
* Clock times are TIME values on the day of a day-level date in their sentence, else on the
  publication day ("at 15:00 GMT" -> 2020-07-07T15:00Z); parts of the day use TimeML's MO, AF,
  EV, NI ("this morning" -> 2020-07-07TMO).
* Ages ("37-year-old", "aged 45") and counts ("2000 troops") are not time expressions.
* Without a publication date, expressions that need one get ``value=None`` and
  ``anchored=False``; the machine's clock is never used.

:func:`event_date` picks, for an event trigger, the expression that governs its clause in the
dependency tree, else a nearby unattached date in the sentence, else the publication date.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, timedelta
from types import MappingProxyType

from spacy.attrs import IDX

from dyad.records import TimeExpression

__all__ = ["find_times", "event_date", "value_precision", "parse_published"]

# --------------------------------------------------------------------------- vocabulary

_MONTHS = MappingProxyType({
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
})
_WEEKDAYS = MappingProxyType({
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6,
})
_SEASONS = MappingProxyType({"winter": 0, "spring": 1, "summer": 2, "fall": 3, "autumn": 3})
_SEASON_CODES = ("WI", "SP", "SU", "FA")
_SMALL = MappingProxyType({
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "a": 1, "an": 1,
    "single": 1, "dozen": 12,
})
_ORDINALS = MappingProxyType({
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20, "twenty-first": 21, "twenty first": 21,
    "final": 4, "last": 4,
})
_DECADE_WORDS = MappingProxyType({
    "twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6, "seventies": 7,
    "eighties": 8, "nineties": 9,
})
# unit -> (ISO 8601 duration designator, is a time unit (PT...), multiplier)
_UNITS = MappingProxyType({
    "second": ("S", True, 1), "minute": ("M", True, 1), "hour": ("H", True, 1),
    "day": ("D", False, 1), "night": ("D", False, 1), "week": ("W", False, 1),
    "weekend": ("WE", False, 1), "fortnight": ("W", False, 2), "month": ("M", False, 1),
    "quarter": ("Q", False, 1), "year": ("Y", False, 1), "decade": ("Y", False, 10),
    "century": ("Y", False, 100),
})
_PARTS_OF_DAY = MappingProxyType({
    "morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "midday": "MI",
})
_REPORTING = frozenset(
    "say tell report announce state add note claim confirm deny write explain warn insist "
    "argue declare disclose reveal acknowledge admit".split())
_FUTURE_AUX = frozenset({"will", "wo", "'ll", "shall", "would", "'d"})
_MODALS = frozenset({"can", "could", "may", "might", "must", "should", "ought", "ca"})
_BE_PRESENT = frozenset({"is", "are", "am", "'s", "'re", "'m", "be"})
_BE_PAST = frozenset({"was", "were"})
_HAVE = frozenset({"has", "have", "had", "'ve", "'d", "having"})

# --------------------------------------------------------------------------- regex pieces

_B = r"(?<![\w'-])(?<!\d[,.])"  # left boundary: not inside a word, hyphenation or number
_MONTH_FULL = (r"(?-i:January|February|March|April|May|June|July|August|September|October|"
               r"November|December)")
_MONTH_ABBR = (r"(?-i:Jan\.?|Feb\.?|Mar\.|Apr\.?|Jun\.|Jul\.|Aug\.?|Sept\.?|Sep\.?|Oct\.?|"
               r"Nov\.?|Dec\.?)")
_MONTH = rf"(?:{_MONTH_FULL}|{_MONTH_ABBR})"
_WEEKDAY = r"(?-i:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_DAYNUM = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?"
_YEAR4 = r"(?:1[6-9]\d\d|20\d\d)"
_SEASON = r"(?:spring|summer|fall|autumn|winter)"
_NUMWORD = (r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
            r"(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?|one|two|three|four|"
            r"five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
            r"seventeen|eighteen|nineteen|hundred)")
_NUM = (rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?|{_NUMWORD}|an?|a\s+couple\s+of|a\s+couple|couple\s+of|a\s+dozen|"
        r"dozens\s+of|half\s+an?|(?:a\s+)?few|several|some|many|a\s+number\s+of)"
        r"(?:\s+and\s+a\s+half)?")
_FUZZY = frozenset({"few", "a few", "several", "some", "many", "dozens of", "a number of"})
_UNIT = (r"(?:seconds?|minutes?|hours?|days?|nights?|weeks?|fortnights?|months?|quarters?|"
         r"years?|decades?|century|centuries)")
_PRE = r"(?:early|earlier|late|later|mid|the\s+(?:end|beginning|start|middle|turn)\s+of)"
_ORD = (r"(?:\d{1,2}(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|"
        r"ninth|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|"
        r"eighteenth|nineteenth|twentieth|twenty[- ]first)")


def _rx(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.I)


# Each rule: (name, compiled pattern). Longer matches win over shorter ones; on equal
# length the earlier rule wins.
_RULES: tuple[tuple[str, re.Pattern], ...] = (
    ("iso_date", _rx(r"(?<![\w/.-])(?P<y>1[6-9]\d\d|20\d\d)-(?P<m>0[1-9]|1[0-2])-"
                     r"(?P<d>0[1-9]|[12]\d|3[01])(?![\w/-]|\.\d)")),
    ("num_date", _rx(r"(?<![\w/.-])(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>\d{4}|\d\d)"
                     r"(?![\w/-]|\.\d)")),
    ("mdy", _rx(rf"{_B}(?:(?P<wd>{_WEEKDAY}),?\s+)?(?:(?P<pre>{_PRE})[-\s]+)?(?P<mon>{_MONTH})"
                rf"\s*(?P<d>{_DAYNUM})(?![\d:,]\d|\w|-(?:year|month|day|old))"
                rf"(?:(?:\s*,\s*|\s+)(?P<y>{_YEAR4})(?![\w-]))?")),
    ("dmy", _rx(rf"{_B}(?:(?P<wd>{_WEEKDAY}),?\s+)?(?:the\s+)?(?P<d>{_DAYNUM})(?:\s+of)?\s+"
                rf"(?P<mon>{_MONTH})(?!\w)(?:,?\s+(?P<y>{_YEAR4})(?![\w-]))?")),
    ("my", _rx(rf"{_B}(?:(?P<pre>{_PRE})[-\s]+)?(?P<mon>{_MONTH}),?\s+(?:of\s+)?"
               rf"(?P<y>{_YEAR4})(?![\w-])")),
    ("month", _rx(rf"{_B}(?:(?P<pre>{_PRE})[-\s]+)?(?:(?P<rel>last|this|next|past|coming)\s+)?"
                  rf"(?P<mon>{_MONTH_FULL}|(?-i:Sept\.|Jan\.|Feb\.|Aug\.|Oct\.|Nov\.|Dec\.))"
                  r"(?P<plural>s)?(?!\w)(?:\s+of\s+(?P<ry>this|last|next|the\s+following|"
                  r"the\s+previous|the\s+same)\s+year(?!\w))?")),
    ("weekday", _rx(rf"{_B}(?:(?P<rel>last|this|next|past|coming)\s+)?(?P<wd>{_WEEKDAY})"
                    r"(?P<plural>s)?(?!\w)(?:'s)?"
                    r"(?:\s+(?P<pod>morning|afternoon|evening|night))?(?!\w)")),
    ("year", _rx(rf"(?<![\w$€£¥#.,/'’-])(?:(?P<pre>{_PRE}|fiscal(?:\s+year)?)[-\s]+)?"
                 rf"(?:(?P<season>{_SEASON})\s+(?:of\s+)?)?"
                 r"(?P<y>1[89]\d\d|20\d\d)(?![\w%/-]|[.,:]\d|\s*(?:per\s*cent|percent))")),
    ("year_old", _rx(r"(?<![\w$€£¥#.,/'’-])(?P<sig>in|since|until|by|from|of|year)\s+"
                     r"(?P<y>1[0-7]\d\d)(?![\w%/-]|[.,]\d)")),
    ("year_range", _rx(r"(?<![\w$€£¥#.,/'’-])(?P<y1>1[89]\d\d|20\d\d)\s*[-–/]\s*"
                       r"(?P<y2>1[89]\d\d|20\d\d|\d\d)(?![\w%/-]|[.,]\d)")),
    ("year_short", _rx(r"(?<=\s)['’](?P<yy>\d\d)(?![\w'’-])")),
    ("season_rel", _rx(rf"{_B}(?:(?P<pre>early|late|mid)[-\s]+)?(?:(?P<the>the)\s+)?"
                       rf"(?P<rel>last|this|next|past|coming|previous|following)\s+"
                       rf"(?P<season>{_SEASON})(?!\w)")),
    ("season", _rx(rf"\b(?:in|during|by|until|since|through|over|for)\s+"
                   rf"(?P<body>(?:(?P<the>the)\s+)?(?:(?P<pre>early|late|mid)[-\s]+)?"
                   rf"(?P<season>{_SEASON}))(?!\w|\s+(?:of|\d))")),
    ("decade", _rx(r"(?<![\w$€£#-])(?:the\s+)?(?:(?P<pre>early|mid|late)[-\s]+)?"
                   r"(?P<dec>1[0-9]\d0|20\d0)['’]?s(?!\w)")),
    ("decade_short", _rx(r"(?:(?<=\bthe\s)|(?<=\band\s)|(?<=\bor\s)|(?<=\bto\s)|(?<=\s)(?=['’]))(?:(?P<pre>early|mid|late)[-\s]+)?"
                         r"['’]?(?P<dd>\d0)['’]?s(?!\w)")),
    ("decade_word", _rx(r"\bthe\s+(?:(?P<pre>early|mid|late)[-\s]+)?(?:nineteen[- ])?"
                        r"(?P<dw>twenties|thirties|forties|fifties|sixties|seventies|eighties|"
                        r"nineties)(?!\w)")),
    ("century", _rx(rf"{_B}(?:the\s+)?(?:(?P<pre>early|mid|late)[-\s]+)?(?P<ord>{_ORD})"
                    r"[-\s]+century(?!\w)")),
    ("century_rel", _rx(rf"{_B}(?:the\s+)?(?P<rel>last|this|past|previous|next|current)\s+"
                        r"century(?!\w)")),
    ("quarter", _rx(r"(?<![\w-])(?:the\s+)?(?P<q>first|second|third|fourth|final|last|1st|2nd|"
                    r"3rd|4th)[-\s]+(?:fiscal[-\s]+)?quarter(?!\w)"
                    r"(?:\s+of\s+(?:(?:fiscal\s+)?(?P<y>1[89]\d\d|20\d\d)(?!\w)|"
                    r"(?P<rel>this|last|next|the\s+current|the\s+previous|the\s+same|the)\s+"
                    r"(?:fiscal\s+)?year))?")),
    ("quarter_short", _rx(r"(?<![\w-])(?P<q>Q[1-4])(?:\s+(?P<y>1[89]\d\d|20\d\d))?(?!\w)")),
    ("half", _rx(r"(?<![\w-])(?:the\s+)?(?P<h>first|second)\s+half\s+of\s+"
                 r"(?:(?P<y>1[89]\d\d|20\d\d)(?!\w)|(?P<rel>this|last|next|the)\s+year)")),
    ("rel_unit", _rx(rf"{_B}(?:(?P<pre>{_PRE})[-\s]+)?(?:(?P<the>the)\s+)?"
                     r"(?P<rel>last|this|next|past|previous|coming|current|following|same|"
                     r"present)(?:\s+(?:past|coming))?\s+"
                     r"(?P<unit>week|weekend|month|year|quarter|decade|fiscal\s+year)"
                     r"(?![\w-])")),
    ("period_of", _rx(r"(?<![\w-])(?:the\s+)?(?P<pos>end|beginning|start|middle|turn)\s+of\s+"
                      r"(?:the\s+)?(?P<unit>year|month|week)(?![\w-])")),
    ("deictic", _rx(r"(?<![\w-])(?:(?P<pre>early|earlier|later|late)\s+)?(?P<w>today|tonight|"
                    r"yesterday|tomorrow|overnight)(?!\w)(?:'s)?"
                    r"(?:\s+(?P<pod>morning|afternoon|evening|night))?(?!\w)")),
    ("deictic2", _rx(r"(?<![\w-])the\s+day\s+(?P<w>before\s+yesterday|after\s+tomorrow)(?!\w)")),
    ("pod", _rx(r"(?<![\w-])(?:(?P<pre>early|earlier|late|later)\s+)?(?P<rel>this|last)\s+"
                r"(?P<pod>morning|afternoon|evening|night)(?!\w)")),
    ("ago", _rx(rf"{_B}(?:about\s+|some\s+|nearly\s+|almost\s+|more\s+than\s+)?(?P<num>{_NUM})\s+"
                rf"(?P<unit>{_UNIT})\s+(?:and\s+a\s+half\s+)?ago(?!\w)")),
    ("ago_vague", _rx(r"(?<![\w-])(?:(?:many|several|some|few)\s+)?(?P<unit>years|decades|"
                      r"months|weeks|centuries|long)\s+ago(?!\w)")),
    ("later", _rx(rf"{_B}(?P<num>{_NUM})\s+(?:more\s+)?(?P<unit>{_UNIT})\s+"
                  r"(?:(?P<dir>later|earlier|afterwards?)(?!\w)(?!\s+than)|"
                  r"(?P<dir2>before|after|prior|previously)(?=\s*(?:[,.;:)!?\x00]|$)))")),
    ("narrative", _rx(r"(?<![\w-])(?P<rel>the\s+next|the\s+following|the\s+previous|"
                      r"the\s+preceding|the\s+same|that\s+same|that|later\s+that|"
                      r"earlier\s+that)\s+(?P<unit>day|morning|afternoon|evening|night|week|"
                      r"month|year)(?![\w-])")),
    ("day_ref", _rx(r"(?<![\w-])(?:end|ended|ending|ends|close|closed|closing|closes|finish|"
                    r"finished|finishing|finishes|start|started|starting|starts|open|opened|"
                    r"opening|opens|for|during)\s+(?P<body>the\s+day)(?![\w-])")),
    ("day_ref2", _rx(r"(?<![\w-])(?:late|later|early|earlier)\s+in\s+the\s+day(?![\w-])")),
    ("same_period", _rx(r"(?<![\w-])the\s+same\s+(?P<unit>period|month|quarter|week|day|time|"
                        r"season)\s+(?:(?P<back>a\s+year\s+(?:ago|earlier|before)|last\s+year|"
                        r"of\s+last\s+year|(?:of\s+)?the\s+previous\s+year|the\s+year\s+before|"
                        r"(?:of\s+)?the\s+prior\s+year)|(?:of|in)\s+(?P<y>1[89]\d\d|20\d\d))(?![\w-])")),
    ("weekend", _rx(r"(?<![\w-])(?:over|during|at|on|for|through|across|by)\s+"
                    r"(?P<body>the\s+weekend)(?![\w-])")),
    ("narrative2", _rx(r"(?<![\w-])the\s+(?P<unit>day|week|month|year|night)\s+"
                       r"(?P<dir>before|after|earlier|later)(?=\s*(?:[,.;:)!?\x00]|$))")),
    ("set_rate", _rx(r"(?:\d|illion|thousand|hundred|percent|%)\s+(?P<body>(?:a|an|per)\s+"
                     r"(?P<unit>hour|day|week|month|year))(?![\w-])")),
    ("duration_coord", _rx(rf"{_B}(?P<num>\d+(?:\.\d+)?|{_NUMWORD})(?P<rest>\s*(?:and|or|to|-|–)\s*"
                           rf"(?:\d+(?:\.\d+)?|{_NUMWORD})\s+(?P<unit>{_UNIT}))(?![\w-])")),
    ("duration", _rx(rf"{_B}(?:(?P<the>the)\s+)?(?:(?P<rel>past|last|next|previous|coming|"
                     r"first|final|following|remaining|latest|preceding|initial|ensuing|"
                     r"recent)\s+)?"
                     rf"(?P<num>{_NUM})\s+(?:(?:more|additional|full|long|straight|"
                     r"consecutive|whole|successive|short|entire|separate|extra|"
                     r"trading|working|business|calendar)\s+)?"
                     rf"(?P<unit>{_UNIT})(?P<apos>['’](?!s))?(?![\w-])")),
    ("duration_bare", _rx(r"\b(?:for|in|within|over|after|than|took|take|takes|lasted|"
                          r"spent|spend|by)\s+(?:(?:just|only|mere|nearly|almost)\s+)?"
                          r"(?P<body>(?P<unit>seconds|minutes|hours|days|weeks|months|years|"
                          r"decades|centuries))(?![\w-])"
                          r"(?!\s+(?:of|old|ago|later|earlier|before|after)\b)")),
    ("duration_rel", _rx(r"(?<![\w-])(?P<unit>seconds|minutes|hours|days|weeks|months|years|"
                         r"decades)\s+(?=(?:before|after|later|earlier)\b)")),
    ("duration_over", _rx(r"(?<![\w-])(?:over|through|across|throughout)\s+(?P<body>the\s+"
                          r"(?P<unit>years|decades|centuries|months))(?![\w-])")),
    ("duration_recent", _rx(r"(?<![\w-])(?:the\s+)?(?P<rel>recent|coming|past|next|last|"
                            r"ensuing|following)\s+(?P<unit>seconds|minutes|hours|days|weeks|"
                            r"months|years|decades|centuries)(?![\w-])(?!\s+(?:of|old)\b)")),
    ("duration_adj", _rx(rf"(?<![\w-])(?P<num>\d+(?:\.\d+)?|{_NUMWORD}|half|multi|single|one)-"
                         r"(?P<unit>second|minute|hour|day|night|week|month|year|decade|"
                         r"century|quarter)(?:-long)?(?![\w]|-old|-olds|-\w)")),
    ("duration_long", _rx(r"(?<![\w-])(?P<unit>hour|day|night|week|month|year|decade|century|"
                          r"hours|days|weeks|months|years|decades|centuries)-?long(?![\w-])")),
    ("hms", _rx(r"(?<![\w:.])(?P<h>\d{1,2}):(?P<m>[0-5]\d):(?P<s>[0-5]\d)(?![\w:]|\.\d)"
                r"(?!\s*(?:a\.?m|p\.?m|GMT|UTC))")),
    ("clock", _rx(r"(?<![\w:.$])(?P<h>[01]?\d|2[0-3])(?:(?::|\.)(?P<m>[0-5]\d))?\s*"
                  r"(?P<ap>a\.m\.|p\.m\.|am|pm|a\.m|p\.m)(?![\w])"
                  r"(?:\s*\((?P<tz1>[A-Z]{2,4}(?:\s*[+-]\s*\d{1,2})?)\)|\s+(?P<tz2>GMT|UTC|EST|EDT|"
                  r"CST|CDT|PST|PDT|BST|CET|KST|JST))?"
                  rf"(?:\s+(?:on\s+)?(?P<wd>{_WEEKDAY}|today|yesterday|tomorrow))?(?!\w)")),
    ("clock24", _rx(r"(?<![\w:.$])(?:(?P<at>at|from|until|by|before|after|around|to)\s+)?"
                    r"(?P<h>[01]?\d|2[0-3])(?::|\.)?(?P<m>[0-5]\d)(?![\w:]|\.\d)"
                    r"(?:\s*(?P<tz>GMT|UTC|EST|EDT|CST|CDT|PST|PDT|BST|CET|KST|JST|"
                    r"local\s+time|hours|hrs|h)(?!\w))?"
                    rf"(?:\s+(?:on\s+)?(?P<wd>{_WEEKDAY}|today|yesterday|tomorrow))?(?!\w)")),
    ("noon", _rx(rf"(?<![\w-])(?P<w>noon|midnight|midday)(?!\w)"
                 rf"(?:\s+(?:on\s+)?(?P<wd>{_WEEKDAY}|today|yesterday|tomorrow))?(?!\w)")),
    ("set_every", _rx(rf"(?<![\w-])(?P<q>every|each|per)\s+(?:other\s+)?(?:(?P<num>{_NUM})\s+)?"
                      rf"(?P<unit>{_UNIT}|morning|afternoon|evening|night|weekend|season|"
                      rf"{_WEEKDAY}|{_MONTH_FULL})(?![\w-])")),
    ("set_freq", _rx(rf"(?<![\w-])(?P<f>once|twice|thrice|\w+\s+times)\s+(?:a|an|per|each|every)"
                     r"\s+(?P<unit>second|minute|hour|day|week|month|year|decade|quarter)(?!\w)")),
    ("set_adv", _rx(r"(?<![\w-])(?P<w>hourly|daily|nightly|weekly|monthly|quarterly|annually|"
                    r"yearly|biannually|biennially|annual|biennial)(?![\w-])")),
    ("present_ref", _rx(r"(?<![\w-])(?P<w>now|currently|nowadays|presently|at\s+present|"
                        r"at\s+the\s+moment|right\s+now|these\s+days|the\s+time\s+being|the\s+present(?:\s+day)?|"
                        r"present[- ]day)(?![\w-])")),
    ("past_ref", _rx(r"(?<![\w-])(?:(?:in|from|of)\s+(?=the\s+past)|(?!the\s+past))(?P<body>(?P<w>recently|"
                     r"lately|the\s+past|at\s+the\s+time|at\s+that\s+time|"
                     r"once\s+upon\s+a\s+time))"
                     r"(?![\w-])(?!\s+(?:\d|few|several|two|three|four|five|six|seven|eight|"
                     r"nine|ten|week|month|year|decade|century|day)\b)")),
    ("future_ref", _rx(r"(?<![\w-])(?<!as\s)(?P<w>(?:the|near|in)\s+(?:(?:near|foreseeable|"
                       r"distant|immediate)\s+)?future|(?:very\s+)?soon(?!\s+(?:as|after|"
                       r"afterwards?|thereafter)\b)|(?:the\s+)?(?:near|long|short|medium)[- ]term|"
                       r"the\s+long\s+run|the\s+short\s+run)(?![\w-])")),
    ("holiday", _rx(r"(?<![\w-])(?P<h>Christmas\s+Eve|Christmas\s+Day|Christmas|New\s+Year['’]s"
                    r"\s+(?:Day|Eve)|Valentine['’]s\s+Day|Halloween|Independence\s+Day|"
                    r"Boxing\s+Day|(?:the\s+)?Fourth\s+of\s+July)(?![\w-])")),
)
_RULE_ORDER = MappingProxyType({name: i for i, (name, _) in enumerate(_RULES)})

_HOLIDAYS = MappingProxyType({
    "christmas eve": (12, 24), "christmas day": (12, 25), "christmas": (12, 25),
    "new year's day": (1, 1), "new year's eve": (12, 31), "valentine's day": (2, 14),
    "halloween": (10, 31), "independence day": (7, 4), "boxing day": (12, 26),
    "fourth of july": (7, 4), "the fourth of july": (7, 4),
})

# Prefilter for the rules: what every match of a rule contains, as one item of each of its
# conditions. An item is a word ("i": in any case; "c": spelt so, for the case-sensitive month
# and weekday names) or a short pattern ("r"). No rule consumes the "\x00" standing for a line
# break, so a match lies on one line, and a rule need only be run over the lines holding all
# of its conditions, and not at all when there are none: the matches are the same as from a
# scan of the whole text. A rule edited to match without one of its items must have that item
# added to its conditions here; a rule without an entry is run over the whole text.
_UNIT_WORDS = ("second", "minute", "hour", "day", "night", "week", "month", "quarter", "year",
               "decade", "centur")
_PLURAL_UNITS = ("seconds", "minutes", "hours", "days", "weeks", "months", "years", "decades",
                 "centuries")
_DIGIT = ("r", r"\d")
_YEAR_DIGITS = ("r", r"(?:1[89]|20)\d\d")
_DECADE_DIGITS = ("r", r"\d0['’]?[sS]")
_SEASON_WORDS = ("i", ("spring", "summer", "fall", "autumn", "winter"))
_MONTH_STEMS = ("c", ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
                      "Nov", "Dec"))
_UNITS_I = ("i", _UNIT_WORDS)
_GATES = MappingProxyType({
    "iso_date": (("r", r"\d-\d"),),
    "num_date": (("r", r"\d/\d"),),
    "mdy": (_MONTH_STEMS, _DIGIT),
    "dmy": (_MONTH_STEMS, _DIGIT),
    "my": (_MONTH_STEMS, ("r", r"(?:1[6-9]|20)\d\d")),
    "month": (_MONTH_STEMS,),
    "weekday": (("c", ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
                       "Sunday")),),
    "year": (_YEAR_DIGITS,),
    "year_old": (("r", r"1[0-7]\d\d"),),
    "year_range": (_YEAR_DIGITS,),
    "year_short": (("r", r"['’]\d\d"),),
    "season_rel": (_SEASON_WORDS,),
    "season": (_SEASON_WORDS,),
    "decade": (_DECADE_DIGITS,),
    "decade_short": (_DECADE_DIGITS,),
    "decade_word": (("i", ("ties",)),),
    "century": (("i", ("century",)),),
    "century_rel": (("i", ("century",)),),
    "quarter": (("i", ("quarter",)),),
    "quarter_short": (("r", r"[qQ][1-4]"),),
    "half": (("i", ("half",)),),
    "rel_unit": (("i", ("week", "month", "year", "quarter", "decade")),
                 ("i", ("last", "this", "next", "past", "previous", "coming", "current",
                        "following", "same", "present"))),
    "period_of": (("i", ("year", "month", "week")),
                  ("i", ("end", "beginning", "start", "middle", "turn"))),
    "deictic": (("i", ("today", "tonight", "yesterday", "tomorrow", "overnight")),),
    "deictic2": (("i", ("yesterday", "tomorrow")),),
    "pod": (("i", ("morning", "afternoon", "evening", "night")), ("i", ("this", "last"))),
    "ago": (("i", ("ago",)),),
    "ago_vague": (("i", ("ago",)),),
    "later": (("i", ("later", "earlier", "after", "before", "prior", "previously")), _UNITS_I),
    "narrative": (("i", ("day", "morning", "afternoon", "evening", "night", "week", "month",
                         "year")),
                  ("i", ("next", "following", "previous", "preceding", "same", "that"))),
    "day_ref": (("i", ("day",)),),
    "day_ref2": (("i", ("day",)), ("i", ("late", "earl"))),
    "same_period": (("i", ("same",)),),
    "weekend": (("i", ("weekend",)),),
    "narrative2": (("i", ("day", "week", "month", "year", "night")),
                   ("i", ("before", "after", "earlier", "later"))),
    "set_rate": (("i", ("hour", "day", "week", "month", "year")),),
    "duration_coord": (_UNITS_I,),
    "duration": (_UNITS_I,),
    "duration_bare": (("i", _PLURAL_UNITS),),
    "duration_rel": (("i", _PLURAL_UNITS[:-1]),),
    "duration_over": (("i", ("years", "decades", "centuries", "months")),),
    "duration_recent": (("i", _PLURAL_UNITS),),
    "duration_adj": (_UNITS_I, ("r", "-")),
    "duration_long": (("i", ("long",)),),
    "hms": (("r", r"\d:[0-5]\d:"),),
    "clock": (("r", r"[aApP]\.?[mM]"),),
    "clock24": (("r", r"\d[:.]?[0-5]\d"),),
    "noon": (("i", ("noon", "midnight", "midday")),),
    "set_every": (("i", ("every", "each", "per")),),
    "set_freq": (("i", ("once", "twice", "thrice", "times")),),
    "set_adv": (("i", ("hourly", "daily", "nightly", "weekly", "monthly", "quarterly", "annual",
                       "yearly", "biannual", "biennial")),),
    "present_ref": (("i", ("now", "currently", "present", "moment", "these", "being")),),
    "past_ref": (("i", ("recently", "lately", "past", "time")),),
    "future_ref": (("i", ("future", "soon", "term", "run")),),
    "holiday": (("i", ("christmas", "new", "valentine", "halloween", "independence", "boxing",
                       "fourth")),),
})
# Every item is made of characters of _RUN, so it lies inside one run of them.
_RUN = re.compile(r"[\w'’:./-]+")
_ITEMS = tuple(sorted({(kind, w) for conds in _GATES.values() for kind, what in conds
                       for w in ((what,) if kind == "r" else what)}))
_ITEM_RX = tuple(re.compile(w) if kind == "r" else None for kind, w in _ITEMS)
_GATE_ITEMS = MappingProxyType({
    name: tuple(tuple(_ITEMS.index((kind, w)) for w in ((what,) if kind == "r" else what))
                for kind, what in conds)
    for name, conds in _GATES.items()})


def _words_by_start(kind: str) -> dict[str, tuple[tuple[int, str], ...]]:
    """(index, word) of the words of ``kind`` in :data:`_ITEMS`, by their first two letters."""
    out: dict[str, list[tuple[int, str]]] = {}
    for k, (kd, w) in enumerate(_ITEMS):
        if kd == kind:
            out.setdefault(w[:2], []).append((k, w))
    return {two: tuple(ws) for two, ws in out.items()}


_WORDS_AT = MappingProxyType({"i": _words_by_start("i"), "c": _words_by_start("c")})
# the patterns with a digit in every match, and the others
_DIGIT_RX = tuple(k for k, (kind, w) in enumerate(_ITEMS)
                  if kind == "r" and re.search(r"\\d|[0-9]", w))
_OTHER_RX = tuple(k for k, (kind, w) in enumerate(_ITEMS)
                  if kind == "r" and k not in _DIGIT_RX)
_ANY_DIGIT = re.compile(r"\d")
_RUN_ITEMS: dict[str, tuple[int, ...]] = {}  # a run -> the items inside it, for runs seen before
# non-ASCII characters matching an ASCII letter case-insensitively: İ ı ſ and the Kelvin sign
_FOLD_ODD = ("\u0130", "\u0131", "\u017f", "\u212a")


def _items_of(run: str) -> tuple[int, ...]:
    """Indices in :data:`_ITEMS` of the items occurring in ``run``."""
    got = _RUN_ITEMS.get(run)
    if got is not None:
        return got
    found = set()
    low = run.lower()
    # the case-sensitive words all have capitals
    for kind, hay in ((("i", low),) if low == run else (("i", low), ("c", run))):
        at = _WORDS_AT[kind].get
        for j in range(len(hay) - 1):
            for k, w in at(hay[j:j + 2], ()):
                if hay.startswith(w, j):
                    found.add(k)
    for k in (_DIGIT_RX + _OTHER_RX if _ANY_DIGIT.search(run) else _OTHER_RX):
        if _ITEM_RX[k].search(run) is not None:
            found.add(k)
    got = tuple(sorted(found))
    if len(_RUN_ITEMS) >= 100_000:
        _RUN_ITEMS.clear()
    _RUN_ITEMS[run] = got
    return got


class _Scan:
    """The text scanned by the rules, with the lines holding the items of :data:`_GATES`."""

    def __init__(self, scan: str):
        self.scan = scan
        self.n = len(scan)
        # the rules match these characters as ASCII letters, which the item lookup does not:
        # a text holding one is scanned whole by every rule
        self.gated = scan.isascii() or not any(ch in scan for ch in _FOLD_ODD)
        starts = [0]
        items = [0] * len(_ITEMS)  # per item, a bit mask of the lines holding it
        if self.gated:
            findall = _RUN.findall
            known = _RUN_ITEMS.get
            pos = 0
            for li, line in enumerate(scan.split("\x00")):
                if li:
                    starts.append(pos)
                pos += len(line) + 1
                bit = 1 << li
                for run in set(findall(line)):
                    got = known(run)
                    if got is None:
                        got = _items_of(run)
                    for k in got:
                        items[k] |= bit
        self.starts = starts  # line starts; each line but the last ends with its "\x00"
        self._items = items

    def runs(self, name: str) -> list[tuple[int, int]]:
        """[start, end) ranges of whole lines that rule ``name`` needs scanning (none when it
        cannot match). A range keeps the line break ending it, which lookaheads may test."""
        conds = _GATE_ITEMS.get(name)
        if not self.gated or conds is None:
            return [(0, self.n)]
        items = self._items
        lines = -1
        for cond in conds:
            mask = 0
            for k in cond:
                mask |= items[k]
            lines &= mask  # every condition is met inside the match, so on its line
            if not lines:
                return []
        starts = self.starts
        nl = len(starts)
        out = []
        while lines:
            lo = (lines & -lines).bit_length() - 1
            ones = lines >> lo
            hi = lo + ((ones + 1) & ~ones).bit_length() - 1  # after the run of lines from lo
            out.append((starts[lo], starts[hi] if hi < nl else self.n))
            lines &= ~((1 << hi) - 1)
        return out


# --------------------------------------------------------------------------- helpers


def parse_published(published: str | None) -> date | None:
    """The publication date of an ISO string (``2020-07-07`` or a full timestamp), or None."""
    if not published or not isinstance(published, str):
        return None
    m = re.match(r"\s*(\d{4})-(\d{2})-(\d{2})", published)
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


_PRECISION_PATTERNS: tuple[tuple[re.Pattern, str | None], ...] = (
    (re.compile(r"^\d{4}-\d\d-\d\d(T.*)?$"), "day"),
    (re.compile(r"^\d{4}-W\d\d(-WE)?$"), "week"),
    (re.compile(r"^\d{4}-\d\d$"), "month"),
    (re.compile(r"^\d{4}-(SP|SU|FA|WI)$"), "season"),
    (re.compile(r"^\d{4}-Q[1-4]$"), "quarter"),
    (re.compile(r"^\d{4}-H[12]$"), "half"),
    (re.compile(r"^\d{4}$"), "year"),
    (re.compile(r"^\d{3}$"), "decade"),
    (re.compile(r"^\d{2}$"), "century"),
)


def value_precision(value: str | None) -> str | None:
    """The granularity of a normalised DATE/TIME value: day, week, month, season, quarter,
    half, year, decade, century; None for durations, sets, PRESENT_REF and the like."""
    if not value:
        return None
    for rx, name in _PRECISION_PATTERNS:
        if rx.match(value):
            return name
    return None


def _num(text: str) -> float | None:
    """A number from digits or words; None for vague amounts ("several", "a few")."""
    t = re.sub(r"\s+", " ", text.lower().strip())
    half = 0.0
    if t.endswith(" and a half"):
        half, t = 0.5, t[: -len(" and a half")]
    if t in _FUZZY:
        return None
    if t in ("a couple of", "a couple", "couple of"):
        return 2 + half
    if t in ("a dozen",):
        return 12 + half
    if t.startswith("half"):
        return 0.5
    if re.fullmatch(r"\d{1,3}(,\d{3})+|\d+(\.\d+)?", t):
        return float(t.replace(",", "")) + half
    parts = re.split(r"[- ]", t)
    total = 0
    for p in parts:
        if p not in _SMALL:
            return None
        total += _SMALL[p]
    return total + half


def _fmt_num(n: float) -> str:
    return str(int(n)) if float(n).is_integer() else f"{n:g}"


def _unit_key(unit: str) -> str:
    u = unit.lower()
    if u == "centuries":
        return "century"
    return u[:-1] if u.endswith("s") else u


def _duration_value(n: float | None, unit: str) -> str:
    designator, is_time, mult = _UNITS[_unit_key(unit)]
    if designator == "WE":
        designator, mult = "D", 2  # a weekend lasts two days
        if n is not None:
            n = n * mult
        mult = 1
    amount = "X" if n is None else _fmt_num(n * mult)
    if designator == "Y" and mult == 10 and n is None:
        designator = "DE"
    elif designator == "Y" and mult == 100 and n is None:
        designator = "CE"
    if is_time:
        return f"PT{amount}{designator}"
    return f"P{amount}{designator}"


def _iso_week(d: date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y:04d}-W{w:02d}"


def _month_str(y: int, m: int) -> str:
    return f"{y:04d}-{m:02d}"


def _add_months(y: int, m: int, k: int) -> tuple[int, int]:
    idx = y * 12 + (m - 1) + k
    return idx // 12, idx % 12 + 1


# search directions for under-specified dates
_PAST, _FUTURE, _NEAREST, _NEAREST_LATER = -1, 1, 0, 2


def _pick(cur: int, cands: list[int], direction: int, strict: bool = False) -> int:
    """Choose among candidate ordinal positions relative to ``cur``: _PAST the most recent
    (<= cur, < when strict), _FUTURE the next (>= cur, > when strict), _NEAREST the nearest
    (a tie goes to the past), _NEAREST_LATER the nearest (a tie goes to the future)."""
    if direction == _PAST:
        ok = [c for c in cands if (c < cur if strict else c <= cur)]
        return max(ok) if ok else min(cands)
    if direction == _FUTURE:
        ok = [c for c in cands if (c > cur if strict else c >= cur)]
        return min(ok) if ok else max(cands)
    later = direction == _NEAREST_LATER
    return min(cands, key=lambda c: (abs(c - cur), (c < cur) if later else (c > cur)))


def _season_index(d: date) -> int:
    """Ordinal of the season containing ``d``: winter of year Y is Dec Y-1 to Feb Y."""
    y, m = d.year, d.month
    if m == 12:
        return (y + 1) * 4
    if m <= 2:
        return y * 4
    return y * 4 + (m - 3) // 3 + 1


def _season_str(idx: int) -> str:
    return f"{idx // 4:04d}-{_SEASON_CODES[idx % 4]}"


def _month_num(text: str) -> int:
    return _MONTHS[text.lower().rstrip(".")]


def _day_num(text: str) -> int:
    return int(re.match(r"\d+", text).group())


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _yy_to_year(yy: int, dct: date | None) -> int:
    pivot = (dct.year if dct else 2030) % 100 + 10
    return 2000 + yy if yy <= pivot else 1900 + yy


# --------------------------------------------------------------------------- parse context


@dataclass(frozen=True)
class _Found:
    start: int
    end: int
    kind: str
    value: str | None
    anchored: bool = True
    needs_day: bool = False  # a clock time whose day comes from the sentence


class _Doc:
    """Per-call view of a spaCy Doc with character-to-token lookups."""

    def __init__(self, doc, dct: date | None, text: str | None = None):
        self.doc = doc
        self.text = doc.text if text is None else text
        self.dct = dct
        self._starts_list: list[int] | None = None
        self._sents: list[tuple[int, int]] | None = None

    @property
    def _starts(self) -> list[int]:
        if self._starts_list is None:
            self._starts_list = self.doc.to_array(IDX).tolist() if len(self.doc) else []
        return self._starts_list

    def sentence_bounds(self, char: int) -> tuple[int, int]:
        """Character bounds of the sentence holding ``char`` (the whole text without sentences)."""
        if self._sents is None:
            doc = self.doc
            if doc.has_annotation("SENT_START"):
                self._sents = [(s.start_char, s.end_char) for s in doc.sents]
            else:
                self._sents = []
        for s, e in self._sents:
            if s <= char < e:
                return s, e
        return 0, len(self.text)

    def tokens(self, start: int, end: int):
        """Tokens overlapping the character range [start, end)."""
        starts = self._starts
        i = max(bisect_right(starts, start) - 1, 0)
        out = []
        n = len(starts)
        doc = self.doc
        while i < n and starts[i] < end:
            t = doc[i]
            if starts[i] + len(t) > start and not t.is_space:
                out.append(t)
            i += 1
        return out

    def head(self, start: int, end: int):
        toks = self.tokens(start, end)
        if not toks:
            return None
        ids = {t.i for t in toks}
        for t in toks:
            if t.head.i not in ids or t.head.i == t.i:
                return t
        return toks[0]


def _verb_of(tok, skip: set | None = None):
    """The first verbal token at or above ``tok`` (skipping tokens in ``skip``)."""
    t = tok
    for _ in range(40):
        if (skip is None or t.i not in skip) and t.pos_ in ("VERB", "AUX"):
            return t
        if t.head.i == t.i:
            return None
        t = t.head
    return None


def _tense(v) -> str | None:
    """past, future, present, progressive or None for the verb ``v``."""
    aux = [c for c in v.children if c.dep_ in ("aux", "auxpass")]
    al = {c.lower_ for c in aux}
    if al & _FUTURE_AUX:
        return "future"
    if al & _MODALS:
        return "future"
    if "to" in al or (v.dep_ == "xcomp" and v.tag_ == "VB"):
        # "agreed to sell ... in October": the time may be before or after the agreement
        h = v.head
        if h.i != v.i and h.pos_ in ("VERB", "AUX") and _tense(h) in ("past", "perfect"):
            return "nearest"
        return "future"
    tag = v.tag_
    if tag == "VBD":
        return "past"
    if tag == "VBN":
        if al & {"has", "have", "'ve", "having"}:
            return "perfect"
        if al & _HAVE or al & _BE_PAST:
            return "past"
        if al & _BE_PRESENT or "been" in al or "being" in al:
            return "present"
        if v.head.i != v.i and v.head.pos_ in ("VERB", "AUX"):
            return _tense(v.head)  # a bare participle takes the tense of its head
        return "past"
    if tag == "VBG":
        if al & _BE_PAST:
            return "past"
        if al & _BE_PRESENT:
            return "progressive"
        if v.head.i != v.i and v.dep_ in ("advcl", "conj", "xcomp", "acl", "pcomp") \
                and v.head.pos_ in ("VERB", "AUX"):
            return _tense(v.head)
        return None
    if tag in ("VBZ", "VBP"):
        if v.lemma_.lower() in _REPORTING:
            return "past"
        return "present"
    if tag == "VB":
        if al & {"did"}:
            return "past"
        if al & {"do", "does"}:
            return "present"
        if v.head.i != v.i and v.dep_ in ("conj",):
            return _tense(v.head)
        return None
    if tag == "MD":
        return "future"
    return None


def _context_tense(ctx: _Doc, start: int, end: int) -> str | None:
    """Tense of the clause an expression belongs to, plus signals right before it."""
    before = ctx.text[max(0, start - 25):start].lower()
    if re.search(r"\b(since|ago|last|past|previous|earlier)\s*$", before):
        return "past"
    if re.search(r"\b(next|coming|upcoming|following)\s*$", before):
        return "future"
    tense = _clause_tense(ctx, start, end)
    if re.search(r"\b(until|till|through)\s*$", before) and tense != "past":
        return "future"  # "has been postponed until Saturday"
    return tense


def _clause_tense(ctx: _Doc, start: int, end: int) -> str | None:
    head = ctx.head(start, end)
    if head is None:
        return None
    skip = {t.i for t in ctx.tokens(start, end)}
    v = _verb_of(head, skip)
    if v is None:
        return None
    t = _tense(v)
    if t is None and v.head.i != v.i:
        v2 = _verb_of(v.head)
        if v2 is not None and v2.i != v.i:
            t = _tense(v2)
    return t


def _direction(tense: str | None, kind: str) -> int:
    """Search direction for an under-specified date given the clause tense: past tense looks
    back, future forward; the present perfect and infinitives under a past verb take the
    nearest; a present or progressive clause schedules (a weekday ahead, otherwise the nearest
    with ties ahead); without a tense, weekdays look back and other dates take the nearest."""
    if tense == "past":
        return _PAST
    if tense == "future":
        return _FUTURE
    if tense in ("perfect", "nearest"):
        return _NEAREST
    if kind == "weekday":
        return _FUTURE if tense in ("present", "progressive") else _PAST
    if tense in ("present", "progressive"):
        return _NEAREST_LATER
    return _NEAREST


# --------------------------------------------------------------------------- resolvers


def _resolve_weekday(dct: date, wd: int, direction: int, strict: bool = False) -> date:
    back = (dct.weekday() - wd) % 7
    fwd = (wd - dct.weekday()) % 7
    if strict:
        back = back or 7
        fwd = fwd or 7
    if direction == _PAST:
        return dct - timedelta(days=back)
    if direction == _FUTURE:
        return dct + timedelta(days=fwd)
    if back == 0 and not strict:
        return dct
    if back == fwd:
        return dct + timedelta(days=fwd) if direction == _NEAREST_LATER else dct - timedelta(days=back)
    return dct - timedelta(days=back) if back < fwd else dct + timedelta(days=fwd)


def _resolve_month(dct: date, month: int, direction: int, strict: bool = False) -> str:
    cur = dct.year * 12 + dct.month - 1
    cands = [(dct.year + k) * 12 + month - 1 for k in (-1, 0, 1)]
    idx = _pick(cur, cands, direction, strict)
    return _month_str(idx // 12, idx % 12 + 1)


def _resolve_month_day(dct: date, month: int, day: int, direction: int) -> str | None:
    cur = dct.toordinal()
    cands = []
    for k in (-1, 0, 1):
        d = _safe_date(dct.year + k, month, day)
        if d is not None:
            cands.append(d.toordinal())
    if not cands:
        return None
    return date.fromordinal(_pick(cur, cands, direction)).isoformat()


def _resolve_season(dct: date, season: int, direction: int, strict: bool = False) -> str:
    cur = _season_index(dct)
    base = cur // 4
    cands = [(base + k) * 4 + season for k in (-1, 0, 1)]
    return _season_str(_pick(cur, cands, direction, strict))


def _resolve_quarter(dct: date, q: int, direction: int) -> str:
    cur = dct.year * 4 + (dct.month - 1) // 3
    cands = [(dct.year + k) * 4 + q - 1 for k in (-1, 0, 1)]
    idx = _pick(cur, cands, direction)
    return f"{idx // 4:04d}-Q{idx % 4 + 1}"


def _shift(ref: str, unit: str, n: int) -> str | None:
    """Shift a normalised value by ``n`` units; the result has the coarser of the two
    granularities (a day-level unit applied to a month stays a month)."""
    unit = _unit_key(unit)
    prec = value_precision(ref)
    if prec is None:
        return None
    if prec == "day":
        d = date.fromisoformat(ref[:10])
        if unit in ("day", "night", "morning", "afternoon", "evening"):
            return (d + timedelta(days=n)).isoformat()
        if unit in ("week", "fortnight"):
            return (d + timedelta(days=7 * n * (2 if unit == "fortnight" else 1))).isoformat()
        if unit == "month":
            y, m = _add_months(d.year, d.month, n)
            return _month_str(y, m)
        if unit in ("year", "decade", "century"):
            mult = {"year": 1, "decade": 10, "century": 100}[unit]
            return f"{d.year + n * mult:04d}"
        if unit in ("hour", "minute", "second"):
            return d.isoformat()
        return None
    if prec == "week":
        y, w = int(ref[:4]), int(ref[6:8])
        d = date.fromisocalendar(y, w, 1)
        if unit in ("day", "week", "night"):
            days = n if unit in ("day", "night") else 7 * n
            return _iso_week(d + timedelta(days=days))
        return _shift(d.isoformat(), unit, n)
    if prec == "month":
        y, m = int(ref[:4]), int(ref[5:7])
        if unit in ("month",):
            return _month_str(*_add_months(y, m, n))
        if unit in ("year", "decade", "century"):
            mult = {"year": 1, "decade": 10, "century": 100}[unit]
            return f"{y + n * mult:04d}"
        if unit in ("week", "day"):
            d = date(y, m, 15) + timedelta(days=n * (7 if unit == "week" else 1))
            return _month_str(d.year, d.month)
        return None
    if prec in ("year", "season", "quarter", "half"):
        y = int(ref[:4])
        if unit in ("year", "decade", "century"):
            mult = {"year": 1, "decade": 10, "century": 100}[unit]
            return f"{y + n * mult:04d}"
        if unit == "month" and prec == "year":
            return None
        return None
    return None


# --------------------------------------------------------------------------- rule handlers


def _span(m: re.Match) -> tuple[int, int]:
    """The expression's extent: the ``body`` group when a rule has one (the rest of the match
    is context, such as a preceding preposition), else the whole match."""
    if "body" in m.re.groupindex and m.group("body") is not None:
        return m.start("body"), m.end("body")
    return m.start(), m.end()


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in " \t\n,'’":
        start += 1
    while end > start and text[end - 1] in " \t\n,":
        end -= 1
    return start, end


def _is_month_token(ctx: _Doc, start: int, end: int) -> bool:
    """A bare month name that is really a month (not 'Theresa May', 'may', 'March on')."""
    toks = ctx.tokens(start, end)
    if not toks:
        return False
    t = toks[-1]
    if t.tag_ == "MD" or t.pos_ in ("VERB", "AUX"):
        return False
    if t.ent_type_ in ("PERSON", "ORG", "NORP", "FAC", "PRODUCT", "WORK_OF_ART", "GPE"):
        return False
    prev = ctx.doc[t.i - 1] if t.i > 0 else None
    if prev is not None and prev.pos_ == "PROPN" and prev.lower_ not in _MONTHS \
            and prev.lower_ not in _WEEKDAYS and prev.dep_ == "compound" and prev.head.i == t.i:
        return False
    if t.dep_ == "compound" and t.head.pos_ == "PROPN" and t.head.ent_type_ != "DATE":
        return False
    if t.dep_ != "compound" and any(c.dep_ in ("det", "poss") for c in t.children) and \
            not any(c.dep_ in ("nummod", "prep", "relcl", "acl") and c.lower_ in ("of",)
                    for c in t.children):
        return False  # "the March on Washington", "the Women's March"
    if t.lower_ == "may" and t.ent_type_ != "DATE":
        nxt = ctx.doc[t.i + 1] if t.i + 1 < len(ctx.doc) else None
        if t.i == t.sent.start and nxt is not None and nxt.pos_ in ("VERB", "AUX", "PRON"):
            return False
        if t.dep_ in ("nsubj", "compound") and t.ent_type_ != "DATE":
            return False
    return True


_LABEL_BEFORE_NUMBER = frozenset({
    "no.", "no", "number", "#", "flight", "route", "room", "page", "pages", "article",
    "resolution", "chapter", "section", "item", "rule", "bill", "model", "highway", "road",
    "street", "avenue", "box", "suite", "apartment", "unit", "platform", "gate", "channel",
    "code", "version", "vol.", "volume", "index", "russell", "russel", "ftse", "stoxx",
})
_COUNT_AFTER_NUMBER = frozenset({
    "people", "persons", "troops", "soldiers", "km", "kilometres", "kilometers", "miles",
    "metres", "meters", "feet", "ft", "tonnes", "tons", "dollars", "euros", "yuan", "won",
    "yen", "pounds", "cases", "deaths", "votes", "members", "jobs", "workers", "units",
    "employees", "residents", "hectares", "acres", "barrels", "points", "copies", "vehicles",
    "cars", "homes", "houses", "refugees", "migrants", "prisoners", "civilians", "police",
    "officers", "fighters", "militants", "rebels", "protesters", "students", "children",
    "victims", "families", "households", "calories", "mg", "kg", "lbs", "mph", "km/h",
})


def _is_year_token(ctx: _Doc, start: int, end: int, year: int) -> bool:
    """A four-digit number that is a year, not a count ("2000 troops") or a label."""
    toks = ctx.tokens(start, end)
    if not toks:
        return True
    t = toks[-1]
    prev = ctx.doc[t.i - 1] if t.i > 0 else None
    nxt = ctx.doc[t.i + 1] if t.i + 1 < len(ctx.doc) else None
    if prev is not None and prev.lower_ in _LABEL_BEFORE_NUMBER:
        return False
    if nxt is not None and nxt.lower_ in _COUNT_AFTER_NUMBER:
        return False
    if t.ent_type_ in ("MONEY", "PERCENT", "QUANTITY"):
        return False
    if t.ent_type_ == "DATE":
        return True
    if t.ent_type_ in ("FAC", "PRODUCT", "ORG", "LAW", "WORK_OF_ART") and t.ent_iob_ != "B":
        return False  # "Windows 2000", "Agenda 2030"
    if t.ent_type_ in ("CARDINAL", "ORDINAL"):
        if nxt is not None and nxt.tag_ == "NNS" and t.dep_ == "nummod" and \
                (prev is None or prev.lower_ not in ("the", "its", "their", "his", "her", "of")):
            return False
        if not (1950 <= year <= 2040) and (prev is None or prev.lower_ not in (
                "in", "since", "until", "of", "by", "from", "to", "and", "the", "before",
                "after", "during", "through", "between", "year")):
            return False
    return True


def _age_context(text: str, start: int, end: int) -> bool:
    after = text[end:end + 12].lower()
    before = text[max(0, start - 12):start].lower()
    if re.match(r"\s*-?\s*olds?\b", after) or re.match(r"\s+of\s+age\b", after):
        return True
    if re.search(r"\b(aged|ages|age|at)\s*$", before) and not re.match(r"\s+(ago|later)", after):
        return True
    return False


def _handle(ctx: _Doc, name: str, m: re.Match) -> list[_Found]:
    """Normalise one rule match. Returns zero, one or several expressions."""
    dct = ctx.dct
    text = ctx.text
    s, e = _span(m)
    s, e = _trim(text, s, e)
    g = m.groupdict()

    def out(value, kind="DATE", start=s, end=e, anchored=True, needs_day=False):
        return [_Found(start, end, kind, value, anchored, needs_day)]

    def rel(value_fn, kind="DATE", start=s, end=e):
        if dct is None:
            return [_Found(start, end, kind, None, False)]
        v = value_fn()
        return [_Found(start, end, kind, v, v is not None)]

    if name == "iso_date":
        d = _safe_date(int(g["y"]), int(g["m"]), int(g["d"]))
        return out(d.isoformat()) if d else []

    if name == "num_date":
        a, b, y = int(g["a"]), int(g["b"]), int(g["y"])
        if len(g["y"]) == 2:
            y = _yy_to_year(y, dct)
        mo, da = (a, b) if a <= 12 else (b, a)
        d = _safe_date(y, mo, da)
        return out(d.isoformat()) if d else []

    if name in ("mdy", "dmy"):
        mon = _month_num(g["mon"])
        day = _day_num(g["d"])
        if g.get("y"):
            d = _safe_date(int(g["y"]), mon, day)
            return out(d.isoformat()) if d else []
        if _safe_date(2000, mon, day) is None:
            return []
        if g["mon"].lower() == "may" and name == "mdy" and not g.get("wd"):
            toks = ctx.tokens(m.start("mon"), m.end("mon"))
            if toks and toks[0].tag_ == "MD":
                return []
        if g.get("wd") and dct is not None:
            # "Saturday, June 30": the weekday fixes the year when it can
            for k in (0, -1, 1):
                d = _safe_date(dct.year + k, mon, day)
                if d is not None and d.weekday() == _WEEKDAYS[g["wd"].lower()]:
                    return out(d.isoformat())
        tense = _context_tense(ctx, s, e)
        return rel(lambda: _resolve_month_day(dct, mon, day, _direction(tense, "date")))

    if name == "my":
        return out(_month_str(int(g["y"]), _month_num(g["mon"])))

    if name == "month":
        if g.get("plural"):
            return []
        ms, me = m.start("mon"), m.end("mon")
        if not g.get("pre") and not g.get("rel") and not _is_month_token(ctx, ms, me):
            return []
        mon = _month_num(g["mon"])
        r = (g.get("rel") or "").lower()
        ry = re.sub(r"\s+", " ", (g.get("ry") or "").lower())
        if ry in ("this", "last", "next"):
            # "October of next year": the month, then the year, as two expressions
            k = {"this": 0, "last": -1, "next": 1}[ry]
            ys = m.start("ry")
            if dct is None:
                return [_Found(s, m.end("mon"), "DATE", None, False),
                        _Found(ys, e, "DATE", None, False)]
            return [_Found(s, m.end("mon"), "DATE", _month_str(dct.year + k, mon)),
                    _Found(ys, e, "DATE", f"{dct.year + k:04d}")]
        if ry:
            return []
        if r in ("last", "past"):
            return rel(lambda: _resolve_month(dct, mon, _PAST, strict=True))
        if r in ("next", "coming"):
            return rel(lambda: _resolve_month(dct, mon, _FUTURE, strict=True))
        if r == "this":
            return rel(lambda: _month_str(dct.year, mon))
        tense = _context_tense(ctx, s, e)
        return rel(lambda: _resolve_month(dct, mon, _direction(tense, "month")))

    if name == "weekday":
        wd = _WEEKDAYS[g["wd"].lower()]
        if g.get("plural"):
            return out(f"XXXX-WXX-{wd + 1}", kind="SET")
        r = (g.get("rel") or "").lower()
        pod = (g.get("pod") or "").lower()
        kind = "TIME" if pod else "DATE"
        if not pod:
            e = m.end("wd")  # "Saturday's": the possessive is not part of it
        if r in ("last", "past"):
            fn = lambda: _resolve_weekday(dct, wd, _PAST, strict=True)  # noqa: E731
        elif r in ("next", "coming"):
            fn = lambda: _resolve_weekday(dct, wd, _FUTURE, strict=True)  # noqa: E731
        elif r == "this":
            fn = lambda: _resolve_weekday(dct, wd, _FUTURE)  # noqa: E731
        else:
            tense = _context_tense(ctx, s, e)
            direction = _direction(tense, "weekday")
            fn = lambda: _resolve_weekday(dct, wd, direction)  # noqa: E731
        suffix = f"T{_PARTS_OF_DAY[pod]}" if pod else ""
        return rel(lambda: fn().isoformat() + suffix, kind=kind, end=e)

    if name in ("year", "year_old"):
        y = int(g["y"])
        ys, ye = m.start("y"), m.end("y")
        pre = (g.get("pre") or "").lower()
        if name == "year_old":
            return out(f"{y:04d}", start=ys, end=ye)
        if not pre and not g.get("season") and not _is_year_token(ctx, ys, ye, y):
            return []
        if _age_context(text, ys, ye):
            return []
        if g.get("season"):
            si = _SEASONS[g["season"].lower()]
            return out(f"{y:04d}-{_SEASON_CODES[si]}")
        return out(f"{y:04d}")  # "fiscal 2019" and "mid-2011" keep the year

    if name == "year_range":
        y1 = int(g["y1"])
        y2s = g["y2"]
        if len(y2s) == 2:
            y2 = (y1 // 100) * 100 + int(y2s)
            if y2 < y1:
                y2 += 100
        else:
            y2 = int(y2s)
        if not (0 < y2 - y1 <= 30):
            return []
        if not _is_year_token(ctx, m.start("y1"), m.end("y1"), y1):
            return []
        return [_Found(m.start("y1"), m.end("y1"), "DATE", f"{y1:04d}"),
                _Found(m.start("y2"), m.end("y2"), "DATE", f"{y2:04d}")]

    if name == "year_short":
        before = text[max(0, m.start() - 12):m.start()].lower()
        if not re.search(r"\b(in|of|since|from|until|to|and|the|class|spring|summer|fall|"
                         r"autumn|winter)\s*$", before):
            return []
        return out(f"{_yy_to_year(int(g['yy']), dct):04d}")

    if name in ("season_rel", "season"):
        si = _SEASONS[g["season"].lower()]
        r = (g.get("rel") or "").lower()
        if name == "season" and g["season"].lower() == "fall" and not g.get("the") \
                and not g.get("pre"):
            return []
        if r in ("last", "past", "previous"):
            return rel(lambda: _resolve_season(dct, si, _PAST, strict=True))
        if r in ("next", "coming", "following"):
            return rel(lambda: _resolve_season(dct, si, _FUTURE, strict=True))
        if r == "this":
            return rel(lambda: _resolve_season(dct, si, _NEAREST))
        tense = _context_tense(ctx, s, e)
        return rel(lambda: _resolve_season(dct, si, _direction(tense, "season")))

    if name == "decade":
        dec = int(g["dec"])
        if dec % 100 == 0 and not g.get("pre"):
            return out(f"{dec // 100:02d}")  # "the 1900s": the century
        if not text[s:e].lower().startswith(("the", "early", "mid", "late")):
            before = text[max(0, s - 10):s].lower()
            if not re.search(r"\b(in|of|since|from|until|to|and|during|through|by)\s*$", before):
                return []
        return out(f"{dec // 10:03d}")

    if name == "decade_short":
        dd = int(g["dd"])
        century = 19 if dd >= 20 else 20
        return out(f"{century}{dd // 10}")

    if name == "decade_word":
        return out(f"19{_DECADE_WORDS[g['dw'].lower()]}")

    if name == "century":
        o = g["ord"].lower().replace(" ", "-")
        n = int(re.match(r"\d+", o).group()) if o[0].isdigit() else _ORDINALS.get(o)
        if not n or n > 21:
            return []
        return out(f"{n - 1:02d}")

    if name == "century_rel":
        r = g["rel"].lower()
        if r == "past":
            return out("P100Y", kind="DURATION")
        k = {"last": -1, "previous": -1, "this": 0, "current": 0, "next": 1}[r]
        return rel(lambda: f"{dct.year // 100 + k:02d}")

    if name == "quarter":
        qw = g["q"].lower()
        qn = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4,
              "4th": 4, "final": 4, "last": 4}[qw]
        if g.get("y"):
            return out(f"{int(g['y']):04d}-Q{qn}")
        r = (g.get("rel") or "").lower()
        if qw in ("last", "final") and not r:
            if qw == "last" or text[s:e].lower().startswith("the last"):
                # "the last quarter": the previous quarter
                def prev_q():
                    idx = dct.year * 4 + (dct.month - 1) // 3 - 1
                    return f"{idx // 4:04d}-Q{idx % 4 + 1}"
                return rel(prev_q)
        if r:
            k = {"this": 0, "the current": 0, "the same": 0, "the": 0, "last": -1,
                 "the previous": -1, "next": 1}.get(re.sub(r"\s+", " ", r), 0)
            return rel(lambda: f"{dct.year + k:04d}-Q{qn}")
        tense = _context_tense(ctx, s, e)
        d = _direction(tense, "quarter")
        return rel(lambda: _resolve_quarter(dct, qn, d))

    if name == "quarter_short":
        qn = int(g["q"][1])
        if g.get("y"):
            return out(f"{int(g['y']):04d}-Q{qn}")
        tense = _context_tense(ctx, s, e)
        d = _direction(tense, "quarter")
        return rel(lambda: _resolve_quarter(dct, qn, d))

    if name == "half":
        hn = 1 if g["h"].lower() == "first" else 2
        if g.get("y"):
            return out(f"{int(g['y']):04d}-H{hn}")
        k = {"this": 0, "the": 0, "last": -1, "next": 1}[g["rel"].lower()]
        return rel(lambda: f"{dct.year + k:04d}-H{hn}")

    if name == "rel_unit":
        unit = re.sub(r"\s+", " ", g["unit"].lower())
        r = g["rel"].lower()
        if unit == "fiscal year":
            unit = "year"
        if unit == "decade":
            if r in ("last", "past", "next", "coming", "previous", "following"):
                return out("P10Y", kind="DURATION")
            return rel(lambda: f"{dct.year // 10:03d}")
        if r in ("previous", "following", "same"):
            return [_Found(s, e, "DATE", None, False)]  # narrative: resolved later
        k = {"last": -1, "past": -1, "this": 0, "current": 0, "present": 0, "next": 1,
             "coming": 1}[r]
        if unit == "week":
            return rel(lambda: _iso_week(dct + timedelta(days=7 * k)))
        if unit == "weekend":
            def weekend():
                sat = dct + timedelta(days=(5 - dct.weekday()))  # Saturday of this ISO week
                if k == 0 and dct.weekday() < 4:
                    tense = _context_tense(ctx, s, e)
                    if tense == "past":
                        sat -= timedelta(days=7)
                sat += timedelta(days=7 * k)
                return _iso_week(sat) + "-WE"
            return rel(weekend)
        if unit == "month":
            return rel(lambda: _month_str(*_add_months(dct.year, dct.month, k)))
        if unit == "year":
            return rel(lambda: f"{dct.year + k:04d}")
        if unit == "quarter":
            def quarter():
                idx = dct.year * 4 + (dct.month - 1) // 3 + k
                return f"{idx // 4:04d}-Q{idx % 4 + 1}"
            return rel(quarter)
        return []

    if name == "period_of":
        pos = g["pos"].lower()
        unit = g["unit"].lower()
        tense = _context_tense(ctx, s, e)
        d = _direction(tense, "period")
        if unit == "year":
            month = {"end": 12, "turn": 12, "beginning": 1, "start": 1, "middle": 6}[pos]

            def year_of():
                v = _resolve_month(dct, month, d)
                return v[:4]
            return rel(year_of)
        if unit == "month":
            def month_of():
                if d == _PAST and pos in ("end", "middle") and dct.day < (25 if pos == "end" else 15):
                    return _month_str(*_add_months(dct.year, dct.month, -1))
                if d == _FUTURE and pos in ("beginning", "start") and dct.day > 5:
                    return _month_str(*_add_months(dct.year, dct.month, 1))
                return _month_str(dct.year, dct.month)
            return rel(month_of)
        return rel(lambda: _iso_week(dct))

    if name == "deictic":
        w = g["w"].lower()
        pod = (g.get("pod") or "").lower()
        if w == "tonight":
            if pod:
                return []
            return rel(lambda: dct.isoformat() + "TNI", kind="TIME")
        if w == "overnight":
            if pod:
                return []
            tense = _context_tense(ctx, s, e)
            back = 1 if tense in ("past", None) else 0
            return rel(lambda: (dct - timedelta(days=back)).isoformat() + "TNI", kind="TIME")
        off = {"today": 0, "yesterday": -1, "tomorrow": 1}[w]
        kind = "TIME" if pod else "DATE"
        suffix = f"T{_PARTS_OF_DAY[pod]}" if pod else ""
        if not pod:
            e = m.end("w")
        return rel(lambda: (dct + timedelta(days=off)).isoformat() + suffix, kind=kind, end=e)

    if name == "deictic2":
        off = -2 if g["w"].lower().startswith("before") else 2
        return rel(lambda: (dct + timedelta(days=off)).isoformat())

    if name == "pod":
        r = g["rel"].lower()
        pod = g["pod"].lower()
        if r == "last" and pod != "night":
            off = -1
        else:
            off = -1 if r == "last" else 0
        return rel(lambda: (dct + timedelta(days=off)).isoformat() + f"T{_PARTS_OF_DAY[pod]}",
                   kind="TIME")

    if name == "ago":
        n = _num(g["num"])
        unit = _unit_key(g["unit"])
        if text[s:e].lower().count("and a half"):
            n = (n or 0) + 0.5 if n is not None else None
        if n is None:
            return out("PAST_REF")
        n = int(n) if float(n).is_integer() else n

        def ago():
            if unit in ("day", "night"):
                return (dct - timedelta(days=int(n))).isoformat()
            if unit in ("week", "fortnight"):
                return (dct - timedelta(days=int(7 * n * (2 if unit == "fortnight" else 1)))
                        ).isoformat()
            if unit == "month":
                return _month_str(*_add_months(dct.year, dct.month, -int(n)))
            if unit == "quarter":
                idx = dct.year * 4 + (dct.month - 1) // 3 - int(n)
                return f"{idx // 4:04d}-Q{idx % 4 + 1}"
            if unit == "year":
                return f"{dct.year - int(n):04d}"
            if unit == "decade":
                return f"{(dct.year - 10 * int(n)) // 10:03d}"
            if unit == "century":
                return f"{dct.year // 100 - int(n):02d}"
            return dct.isoformat()  # hours, minutes ago: today
        return rel(ago)

    if name == "ago_vague":
        return out("PAST_REF")

    if name in _NARRATIVE_RULES:
        return [_Found(s, e, "DATE", None, False)]  # narrative: resolved in text order

    if name == "weekend":
        tense = _context_tense(ctx, s, e)
        direction = _direction(tense, "weekday")

        def weekend():
            sat = _resolve_weekday(dct, 5, direction)
            if direction == _PAST and dct.weekday() == 6:
                sat = dct - timedelta(days=1)
            return _iso_week(sat) + "-WE"
        return rel(weekend)

    if name == "duration":
        if _age_context(text, s, e):
            return []
        unit = g["unit"].lower()
        numtxt = g["num"].lower()
        if _unit_key(unit) == "quarter" and numtxt in ("a", "an", "one"):
            return []  # "a quarter of the vote"
        if _unit_key(unit) == "second" and numtxt in ("a", "an"):
            return []  # "a second time"
        n = _num(numtxt)
        if numtxt in ("some", "many") and not unit.endswith("s"):
            return []
        after = text[e:e + 30].lower()
        if re.match(r"\s+(?:ago|old)\b", after):
            return []
        if re.match(r"\s*-?\s*old\b", after):
            return []
        rel_word = (g.get("rel") or "").lower()
        if rel_word in ("first", "final", "initial") and not g.get("the"):
            pass
        value = _duration_value(n, unit)
        if g.get("apos"):
            e = m.end("apos")
        return out(value, kind="DURATION", end=e)

    if name == "duration_coord":
        # "between 12 and 18 months": two durations, the first borrowing the unit
        if _age_context(text, s, e):
            return []
        second = re.search(rf"(?P<n>\d+(?:\.\d+)?|{_NUMWORD})\s+\S+$", text[s:e], re.I)
        n1 = _num(g["num"])
        n2 = _num(second.group("n")) if second else None
        if n1 is None or n2 is None:
            return []
        return [_Found(s, m.end("num"), "DURATION", _duration_value(n1, g["unit"])),
                _Found(s + second.start(), e, "DURATION", _duration_value(n2, g["unit"]))]

    if name in ("duration_bare", "duration_recent", "duration_rel", "duration_over"):
        unit = g["unit"].lower()
        if _age_context(text, s, e):
            return []
        value = _duration_value(None, unit)
        return out(value, kind="DURATION")

    if name == "duration_adj":
        numtxt = g["num"].lower()
        if numtxt in ("multi",):
            n = None
        elif numtxt == "half":
            n = 0.5
        else:
            n = _num(numtxt)
            if n is None:
                return []
        return out(_duration_value(n, g["unit"]), kind="DURATION")

    if name == "duration_long":
        unit = g["unit"].lower()
        n = None if unit.endswith("s") else 1
        return out(_duration_value(n, unit), kind="DURATION")

    if name == "hms":
        h, mi, se = int(g["h"]), int(g["m"]), int(g["s"])
        parts = "".join(f"{v}{u}" for v, u in ((h, "H"), (mi, "M"), (se, "S")) if v)
        return out(f"PT{parts or '0S'}", kind="DURATION")

    if name in ("clock", "clock24", "noon"):
        if name == "noon":
            hh, mm = (12, None) if g["w"].lower() in ("noon", "midday") else (24, None)
        else:
            hh = int(g["h"])
            mm = int(g["m"]) if g.get("m") else None
        if name == "clock":
            ap = g["ap"].lower().replace(".", "")
            if hh > 12 or hh == 0:
                return []
            if ap == "pm" and hh != 12:
                hh += 12
            if ap == "am" and hh == 12:
                hh = 0
        if name == "clock24":
            # bare "15:00": only with a time zone, "at", or an unambiguous 24-hour hour
            if mm is None:
                return []
            if not (g.get("tz") or g.get("at") or g.get("wd")):
                return []
            sep = text[m.start("h"):m.end("m")]
            if ":" not in sep and "." not in sep and not g.get("tz"):
                return []
            if "." in sep and not g.get("tz"):
                return []
            if g.get("at"):
                s = m.start("h")  # the preposition is not part of the expression
        clock = f"T{hh:02d}" + (f":{mm:02d}" if mm is not None else "")
        tz = (g.get("tz") or g.get("tz2") or "").upper()
        if tz in ("UTC", "GMT") and mm is not None:
            clock += "Z"
        wd = (g.get("wd") or "").lower()
        if wd:
            if dct is None:
                return [_Found(s, e, "TIME", None, False)]
            if wd in _WEEKDAYS and re.search(r"\b(until|till)\s*$", text[max(0, m.start() - 8):m.start()]
                                             + (g.get("at") or "")):
                day = _resolve_weekday(dct, _WEEKDAYS[wd], _FUTURE)
            elif wd in _WEEKDAYS:
                tense = _context_tense(ctx, s, e)
                day = _resolve_weekday(dct, _WEEKDAYS[wd], _direction(tense, "weekday"))
            else:
                day = dct + timedelta(days={"today": 0, "yesterday": -1, "tomorrow": 1}[wd])
            return out(day.isoformat() + clock, kind="TIME", start=s)
        return [_Found(s, e, "TIME", clock, True, needs_day=True)]

    if name == "set_every":
        unit = g["unit"]
        ul = unit.lower()
        n = _num(g["num"]) if g.get("num") else 1
        if ul in _WEEKDAYS:
            return out(f"XXXX-WXX-{_WEEKDAYS[ul] + 1}", kind="SET")
        if ul in _MONTHS:
            return out(f"XXXX-{_MONTHS[ul]:02d}", kind="SET")
        if ul in _PARTS_OF_DAY:
            return out(f"XXXX-XX-XXT{_PARTS_OF_DAY[ul]}", kind="SET")
        if ul == "season":
            return out("P3M", kind="SET")
        if "other" in text[s:e].lower():
            n = 2 * (n or 1)
        return out(_duration_value(n or 1, unit), kind="SET")

    if name == "set_rate":
        return out(_duration_value(1, g["unit"]), kind="SET")

    if name == "set_freq":
        return out(_duration_value(1, g["unit"]), kind="SET")

    if name == "set_adv":
        w = g["w"].lower()
        value = {"hourly": "PT1H", "daily": "P1D", "nightly": "P1D", "weekly": "P1W",
                 "monthly": "P1M", "quarterly": "P3M", "annually": "P1Y", "yearly": "P1Y",
                 "biannually": "P6M", "biennially": "P2Y", "annual": "P1Y",
                 "biennial": "P2Y"}[w]
        return out(value, kind="SET")

    if name == "present_ref":
        w = re.sub(r"\s+", " ", g["w"].lower())
        if w == "now":
            after = text[e:e + 12].lower()
            if re.match(r"-(defunct|former|retired|deceased|closed|banned|ousted)", after):
                return []
        return out("PRESENT_REF")

    if name == "past_ref":
        return out("PAST_REF")

    if name == "future_ref":
        w = text[s:e].lower()
        if "term" in w:
            before = text[max(0, s - 12):s].lower()
            if not re.search(r"\b(in|over|for)\s+$", before):
                return []
            after = text[e:e + 3]
            if after.startswith("-"):
                return []
        return out("FUTURE_REF")

    if name == "holiday":
        h = re.sub(r"\s+", " ", g["h"].lower().replace("’", "'"))
        mon, day = _HOLIDAYS[h]
        if h == "independence day":
            return []  # differs by country
        tense = _context_tense(ctx, s, e)
        return rel(lambda: _resolve_month_day(dct, mon, day, _direction(tense, "date")))

    return []


# --------------------------------------------------------------------------- narrative


def _resolve_narrative(ctx: _Doc, name: str, m: re.Match, ref: str | None,
                       ref_day: str | None = None) -> str | None:
    """Value of "a week later", "the next day", "the previous year" against ``ref`` (the last
    date mentioned), or ``ref_day`` (the last day mentioned) for "the day"."""
    if name in ("day_ref", "day_ref2"):
        return ref_day
    if ref is None:
        return None
    g = m.groupdict()
    if name == "later":
        n = _num(g["num"])
        if n is None:
            return None
        direction = (g.get("dir") or g.get("dir2") or "").lower()
        sign = -1 if direction in ("earlier", "before", "prior", "previously") else 1
        return _shift(ref, g["unit"], sign * int(n))
    if name == "same_period":
        p = value_precision(ref)
        if p is None:
            return None
        shifted = _with_year(ref, int(g["y"]) if g.get("y") else int(ref[:4]) - 1)
        unit = g["unit"].lower()
        if shifted is None or p not in ("day", "week") or unit in ("period", "time", "day",
                                                                    "season"):
            return shifted
        if p == "week":
            d = date.fromisocalendar(int(shifted[:4]), int(shifted[6:8]), 4)
        else:
            d = date.fromisoformat(shifted)
        if unit == "week":
            return _iso_week(d)
        if unit == "month":
            return _month_str(d.year, d.month)
        return f"{d.year:04d}-Q{(d.month - 1) // 3 + 1}"  # quarter
    if name == "narrative2":
        sign = -1 if g["dir"].lower() in ("before", "earlier") else 1
        return _shift(ref, g["unit"], sign)
    if name == "narrative":
        r = re.sub(r"\s+", " ", g["rel"].lower())
        unit = g["unit"].lower()
        k = {"the next": 1, "the following": 1, "the previous": -1, "the preceding": -1}.get(r, 0)
        if unit in _PARTS_OF_DAY:
            base = _shift(ref, "day", k)
            if base is None or value_precision(base) != "day":
                return None
            return base + f"T{_PARTS_OF_DAY[unit]}"
        if unit == "week":
            if value_precision(ref) == "day":
                return _iso_week(date.fromisoformat(ref[:10]) + timedelta(days=7 * k))
            return _shift(ref, "week", k) if value_precision(ref) == "week" else None
        if unit == "month":
            p = value_precision(ref)
            if p in ("day", "month"):
                return _shift(ref[:7], "month", k)
            return None
        if unit == "year":
            return _shift(ref[:4], "year", k) if value_precision(ref) else None
        if unit == "day":
            return _shift(ref, "day", k) if value_precision(ref) == "day" else None
    if name == "rel_unit":
        r = g["rel"].lower()
        unit = re.sub(r"\s+", " ", g["unit"].lower())
        if unit == "fiscal year":
            unit = "year"
        k = {"previous": -1, "following": 1, "same": 0}.get(r, 0)
        p = value_precision(ref)
        if unit == "year":
            return f"{int(ref[:4]) + k:04d}" if p else None
        if unit == "month" and p in ("day", "month"):
            return _shift(ref[:7], "month", k)
        if unit == "week" and p == "day":
            return _iso_week(date.fromisoformat(ref[:10]) + timedelta(days=7 * k))
        if unit == "quarter" and p in ("day", "month", "quarter"):
            if p == "quarter":
                idx = int(ref[:4]) * 4 + int(ref[6]) - 1 + k
            else:
                idx = int(ref[:4]) * 4 + (int(ref[5:7]) - 1) // 3 + k
            return f"{idx // 4:04d}-Q{idx % 4 + 1}"
        return None
    return None


def _with_year(ref: str, year: int) -> str | None:
    """The same period as ``ref`` in another year (2020-02 -> 2019-02, 2020-W05 -> 2019-W05)."""
    p = value_precision(ref)
    if p == "day":
        d = date.fromisoformat(ref[:10])
        return (_safe_date(year, d.month, d.day) or date(year, d.month, 28)).isoformat()
    if p == "week":
        iso_year, week = int(ref[:4]), int(ref[6:8])
        monday = date.fromisocalendar(iso_year, week, 1)
        return _iso_week(monday + timedelta(weeks=52 * (year - iso_year)))
    if p in ("month", "season", "quarter", "half"):
        return f"{year:04d}" + ref[4:]
    if p == "year":
        return f"{year:04d}"
    return None


_NARRATIVE_RULES = frozenset({"later", "narrative", "narrative2", "day_ref", "day_ref2",
                              "same_period"})
_ANCHOR_PRECISIONS = frozenset({"day", "week", "month", "year", "quarter", "season"})


# --------------------------------------------------------------------------- public API


def find_times(doc, published: str | None) -> list[TimeExpression]:
    """All time expressions of an article, normalised against its publication date.

    ``doc`` is a spaCy Doc of the article body; offsets are character offsets into
    ``doc.text``. ``published`` is an ISO date (or timestamp) string, or None.
    """
    text = doc.text
    dct = parse_published(published)
    ctx = _Doc(doc, dct, text)

    # expressions never run across a line break
    scan = text.replace("\r", "\x00").replace("\n", "\x00")
    gates = _Scan(scan)
    cands = []
    for name, rx in _RULES:
        for lo, hi in gates.runs(name):
            for m in rx.finditer(scan, lo, hi):
                start, end = _span(m)
                if end <= start:
                    continue
                cands.append((start, end, name, m))
    # longest first, then rule order; keep non-overlapping matches
    cands.sort(key=lambda c: (-(c[1] - c[0]), _RULE_ORDER[c[2]], c[0]))
    taken: list[tuple[int, int]] = []
    chosen = []
    for start, end, name, m in cands:
        if any(start < e and s < end for s, e in taken):
            continue
        try:
            found = _handle(ctx, name, m)
        except (ValueError, KeyError, IndexError, OverflowError):
            found = []  # an impossible date ("Feb. 30, 2019") is no expression
        if not found:
            continue
        taken.append((start, end))
        chosen.append((start, name, m, found))
    chosen.sort(key=lambda c: c[0])

    results: list[TimeExpression] = []
    ref: str | None = dct.isoformat() if dct else None
    ref_day: str | None = ref
    pending_times: list[int] = []
    for _, name, m, found in chosen:
        for f in found:
            value, anchored = f.value, f.anchored
            narrative = name in _NARRATIVE_RULES or (
                name == "rel_unit" and f.kind == "DATE"
                and m.group("rel").lower() in ("previous", "following", "same"))
            if narrative:
                try:
                    value = _resolve_narrative(ctx, name, m, ref, ref_day)
                except (ValueError, KeyError, IndexError, OverflowError):
                    value = None
                anchored = value is not None
            kind = f.kind
            prec = value_precision(value) if kind in ("DATE", "TIME") else None
            if f.needs_day:
                pending_times.append(len(results))
                prec = None
            results.append(TimeExpression(start=f.start, end=f.end, text=text[f.start:f.end],
                                          value=value, precision=prec, kind=kind,
                                          anchored=anchored))
            if kind in ("DATE", "TIME") and value and prec in _ANCHOR_PRECISIONS:
                ref = value[:10] if prec == "day" else value
                if prec == "day":
                    ref_day = value[:10]

    # clock times take their day from a day-level date in the same sentence, else the DCT
    for idx in pending_times:
        te = results[idx]
        day = None
        sent_bounds = ctx.sentence_bounds(te.start)
        best = None
        for other in results:
            if other is te or other.kind not in ("DATE", "TIME") or other.precision != "day":
                continue
            if not (sent_bounds[0] <= other.start < sent_bounds[1]):
                continue
            dist = abs(other.start - te.start)
            if best is None or dist < best[0]:
                best = (dist, other.value[:10])
        if best is not None:
            day = best[1]
        elif dct is not None:
            day = dct.isoformat()
        if day is None:
            results[idx] = TimeExpression(te.start, te.end, te.text, None, None, "TIME", False)
        else:
            results[idx] = TimeExpression(te.start, te.end, te.text, day + te.value, "day",
                                          "TIME", True)
    return results


# --------------------------------------------------------------------------- event dating

_SKIP_VALUES = frozenset({"PAST_REF", "FUTURE_REF"})


def _date_of(te: TimeExpression, pub: date | None) -> tuple[str, str] | None:
    """(value, precision) usable as an event date, or None."""
    if te.kind not in ("DATE", "TIME") or not te.value or not te.anchored:
        return None
    v = te.value
    if v == "PRESENT_REF":
        return (pub.isoformat(), "day") if pub else None
    if v in _SKIP_VALUES or v.startswith("P") or "X" in v:
        return None
    if "T" in v:
        v = v.split("T")[0]
    if v.endswith("-WE"):
        v = v[:-3]
    prec = value_precision(v)
    if prec is None:
        return None
    return v, prec


def _is_verbal(tok) -> bool:
    return tok.pos_ in ("VERB", "AUX")


def _clause_chain(trig) -> list:
    """The trigger, its clause verb, and the verbs it shares a time with: heads reached
    through xcomp, conj and participial or when/as/while adverbial clauses."""
    chain = [trig]
    v = trig if _is_verbal(trig) else _verb_of(trig)
    if v is None:
        return chain
    if v.i != trig.i:
        chain.append(v)
    seen = {t.i for t in chain}
    for _ in range(10):
        if v.head.i == v.i:
            break
        dep = v.dep_
        if dep == "advcl":
            marks = {c.lower_ for c in v.children if c.dep_ in ("mark", "advmod")}
            finite = v.tag_ in ("VBD", "VBZ", "VBP", "MD") or any(
                c.dep_ in ("aux", "auxpass") for c in v.children)
            if finite and not marks & {"when", "as", "while", "whilst", "once"}:
                break
        elif dep not in ("xcomp", "conj"):
            break
        nxt = v.head if _is_verbal(v.head) else _verb_of(v.head)
        if nxt is None or nxt.i in seen:
            break
        chain.append(nxt)
        seen.add(nxt.i)
        v = nxt
    return chain


_WHEN_MARKS = frozenset({"when", "as", "while", "whilst"})


def event_date(doc, token_i: int, times: list[TimeExpression],
               published: str | None) -> tuple[str | None, str | None, str | None, str]:
    """Date an event whose trigger is token ``token_i`` of ``doc``.

    Returns ``(value, precision, date_text, date_source)``:

    * ``clause``: a time expression attached (in the dependency tree) to the trigger, to its
      clause verb, or to a verb sharing its time (xcomp, conjuncts, participial and
      when-clauses), or one whose relative/when-clause the trigger sits in;
    * ``sentence``: else the nearest datable expression of the same sentence that does not
      belong to another clause (it hangs on no verb, or on a verb above the trigger, as with
      "said on Saturday that ...");
    * ``publication``: else the publication date, precision day;
    * ``none``: no date at all.

    Durations, sets, PAST_REF/FUTURE_REF and unresolved expressions never date an event.
    PRESENT_REF ("now", "currently") dates it to the publication day, with the source of its
    attachment (clause or sentence). Times of day give their day; "2020-W27-WE" gives the week.
    """
    pub = parse_published(published)
    trig = doc[token_i]
    sent = trig.sent if doc.has_annotation("SENT_START") else doc[:]
    # (expression, (value, precision), span, token ids, path ids, governing verb, adverbial)
    infos = []
    for te in times:
        dv = _date_of(te, pub)
        if dv is None:
            continue
        if not (sent.start_char <= te.start < sent.end_char):
            continue
        span = doc.char_span(te.start, te.end, alignment_mode="expand")
        if span is None or len(span) == 0:
            continue
        ids = {t.i for t in span}
        path: list[int] = []
        gov = None
        adverbial = True  # reaches its verb through prepositions only, not through a noun
        t = span.root
        for _ in range(40):
            if t.head.i == t.i:
                break
            t = t.head
            if t.i in ids:
                continue
            path.append(t.i)
            if _is_verbal(t):
                gov = t
                break
            if t.pos_ not in ("ADP", "SCONJ", "ADV", "PART", "CCONJ", "PUNCT"):
                adverbial = False
        infos.append((te, dv, span, ids, path, gov, adverbial))

    def result(x, source):
        return x[1][0], x[1][1], x[0].text, source

    def nearest(xs):
        return min(xs, key=lambda x: _tok_dist(x[2], trig))

    if infos:
        chain = _clause_chain(trig)
        # 1. clause: the expression hangs on the trigger or on a verb of its clause chain
        for node in chain:
            hits = [x for x in infos if node.i in x[4] and _hangs_on(doc, x[4], node.i, trig.i)]
            if node.i != trig.i:
                hits = [x for x in hits if (x[5] is not None and x[5].i == node.i)
                        or trig.i in x[4]]
            if hits:
                return result(nearest(hits), "clause")
        # ... or on a when/as/while clause below a chain verb
        for node in chain:
            hits = [x for x in infos if x[5] is not None and x[5].dep_ == "advcl"
                    and x[5].head.i == node.i
                    and {c.lower_ for c in x[5].children if c.dep_ in ("mark", "advmod")}
                    & _WHEN_MARKS]
            if hits:
                return result(nearest(hits), "clause")
        # ... or the trigger's clause is a relative/adverbial clause of the expression, or
        # of a noun the expression modifies ("the Tuesday statement, which denounced ...")
        for node in chain:
            if node.dep_ in ("relcl", "advcl", "acl") and node.head.i != node.i:
                for x in infos:
                    if node.head.i in x[3]:
                        return result(x, "clause")
                for x in infos:
                    if x[4] and _hangs_on(doc, x[4], node.head.i, node.head.i) \
                            and doc[node.head.i].pos_ in ("NOUN", "PROPN"):
                        return result(x, "clause")
        # 2. sentence: nearest expression not attached to another clause's verb
        above = set()
        for node in chain:
            above.add(node.i)
            above.update(a.i for a in node.ancestors)
        free = [x for x in infos if x[5] is None or (x[5].i in above and x[6])]
        if free:
            return result(nearest(free), "sentence")
    if pub is not None:
        return pub.isoformat(), "day", None, "publication"
    return None, None, None, "none"


def _hangs_on(doc, path: list[int], node_i: int, trig_i: int) -> bool:
    """True when the path from an expression up to ``node_i`` passes through prepositions
    (or the trigger) only: "on Saturday dismissed", not "a repeat of 2018" for "hopes"."""
    for i in path:
        if i == node_i:
            return True
        if i == trig_i:
            continue
        if doc[i].pos_ not in ("ADP", "SCONJ", "ADV", "PART", "CCONJ", "PUNCT"):
            return False
    return False


def _tok_dist(span, tok) -> int:
    if span.start <= tok.i < span.end:
        return 0
    return min(abs(span.start - tok.i), abs(span.end - 1 - tok.i))
