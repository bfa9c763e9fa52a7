"""Resolve actors in one parsed article.

Every noun phrase that refers to an actor gets a :class:`Hit` (which actor, how it was
resolved, where). Resolution runs in document order so that later mentions lean on earlier
ones: surnames after full names, pronouns, "the statement", "the two sides", "the North".
The event and quote stages only read the hits; they never re-resolve.
"""
from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from ..records import Actor, ActorRef, Mention
from .dictionary import ActorDictionary, Entry, to_day

PERSON_PRONOUNS = {"he", "she", "him", "his", "her", "hers", "himself", "herself"}
THING_PRONOUNS = {"it", "its", "itself"}
PLURAL_PRONOUNS = {"they", "them", "their", "theirs", "themselves"}
STATEMENT_NOUNS = {"statement", "article", "report", "commentary", "editorial", "communique", "communiqué",
                   "announcement", "letter", "declaration", "message", "dispatch", "release", "notice",
                   "broadcast", "bulletin", "memo", "memorandum", "op-ed", "post", "tweet"}
PAIR_NOUNS = {"side", "country", "nation", "leader", "government", "korea", "party", "neighbour", "neighbor",
              "state", "rival", "ally", "power", "capital", "administration", "president", "delegation"}
SPEECH_LEMMAS = {"say", "tell", "state", "announce", "add", "warn", "claim", "insist", "declare", "note", "stress",
                 "write", "report", "quote", "argue", "assert", "suggest", "accuse", "deny", "explain",
                 "comment", "remark", "emphasize", "emphasise", "reiterate", "urge", "threaten", "vow"}
SECTOR_NAMES = {"GOV": "government", "MIL": "military", "COP": "police", "JUD": "judiciary", "LEG": "legislature",
                "OPP": "opposition", "REB": "rebels", "INS": "insurgents", "SEP": "separatists", "CVL": "civilians",
                "REF": "refugees", "BUS": "business", "MED": "media", "NGO": "NGOs", "REL": "religious leaders",
                "EDU": "education", "HLH": "health sector", "LAB": "labour", "AGR": "agriculture", "ELI": "elites",
                "PTY": "party", "SPY": "intelligence", "UAF": "armed group", "HRI": "rights activists",
                "CRM": "criminals", "IGO": "international force"}
PLACE_PREPS = {"in", "at", "near", "inside", "outside", "around", "throughout", "across", "within", "into"}
SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj", "agent", "expl"}
KIND_PRIORITY = {"person": 0, "organisation": 1, "group": 1, "state": 2}


@dataclass
class Hit:
    """What one noun phrase refers to."""

    actor: int | None  # index into DocActors.actors; None when unresolved
    start: int  # character span of the words
    end: int
    text: str
    how: str
    head: int  # token index of the phrase head
    place: bool = False  # a location ("in Seoul"), not an agent
    members: tuple[int, ...] = ()  # pair/compound: actor indices
    surface: str = "thing"  # person or thing: what pronouns can point back to
    sector: str | None = None  # for unresolved agent phrases

    @property
    def resolved(self) -> bool:
        return self.actor is not None or bool(self.members)


# demonyms that name a citizenship, not an ethnicity: an adjective before them is the origin
CITIZENSHIP_DEMONYMS = {"cypriots", "cypriot", "americans", "canadians", "australians", "britons", "indonesians",
                        "malaysians", "singaporeans", "israelis", "brazilians", "argentines", "new zealanders"}
CITIZENSHIP_ADJECTIVES = {"cypriot", "american", "israeli", "canadian", "australian", "british", "indonesian",
                          "malaysian", "singaporean", "brazilian", "argentine"}
# states that seceded from another, which is their code before independence
SECEDED = {"SSD": ("SDN", dt.date(2011, 7, 9)), "ERI": ("ETH", dt.date(1993, 5, 24))}


@dataclass
class DocActors:
    doc: Doc
    dictionary: ActorDictionary
    published: str | None
    actors: list[Actor] = field(default_factory=list)
    hits: dict[int, Hit] = field(default_factory=dict)  # token index -> hit (names: every token)
    places: list = field(default_factory=list)  # PlaceMentions of the article, in text order
    _by_key: dict[str, int] = field(default_factory=dict)

    # --- access ---------------------------------------------------------------------
    def at(self, tok: Token | int) -> Hit | None:
        i = tok if isinstance(tok, int) else tok.i
        return self.hits.get(i)

    def code_on(self, actor_index: int, date: str | None) -> str | None:
        actor = self.actors[actor_index]
        if actor.kind == "person" and self.dictionary.person(actor.name) is not None:
            code, _ = self.dictionary.person_code(actor.name, to_day(date) or to_day(self.published))
            return code
        code = actor.code
        if code and code[:3] in SECEDED:
            # Juba in 2000 is in Sudan: a state that seceded is its parent before independence
            day = to_day(date) or to_day(self.published)
            parent, independence = SECEDED[code[:3]]
            if day is not None and day < independence:
                code = parent + code[3:]
        return code

    def ref(self, hit: Hit, date: str | None = None, member: int | None = None) -> ActorRef:
        index = member if member is not None else hit.actor
        if index is None:
            return ActorRef(code=None, name=hit.text, text=hit.text, start=hit.start, end=hit.end, kind=None)
        actor = self.actors[index]
        return ActorRef(code=self.code_on(index, date), name=actor.name, text=hit.text, start=hit.start,
                        end=hit.end, kind=actor.kind, actor_id=actor.id)

    def refs(self, hit: Hit, date: str | None = None) -> list[ActorRef]:
        if hit.members:
            return [self.ref(hit, date, m) for m in hit.members]
        return [self.ref(hit, date)]

    # --- building -------------------------------------------------------------------
    def actor_index(self, key: str, name: str, code: str | None, kind: str, how: str, **extra) -> int:
        if key in self._by_key:
            return self._by_key[key]
        self.actors.append(Actor(id=f"a{len(self.actors) + 1}", name=name, code=code, kind=kind, how=how, **extra))
        self._by_key[key] = len(self.actors) - 1
        return len(self.actors) - 1

    def add_mention(self, hit: Hit) -> None:
        if hit.actor is None:
            return
        mentions = self.actors[hit.actor].mentions
        if not any(m.start == hit.start and m.end == hit.end for m in mentions):
            mentions.append(Mention(hit.start, hit.end, hit.text, hit.how))


# particles inside names, written either case ("el-Bashir", "El-Bashir", "bin", "van der")
NAME_PARTICLES = {"al", "el", "bin", "ibn", "bint", "abu", "de", "da", "di", "du", "van", "von", "der", "den", "la", "le"}


# "Syrian-backed militia", "Israeli-occupied West Bank": the state qualifies, it is not the actor
NOT_OWNER_PARTICIPLES = {"backed", "funded", "supported", "sponsored", "occupied", "held", "annexed", "administered",
                         "allied", "aligned", "friendly", "trained", "armed", "brokered", "mediated", "imposed",
                         "controlled", "dominated", "influenced", "inspired", "based", "born", "made", "built"}


# nouns naming another party by its relation to the possessor: "Israel's ally" is not Israel
RELATIONAL_NOUNS = {"ally", "proxy", "surrogate", "client", "enemy", "foe", "rival", "adversary", "opponent",
                    "neighbour", "neighbor", "partner", "protege", "protégé", "patron", "sponsor"}


def stance_only(tok: Token) -> bool:
    """A state named only inside a qualifying compound: "anti-Syria journalist", "pro-Iranian
    group", "Syrian-backed militia", "Israeli-occupied territory", or as the other party of a
    relation: "Israel's militia ally", "Iran's proxies"."""
    doc = tok.doc
    if tok.dep_ == "poss" and tok.head.lemma_.lower() in RELATIONAL_NOUNS:
        return True
    if tok.i >= 2 and doc[tok.i - 1].text in ("-", "–") and doc[tok.i - 2].lower_ in ("anti", "pro", "non", "ex", "post"):
        return True
    if tok.i + 2 < len(doc) and doc[tok.i + 1].text in ("-", "–") and doc[tok.i + 2].lower_ in NOT_OWNER_PARTICIPLES:
        return True
    return False


# nouns a nationality adjective qualifies as a language or a culture, not as the state's
LANGUAGE_NOUNS = {"language", "languages", "dialect", "tongue", "alphabet", "script", "accent", "translation",
                  "speaker", "speakers", "literature", "cuisine", "grammar", "spelling", "subtitles"}


def _names_a_language(span: Span) -> bool:
    """"the Russian language", "Russian-language broadcasts", "Russian-speaking residents": a
    language, not the state whose name it shares."""
    doc, root = span.doc, span.root
    if root.dep_ in ("amod", "compound", "nmod") and root.head.lower_ in LANGUAGE_NOUNS and root.head.i > root.i:
        return True
    nxt = span.end
    return nxt + 1 < len(doc) and doc[nxt].text in ("-", "–") and \
        doc[nxt + 1].lower_ in ("language", "speaking", "speaker", "speakers", "medium")


def _audience(tok: Token) -> bool:
    """Reporters or the public addressed by a speaker: "told reporters", "said to journalists"."""
    if tok.lemma_.lower() not in AUDIENCE_NOUNS:
        return False
    head = tok.head
    if tok.dep_ in ("dobj", "dative") and head.lemma_.lower() in ("tell", "brief", "inform", "address", "assure"):
        return True
    return tok.dep_ == "pobj" and head.lower_ == "to" and head.head.lemma_.lower() in (
        "say", "speak", "talk", "explain", "announce", "tell", "write")


def _trim_span(span: Span) -> Span:
    """A name without a leading "the" and trailing punctuation."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end and (doc[start].lower_ == "the" or doc[start].is_punct):
        start += 1
    while end > start and doc[end - 1].is_punct:
        end -= 1
    return doc[start:end]


def _citizenship_first(tokens: list[Token]) -> list[Token]:
    """"Greek Cypriot voters": of two nationality words, a citizenship wins; a coordination
    ("US and British activists") keeps its order."""
    if any(t.dep_ in ("conj", "cc") or any(g.dep_ in ("conj", "cc") for g in t.children) for t in tokens):
        return tokens
    return sorted(tokens, key=lambda t: t.lower_.rstrip("s") not in CITIZENSHIP_ADJECTIVES)


def _singular(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    if word.endswith("men"):
        return word[:-3] + "man"
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def _case_ok(doc_toks: list[Token], alias_toks: tuple[str, ...]) -> bool:
    for tok, a in zip(doc_toks, alias_toks):
        if tok.text == a:
            continue
        if not a[:1].isalpha() or a.lower() in NAME_PARTICLES:  # "el-Bashir" / "El-Bashir", "bin Salman"
            if tok.text.lower() != a.lower():
                return False
            continue
        if a.isupper() and len(a) > 1:  # acronyms match exactly, or in an all-caps headline
            return False
        if a[:1].isupper() and not (tok.text[:1].isupper()):
            return False
    return True


def _is_place(tok: Token) -> bool:
    head = tok
    while head.dep_ in ("compound", "flat", "appos", "conj") and head.head.i != head.i:
        head = head.head
    return head.dep_ == "pobj" and head.head.lower_ in PLACE_PREPS


GOVERNMENT_NOUNS = {"administration", "government", "regime", "cabinet", "presidency", "junta"}
# titles that pick one of several people sharing a surname ("President Bush", "Chancellor Kohl")
SHORT_FORM_TITLES = {"president", "minister", "chancellor", "king", "queen", "premier", "secretary", "emir",
                     "sheikh", "prince", "general", "gen.", "governor", "senator", "ayatollah", "sultan"}


# words that make a body's name a civil-society name: "Association of ...", "... Foundation"
# (not "council", "committee", "union", "movement", "league", "alliance": as often organs of a state or parties)
CIVIL_BODY_WORDS = {"association", "society", "foundation", "institute", "forum", "network", "observatory",
                    "centre", "center"}
# verbs of saying whose reported clause's pronoun subject is usually the sayer
SAYING_VERBS = {"say", "tell", "announce", "claim", "insist", "state", "declare", "add", "warn", "vow", "pledge",
                "promise", "threaten", "confirm", "deny", "admit", "acknowledge", "report", "explain", "reply"}
# nouns for an audience, which a story's one state in view does not make that state's
AUDIENCE_NOUNS = {"reporter", "journalist", "public", "press", "audience", "listener", "viewer", "reader"}
# title words that say only that someone speaks for or leads a body: the body's sector is theirs
GENERIC_TITLE_WORDS = {"envoy", "leader", "spokesman", "spokeswoman", "spokesperson", "official", "head", "chief",
                       "chairman", "chairwoman", "chair", "representative", "aide", "adviser", "advisor", "member",
                       "emissary", "negotiator", "delegate", "secretary-general", "director"}
# titles and pronouns that tell a person's gender
GENDER_TITLES = {"mr": "m", "mr.": "m", "sir": "m", "king": "m", "prince": "m", "lord": "m", "emperor": "m",
                 "mrs": "f", "mrs.": "f", "ms": "f", "ms.": "f", "miss": "f", "madam": "f", "madame": "f", "mme": "f",
                 "queen": "f", "princess": "f", "lady": "f", "dame": "f", "baroness": "f", "empress": "f",
                 "sheikha": "f", "begum": "f", "daw": "f"}
PRONOUN_GENDERS = {"he": "m", "him": "m", "his": "m", "himself": "m",
                   "she": "f", "her": "f", "hers": "f", "herself": "f"}
# irregular armed actors' sectors: militias, rebels, insurgents, separatists, gangs, mobs
IRREGULAR_SECTORS = {"UAF", "REB", "INS", "SEP", "CRM", "MOB"}
# titles that only someone who held the office bears: a namesake without it is someone else
CHECKED_TITLES = {"senator", "governor", "general", "gen."}


class Resolver:
    def __init__(self, doc: Doc, dictionary: ActorDictionary, published: str | None, gazetteer=None):
        self.gazetteer = gazetteer
        self.doc = doc
        self.d = dictionary
        self.day = to_day(published)
        self.out = DocActors(doc, dictionary, published)
        self.short_index: dict[str, int] = {}  # in-article short name -> actor
        self.history: list[Hit] = []  # resolved hits in document order
        self._genders: dict[int, str | None] = {}  # actor index -> gender, once worked out
        self.ents = tuple(doc.ents)  # (spaCy builds the spans anew on every access)
        self.last_speaker: int | None = None
        self.sector_memory: dict[str, int] = {}
        self.lowers = [t.lower_ for t in doc]
        # a plural the tagger took for a name ("Rebels in Mali blocked ..." at a sentence start) is
        # lemmatised by its regular singular
        self.lemmas = [t.lemma_.lower() for t in doc]
        for i, low in enumerate(self.lowers):
            if low.endswith("s") and low == self.lemmas[i]:
                t = doc[i]
                if t.tag_ == "NNPS" or t.pos_ == "PROPN" and t.is_sent_start:
                    self.lemmas[i] = _singular(low)
        self._agent_cache: dict[int, tuple | None] = {}

    # 1. dictionary names ---------------------------------------------------------------
    def match_names(self) -> list[tuple[int, int, Entry]]:
        doc, d = self.doc, self.d
        # "Bosnian Serbs", "Iraqi Kurds": a plural is a people, not a person, whatever the tagger says
        person_ents = [(e.start, e.end) for e in self.ents if e.label_ == "PERSON" and e[-1].tag_ not in ("NNS", "NNPS")]
        matches: list[tuple[int, int, Entry]] = []
        i = 0
        n = len(doc)
        while i < n:
            key0 = doc[i].lower_
            maxlen = d.first.get(key0, 0)
            found = None
            for length in range(min(maxlen, n - i), 0, -1):
                key = tuple(t.lower_ for t in doc[i:i + length])
                slot = d.names.get(key)
                if not slot:
                    continue
                cands = [(e, toks) for e, toks in slot.values() if _case_ok(list(doc[i:i + length]), toks)]
                dated = [c for c in cands if c[0].covers(self.day)]
                cands = dated or [c for c in cands if c[0].start is None and c[0].end is None] or cands
                if not cands:
                    continue
                cands.sort(key=lambda c: (KIND_PRIORITY.get(c[0].kind, 3), c[0].via != "name"))
                found = (i, i + length, cands)
                break
            if found:
                s, e, cands = found
                entry = cands[0][0]
                # a state name inside a longer person name ("Jordan Peterson") is not the state
                inside_person = any(ps <= s and e <= pe and (pe - ps) > (e - s) for ps, pe in person_ents)
                if not (inside_person and entry.kind != "person"):
                    matches.append((s, e, entry))
                i = e
            else:
                i += 1
        mentioned = {m[2].country for m in matches if m[2].kind == "state" and m[2].via != "nickname"}
        kept = []
        for s, e, entry in matches:
            if entry.via == "nickname":
                if entry.requires and not (mentioned & set(entry.requires)):
                    continue
                if entry.needs_the and (s == 0 or doc[s - 1].lower_ != "the"):
                    continue
            kept.append((s, e, entry))
        return kept

    def name_hit(self, s: int, e: int, entry: Entry) -> Hit:
        doc = self.doc
        span = doc[s:e]
        if entry.needs_the and s > 0:
            span = doc[s - 1:e]
        if entry.kind == "person":
            person = self.d.person(entry.name)
            code, role = person.role_on(self.day) if person else (None, None)
            idx = self.out.actor_index(entry.key, entry.name, code, "person", "dictionary",
                                       country=person.country if person else None, role=role)
            toks = [t.text for t in doc[s:e] if t.text[:1].isalpha()]
            for short in {toks[0], toks[-1]} if len(toks) > 1 else set():
                self.short_index[short.lower()] = idx
            for form in (person.aliases if person else ()):
                ft = [t for t in self.d.tokens(form) if t[:1].isalpha()]
                if len(ft) > 1:
                    self.short_index.setdefault(ft[0].lower(), idx)
                    self.short_index.setdefault(ft[-1].lower(), idx)
            surface = "person"
        else:
            base = self.d.entries.get(entry.key, entry)
            sector = entry.code[3:6] if entry.code and len(entry.code) >= 6 and not entry.code.startswith("IGO") else None
            idx = self.out.actor_index(entry.key, base.name, entry.code, entry.kind, "dictionary",
                                       country=entry.country, sector=sector)
            surface = "thing"
        head = span.root
        return Hit(idx, span.start_char, span.end_char, span.text, entry.via if entry.via != "name" else "dictionary",
                   head.i, place=entry.kind == "state" and _is_place(head), surface=surface)

    def places(self, out: DocActors) -> None:
        """Towns and regions of the gazetteer stand for their state where no actor name is
        ("shelled Juba", "a roadside bomb near Samarra"); every place named is kept."""
        from ..places import find_places

        # the states the article names (a capital is itself a place name to settle, not context)
        named = {(self.out.actors[h.actor].code or "")[:3] for h in out.hits.values()
                 if h.actor is not None and self.out.actors[h.actor].kind == "state" and h.how != "capital"}
        out.places = find_places(self.doc, self.gazetteer, named - {""})
        for m in out.places:
            place = m.place
            if place.kind == "water":
                # "the Sea of Japan", "the Gulf of Mexico": a sea, not the state in its name
                span = self.doc.char_span(m.start, m.end, alignment_mode="expand")
                if span is not None:
                    for i in range(span.start, span.end):
                        h = out.hits.get(i)
                        if h is not None and h.actor is not None and out.actors[h.actor].kind == "state":
                            del out.hits[i]
                continue
            if place.is_country or not place.country:
                continue
            span = self.doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None:
                continue
            if not m.locative and (m.how != "entity" or span.start > 0 and self.doc[span.start - 1].pos_ == "PROPN"):
                continue  # "Kenzo Oshima": a name next to a name is a person's, not a town
            taken = [out.hits[i] for i in range(span.start, span.end) if i in out.hits]
            if taken:
                # a capital the dictionary knows, placed elsewhere by the article ("Tripoli ... the
                # north Lebanese port"): the gazetteer's reading wins; any other actor name stays
                h = taken[0]
                if not (h.how == "capital" and len({id(x) for x in taken}) == 1 and h.start == m.start
                        and (out.actors[h.actor].code or "")[:3] != place.country):
                    continue
            code = place.code if place.code and place.code in self.d.countries else place.country
            state = self.d.countries.get(code) or self.d.countries.get(place.country)
            if state is None:
                continue
            idx = out.actor_index(state.key, state.name, state.code, "state", "dictionary", country=state.code[:3])
            head = span.root
            hit = Hit(idx, m.start, m.end, m.text, "place", head.i, place=m.locative or _is_place(head))
            for i in range(span.start, span.end):
                out.hits[i] = hit

    def civil_bodies(self, out: DocActors) -> None:
        """"the Association of African Jurists", "the Third World Water Forum", "the Egyptian Organisation
        for Human Rights": a named body the dictionary does not know, whose name says it is an
        association, a foundation or a forum, is a non-governmental actor (of the state its name
        names, if any)."""
        for ent in self.ents:
            if ent.label_ != "ORG" or len(ent) < 2:
                continue
            words = [t.lower_ for t in ent if t.is_alpha]
            if not words or not (words[0] in CIVIL_BODY_WORDS or words[-1] in CIVIL_BODY_WORDS or any(
                    t.lower_ in CIVIL_BODY_WORDS and t.i + 1 < ent.end and self.doc[t.i + 1].lower_ in ("of", "for")
                    for t in ent)):
                continue
            inside = [out.hits[i] for i in range(ent.start, ent.end) if i in out.hits]
            if any(h.actor is None or out.actors[h.actor].kind != "state" for h in inside):
                continue  # a known body, or part of one
            states = {(out.actors[h.actor].code or "")[:3] for h in inside}
            if len(states) > 1:
                continue
            code = (next(iter(states)) if states else "") + "NGO"
            span = _trim_span(ent)
            idx = out.actor_index(f"body:{span.text}", span.text, code, "organisation", "name form",
                                  country=code[:3] if states else None, sector="NGO")
            hit = Hit(idx, span.start_char, span.end_char, span.text, "name form", span.root.i, surface="thing",
                      sector="NGO")
            for i in range(span.start, span.end):
                out.hits[i] = hit

    def foreign_bodies(self, out: DocActors) -> None:
        """"Chile's Congress", "the Philippine Senate": a body known by a name another state's body
        also bears belongs to the state its modifier names."""
        for i, hit in list(out.hits.items()):
            if hit.actor is None or i != hit.head:
                continue
            actor = out.actors[hit.actor]
            code = actor.code or ""
            if actor.kind != "organisation" or len(code) < 6 or code[:3] not in self.d.countries:
                continue
            tok = self.doc[i]
            for c in tok.children:
                if c.dep_ in ("poss", "amod", "compound") and c.i < tok.i:
                    h = out.hits.get(c.i)
                    if h is not None and h is not hit and h.actor is not None and out.actors[h.actor].kind == "state":
                        state = (out.actors[h.actor].code or "")[:3]
                        if state and state != code[:3]:
                            new = state + code[3:6]
                            idx = out.actor_index(f"agent:{new}", self._agent_name(new, hit.text), new, "organisation",
                                                  "title", country=state, sector=code[3:6])
                            for j, other in list(out.hits.items()):
                                if other is hit:
                                    out.hits[j] = Hit(idx, hit.start, hit.end, hit.text, "title", hit.head,
                                                      surface=hit.surface, sector=code[3:6])
                        break

    def residents(self, out: DocActors) -> None:
        """"ethnic Albanians in southern Serbia", "Druze inhabitants of the Golan": a people named by
        where they live belong to that state, not to the one their name recalls."""
        for i, hit in list(out.hits.items()):
            tok = self.doc[i]
            if hit.how != "adjective" or tok.i != hit.head or tok.tag_ not in ("NNS", "NNPS"):
                continue
            home = self.residence(tok, hit.actor)
            if home is not None:
                # a people of the state, not the state itself: "ethnic Albanians" fighting in
                # Macedonia are Macedonia's civilians, and Macedonia can be what they act against
                state = (out.actors[home].code or "")[:3]
                hit.actor = out.actor_index(f"people:{state}:{tok.lower_}", hit.text, state + "CVL", "group",
                                            "residence", country=state, sector="CVL")
                hit.how = "residence"

    def residence(self, tok: Token, own: int | None, ethnic_only: bool = False) -> int | None:
        """The state a people lives in, when the text says so: in a phrase on the noun ("Albanians
        in southern Serbia"), or, for an ethnic minority, where its clause happens ("ethnic
        Albanians demonstrated in Serbia", "killed three ethnic Albanians in southeastern Serbia")."""
        out = self.out

        def state_in(phrases) -> int | None:
            for c in phrases:
                for g in c.subtree:
                    place = out.hits.get(g.i)
                    if place is not None and place.actor is not None and place.head != tok.i and not stance_only(g) and \
                            out.actors[place.actor].kind == "state" and place.actor != own:
                        return place.actor
            return None

        ethnic = any(t.lower_ == "ethnic" for t in self.doc[tok.left_edge.i:tok.i])
        if ethnic_only and not ethnic:
            return None  # "the US commander in Iraq", "Russian soldiers killed in Ukraine"
        found = state_in(c for c in tok.children if c.dep_ == "prep" and c.lower_ in ("in", "of", "from"))
        if found is None and not ethnic_only and tok.lower_ not in CITIZENSHIP_DEMONYMS:
            # "Bosnian Serbs", "Iraqi Kurds": the first adjective says where they live (but "Turkish
            # Cypriots", "Korean Americans" live where the noun says)
            for c in tok.children:
                hit = out.hits.get(c.i)
                if c.dep_ in ("amod", "compound") and c.i < tok.i and hit is not None and hit.actor is not None \
                        and hit.actor != own and out.actors[hit.actor].kind == "state":
                    return hit.actor
        if found is None and ethnic:  # "guerrillas operating in Macedonia", "Serbs who live in Croatia"
            found = state_in(g for c in tok.children if c.dep_ in ("acl", "relcl")
                             for g in c.children if g.dep_ == "prep" and g.lower_ in ("in", "inside", "across"))
        if found is not None or not ethnic:
            return found
        found = self.clause_place(tok, own)
        if found is None:
            # "Ethnic Albanians have sworn to fight ... near Macedonia's border": a minority lives in
            # the other state its sentence names first, not in the state its name recalls
            found = state_in([tok.sent])
        return found

    def clause_place(self, tok: Token, own: int | None = None) -> int | None:
        """The state where the clause of a noun happens: "killed three ethnic Albanians in
        southeastern Serbia", "gunmen kidnapped 20 workers in northern Iraq"."""
        out = self.out
        clause = tok
        while clause.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj", "prep", "conj", "appos") and clause.head.i != clause.i:
            clause = clause.head
            if clause.pos_ in ("VERB", "AUX"):
                break
        if clause.pos_ not in ("VERB", "AUX"):
            return None
        preps = [c for c in clause.children if c.dep_ == "prep"]
        # "kidnapped 20 workers in northern Iraq": the parser often hangs the place on the object
        preps += [g for c in clause.children if c.dep_ == "dobj" and c.i != tok.i for g in c.children if g.dep_ == "prep"]
        # "was killed by a car bomb in Beirut"
        preps += [p for c in clause.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"
                  for p in g.children if p.dep_ == "prep"]
        # "agreed to postpone the rally in Baku": the place of the act the clause is about
        for x in clause.children:
            if x.dep_ == "xcomp" and x.pos_ == "VERB":
                preps += [c for c in x.children if c.dep_ == "prep"]
                preps += [g for c in x.children if c.dep_ == "dobj" for g in c.children if g.dep_ == "prep"]
        for c in preps:
            if c.lower_ in ("in", "across", "throughout", "inside", "at", "near", "outside"):
                for g in c.subtree:
                    place = out.hits.get(g.i)
                    # a place, not a state named inside "in defiance of Chinese authorities"
                    if place is not None and place.actor is not None and place.head != tok.i and place.place and \
                            out.actors[place.actor].kind == "state" and place.actor != own:
                        return place.actor
        return None

    # 2. people not in the dictionary --------------------------------------------------------
    def person_entities(self) -> list[Span]:
        out = [e for e in self.ents if e.label_ == "PERSON" and e[-1].tag_ not in ("NNS", "NNPS")]
        # "Vice-President Moody Awori": a name the tagger took for an organisation, right after a
        # person's title, is a person's name
        for e in self.ents:
            if e.label_ == "ORG" and 2 <= len(e) <= 4 and all(t.pos_ == "PROPN" and t.is_alpha and t.text[:1].isupper() for t in e) \
                    and e.start > 0 and self._title_before(e.start):
                out.append(e)
        return sorted(out, key=lambda e: e.start)

    def _title_before(self, i: int) -> bool:
        """Whether a person's title ends right before token ``i`` ("Vice-President", "Planning Minister")."""
        for n in range(1, min(self.d.agent_max, i) + 1):
            toks = tuple(t.lower_ for t in self.doc[i - n:i] if t.text not in ("-", "–"))
            agent = self.d.agents.get(toks) or self.d.agents.get(tuple("-".join(toks).split()))
            if agent is not None and agent.title and agent.kind == "person":
                return True
        return False

    def name_context(self, first: Token, last: Token) -> tuple[str | None, str | None]:
        """The title before a name and the state named right after it: "King Hassan of Morocco"."""
        prev = self.doc[first.i - 1] if first.i > 0 else None
        title = prev.lower_ if prev is not None and prev.lower_ in SHORT_FORM_TITLES else None
        if last.i + 1 < len(self.doc) and self.doc[last.i + 1].lower_ in GOVERNMENT_NOUNS:
            title = title or "*"  # "the Bush administration": whoever of that name led a government
        country = None
        if last.i + 2 < len(self.doc) and self.doc[last.i + 1].lower_ == "of":
            hit = self.out.hits.get(last.i + 2)
            if hit is not None and hit.actor is not None and self.out.actors[hit.actor].kind == "state":
                country = (self.out.actors[hit.actor].code or "")[:3] or None
        return title, country

    def short_form(self, text: str, title: str | None = None, country: str | None = None) -> int | None:
        key = text.lower()
        if key in self.short_index and country is None:
            return self.short_index[key]
        every = names = self.d.people_by_short(key)
        if country:
            # "King Hassan of Morocco": only a namesake of that state
            every = names = {n for n in names if any(r.code[:3] == country for r in self.d.person(n).roles)}
        if self.day and (len(names) > 1 or not title):
            # a bare surname is someone in office about then ("Moore" in 2016 is not the WTO's Mike
            # Moore of 1999-2002); among namesakes, those active about then
            active = []
            for name in names:
                p = self.d.person(name)
                near = [r for r in p.roles if (r.start or dt.date.min) <= self.day + dt.timedelta(days=365)
                        and (r.end is None or r.end >= self.day - dt.timedelta(days=3 * 365))]
                if near:
                    active.append(name)
            names = set(active)
            if not title and not country and len(names) == 1:
                # with nothing else to go by, only someone in office that day, or of a state the
                # article names ("Nielsen crunched its numbers" in 2016 is no former Danish minister)
                p = self.d.person(next(iter(names)))
                in_office = any((r.start or dt.date.min) <= self.day and (r.end is None or self.day <= r.end)
                                for r in p.roles)
                if not in_office and p.country not in self.states_named(self.out.hits.values()):
                    names = set()
        if len(names) != 1 and title and self.day:
            # "President Bush": of the people of that name who held that title, the one who held
            # it nearest in time
            def distance(name: str) -> int | None:
                gaps = []
                for r in self.d.person(name).roles:
                    if title not in r.role.lower() and not (title == "*" and r.code[3:6] == "GOV"):
                        continue
                    start, end = r.start or dt.date.min, r.end or dt.date.max
                    gaps.append(0 if start <= self.day <= end else min(abs((start - self.day).days),
                                                                       abs((self.day - end).days)))
                return min(gaps) if gaps else None
            ranked = sorted((d, n) for n in (names or every) if (d := distance(n)) is not None)
            if ranked and (len(ranked) == 1 or ranked[0][0] < ranked[1][0]):
                names = {ranked[0][1]}
        if len(names) == 1 and title in CHECKED_TITLES and not any(
                title.rstrip(".") in r.role.lower() for r in self.d.person(next(iter(names))).roles):
            return None  # "Senator McCain" is not the McCain who ran the World Food Programme
        if len(names) == 1:
            name = next(iter(names))
            person = self.d.person(name)
            code, role = person.role_on(self.day)
            idx = self.out.actor_index(f"person:{name}", name, code, "person", "dictionary",
                                       country=person.country, role=role)
            self.short_index[key] = idx
            return idx
        return None

    # 3. titles, appositions, agent nouns -------------------------------------------------
    def agent_match(self, tok: Token):
        """The longest agent term ending at ``tok`` (its last word by lemma): (agent, first index)."""
        i = tok.i
        if i in self._agent_cache:
            return self._agent_cache[i]
        found = None
        last_lemma, last_lower = self.lemmas[i], self.lowers[i]
        if last_lemma in self.d.agent_last or last_lower in self.d.agent_last:
            for length in range(min(self.d.agent_max, i + 1), 0, -1):
                start = i - length + 1
                head = tuple(self.lowers[start:i])
                agent = self.d.agents.get(head + (last_lemma,)) or self.d.agents.get(head + (last_lower,))
                if agent:
                    found = (agent, start)
                    break
        self._agent_cache[i] = found
        return found

    def agent_at(self, tok: Token) -> tuple[str, int] | None:
        """The sector code of the longest agent term ending at ``tok`` (lemma-based)."""
        found = self.agent_match(tok)
        return (found[0].code, found[1]) if found else None

    def country_of_modifiers(self, head: Token) -> str | None:
        found = self.modifier_actor(head)
        return found[0] if found else None

    def modifier_actor(self, head: Token) -> tuple[str, str, str] | None:
        """(code, kind, how: "modifier" or the preposition) of the actor in the modifiers of a noun: adjectives, compounds,
        possessives, 'of X'."""
        for child in _citizenship_first(list(head.children)):
            if child.dep_ in ("amod", "compound", "nmod", "poss", "npadvmod"):
                for t in _citizenship_first(list(child.subtree)):
                    hit = self.out.hits.get(t.i)
                    if hit and hit.actor is not None and not stance_only(t):
                        actor = self.out.actors[hit.actor]
                        code = self.out.code_on(hit.actor, self.out.published)
                        if actor.kind in ("state", "organisation", "person", "group") and code:
                            return code, actor.kind, "modifier"
            if child.dep_ == "prep" and child.lower_ in ("of", "from", "for", "in"):
                for g in child.children:
                    if g.dep_ == "pobj":
                        # the object itself, else a state among its modifiers ("inhabitants of the
                        # Syrian Golan Heights")
                        cands = [g] + [t for t in g.subtree if t.i < g.i and t.dep_ in ("amod", "compound", "poss")]
                        for t in cands:
                            if t.i not in self.out.hits and t.i > head.i and self.agent_at(t) is not None:
                                # "leaders of the opposition coalition": resolve the group first
                                early = self.agent_hit(t)
                                if early is not None and early.resolved:
                                    self.out.hits[t.i] = early
                        for t in cands:
                            hit = self.out.hits.get(t.i)
                            if hit and hit.actor is not None and not stance_only(t) and (
                                    t is g or self.out.actors[hit.actor].kind == "state"
                                    or hit.how in ("title", "title+context")):
                                code = self.out.code_on(hit.actor, self.out.published)
                                if code:
                                    return code, self.out.actors[hit.actor].kind, child.lower_
        # "a terror group based in Trinidad", "militants based in Pakistan": where it is based
        for child in head.children:
            if child.dep_ in ("acl", "amod") and child.lemma_.lower() == "base" and child.i > head.i:
                for p in child.children:
                    if p.dep_ == "prep" and p.lower_ in ("in", "at", "inside"):
                        for t in p.subtree:
                            hit = self.out.hits.get(t.i)
                            if hit and hit.actor is not None and self.out.actors[hit.actor].kind == "state":
                                code = self.out.code_on(hit.actor, self.out.published)
                                if code:
                                    return code, "state", "in"
        # modifiers the parser attached to the left without a dependency arc to head
        left = head.left_edge.i
        for t in self.doc[left:head.i]:
            hit = self.out.hits.get(t.i)
            if hit and hit.actor is not None and not stance_only(t):
                code = self.out.code_on(hit.actor, self.out.published)
                if code and self.out.actors[hit.actor].kind in ("state", "organisation"):
                    return code, self.out.actors[hit.actor].kind, "modifier"
        return None

    def agent_hit(self, tok: Token) -> Hit | None:
        found = self.agent_at(tok)
        if not found:
            return None
        sector, first = found
        found = self.modifier_actor(tok)
        country_code, modifier_kind, via = found if found else (None, None, None)
        if sector.startswith("IGO") and (country_code is None and tok.tag_ != "NNP" and not any(
                c.dep_ == "poss" for c in tok.children) or country_code
                                         and not country_code.startswith("IGO") and via == "in"):
            # "the peacekeeping force in Liberia" is international, not Liberian; so is "a regional
            # peacekeeping force" (a state's own peacekeepers are its military: "Bangladeshi peacekeepers")
            idx = self.out.actor_index("agent:IGO", "international force", "IGO", "organisation", "title",
                                       sector="IGO")
            left = min([first] + [c.left_edge.i for c in tok.children if c.i < tok.i])
            span = self.doc[left:tok.i + 1]
            return Hit(idx, span.start_char, span.end_char, span.text, "title", tok.i, sector="IGO")
        # "Hamas leaders", "Taliban fighters", "Yoruba elders", "Pentagon officials": members of a
        # named organisation or community carry its code, not a sector of its state
        member_of = modifier_kind == "group" or (modifier_kind == "organisation" and len(country_code) > 3)
        if country_code and country_code[:3] in self.d.countries:
            # "ethnic Albanian guerrillas operating in Macedonia"
            home = self.residence(tok, None, ethnic_only=True)
            if home is not None and (self.out.actors[home].code or "")[:3] != country_code[:3]:
                country_code = self.out.actors[home].code
        left = min([first] + [c.left_edge.i for c in tok.children if c.i < tok.i and c.dep_ not in ("det", "punct", "cc", "prep")])
        right = tok.i + 1
        for c in tok.rights:
            if c.dep_ == "prep" and c.lower_ == "of":
                right = c.right_edge.i + 1
        span = self.doc[left:right]
        text = span.text
        if country_code:
            kind = self._agent_kind(tok)
            actor_kind = "group" if kind == "group" else ("person" if kind == "person" else "organisation")
            codes = [country_code] + self.coordinated_countries(tok, country_code)
            idxs = []
            for cc in codes:
                code = cc if member_of and cc == country_code else self._combine(cc, sector)
                idxs.append(self.out.actor_index(f"agent:{code}", self._agent_name(code, text), code, actor_kind,
                                                 "title", country=code[:3], sector=sector))
            surface = "person" if kind == "person" else "thing"
            if len(idxs) > 1:  # "Hungarian and Romanian officials": a compound actor
                return Hit(None, span.start_char, span.end_char, text, "title", tok.i, members=tuple(idxs),
                           surface="thing", sector=sector)
            return Hit(idxs[0], span.start_char, span.end_char, text, "title", tok.i, surface=surface, sector=sector)
        # no country stated: a definite description may point back to the last actor of that sector
        if any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in tok.children):
            named = self.name_head_antecedent(tok)
            if named is not None:  # "the Asian Development Bank ... the bank"
                return Hit(named.actor, span.start_char, span.end_char, text, "coreference", tok.i,
                           surface="thing", sector=sector)
            idx = self.sector_memory.get(sector)
            if idx is not None:
                return Hit(idx, span.start_char, span.end_char, text, "coreference", tok.i,
                           surface="person" if self._agent_kind(tok) == "person" else "thing", sector=sector)
        named_party = sector == "PTY" and any(c.dep_ in ("compound", "amod", "nmod") and c.pos_ == "PROPN"
                                              for c in tok.children)
        if (sector in ("GOV", "LEG", "JUD") or named_party) and any(c.dep_ == "det" and c.lower_ == "the" for c in tok.children):
            # "the president", "the parliament" with one state in the sentence: that state's; so is a
            # party the dictionary does not know ("the fundamentalist Umma party ... Algeria's elections")
            in_sent = self.states_named((h for i, h in self.out.hits.items() if tok.sent.start <= i < tok.sent.end),
                                        groups=False)
            if len(in_sent) == 1:
                country = next(iter(in_sent))
                code = self._combine(country, sector)
                kind = self._agent_kind(tok)
                idx = self.out.actor_index(f"agent:{code}", self._agent_name(code, text), code,
                                           "person" if kind == "person" else "organisation", "title+context",
                                           country=country, sector=sector)
                return Hit(idx, span.start_char, span.end_char, text, "title+context", tok.i,
                           surface="person" if kind == "person" else "thing", sector=sector)
        if sector not in ("GOV", "ELI", "IGO", "LEG", "JUD", "PTY"):
            # "gunmen kidnapped 20 workers in northern Iraq": where the clause happens; "police
            # opened fire on demonstrators" in a story about one state: that state's
            where = self.clause_place(tok)
            country = (self.out.actors[where].code or "")[:3] if where is not None else None
            if not country and not _audience(tok):
                # (not "told reporters", "would tell the public": an audience belongs to no state by
                # context; irregulars often hold or attack foreigners: "rebels released two Italian
                # engineers" says nothing of where the rebels are from)
                country = self.context_country(tok.sent, nationals=sector not in IRREGULAR_SECTORS)
            if country == "PSE" and tok.lemma_.lower() == "settler":
                country = "ISR"  # settlers in the West Bank or Gaza with no stated nationality are Israeli
            if country:
                code = self._combine(country, sector)
                kind = self._agent_kind(tok)
                idx = self.out.actor_index(f"agent:{code}", self._agent_name(code, text), code,
                                           "group" if kind == "group" else ("person" if kind == "person" else
                                                                            "organisation"),
                                           "title+context", country=country, sector=sector)
                return Hit(idx, span.start_char, span.end_char, text, "title+context", tok.i,
                           surface="person" if kind == "person" else "thing", sector=sector)
        if sector in ("NGO", "HRI"):
            # "a human rights group", "an aid agency" of no stated country: a non-governmental actor
            code = "NGO" if sector == "NGO" else "NGO" + sector
            idx = self.out.actor_index(f"agent:{code}", text, code, "organisation", "title", sector=sector)
            return Hit(idx, span.start_char, span.end_char, text, "title", tok.i, surface="thing", sector=sector)
        return Hit(None, span.start_char, span.end_char, text, "title", tok.i, sector=sector,
                   surface="person" if self._agent_kind(tok) == "person" else "thing")

    def coordinated_countries(self, head: Token, first: str) -> list[str]:
        """Further states in coordinated modifiers: "Indian and Chinese troops"."""
        out: list[str] = []
        for child in head.children:
            if child.dep_ in ("amod", "compound", "nmod") and child.i < head.i:
                for c in child.conjuncts:
                    hit = self.out.hits.get(c.i)
                    if hit and hit.actor is not None and self.out.actors[hit.actor].kind == "state":
                        code = self.out.code_on(hit.actor, self.out.published)
                        if code and code[:3] != first[:3] and code not in out:
                            out.append(code)
        return out

    def _agent_kind(self, tok: Token) -> str:
        found = self.agent_match(tok)
        return found[0].kind if found else "thing"

    def _agent_name(self, code: str, text: str) -> str:
        country = self.d.country_name(code[:3])
        if not country or len(code) <= 3:
            return text
        return f"{country} {SECTOR_NAMES.get(code[3:6], code[3:])}"

    @staticmethod
    def _combine(country_code: str, sector: str) -> str:
        if country_code.startswith("IGO"):
            return country_code
        if sector and sector.startswith("IGO"):
            # a state's peacekeepers are its soldiers serving abroad ("Filipino peacekeepers")
            return country_code[:3] + "MIL"
        base = country_code[:3]
        return base + sector if sector and sector not in base else base

    def title_code(self, name_tokens: list[Token]) -> tuple[str | None, str | None, str]:
        """Country+sector stated around an unknown person's name: title before it, apposition."""
        first, last = name_tokens[0], name_tokens[-1]
        head = self.doc[first.i:last.i + 1].root
        # title words to the left inside the same phrase ("Senior North Korean diplomat Choe Son Hui")
        left_tokens = [t for t in self.doc[head.left_edge.i:first.i]]
        sector = country = None
        generic = False
        for t in reversed(left_tokens):
            found = self.agent_match(t)
            if found and (sector is None or generic and found[0].code not in ("GOV", sector)):
                # "British church envoy", "Senate Republican leader": a generic title takes the sector
                # of the body it serves
                if sector is None or found[0].term.split()[-1] not in GENERIC_TITLE_WORDS:
                    sector = found[0].code
                    generic = found[0].term.split()[-1] in GENERIC_TITLE_WORDS
            hit = self.out.hits.get(t.i)
            if country is None and hit and hit.actor is not None:
                c = self.out.code_on(hit.actor, self.out.published)
                if c and self.out.actors[hit.actor].kind in ("state", "organisation"):
                    country = c
                    if generic and self.out.actors[hit.actor].kind == "organisation" and len(c) >= 6 and \
                            c[:3] in self.d.countries and c[3:6] != sector:
                        sector, generic = c[3:6], False  # "U.S. Senate Republican leader": the Senate's
                elif c and self.out.actors[hit.actor].kind == "person" and not c.startswith("IGO"):
                    country = c[:3]  # "Hillary Clinton campaign spokesman Glen Caplin": the person's state
        if sector or country:
            return country, sector, "title"
        # apposition: "Kwon Jong Gun, a North Korean foreign ministry official"
        for child in head.children:
            if child.dep_ == "appos":
                h = self.agent_hit(child)
                if h is not None and (h.actor is not None or h.sector):
                    code = self.out.actors[h.actor].code if h.actor is not None else None
                    return code, h.sector, "apposition"
        if head.dep_ == "appos":
            h = self.agent_hit(head.head)
            if h is not None and h.actor is not None:
                return self.out.actors[h.actor].code, h.sector, "apposition"
        return None, None, "unresolved"

    # 4. pronouns and descriptions -------------------------------------------------------
    def gender(self, hit: Hit) -> str | None:
        """'f' or 'm' for a person whose title or given name says so ("Mrs. Thatcher", "Margaret
        Thatcher", "Queen Rania"); None when unknown or for anything but a person."""
        if hit.actor is None or self.out.actors[hit.actor].kind != "person":
            return None
        known = self._genders.get(hit.actor, "?")
        if known != "?":
            return known
        span = self.doc.char_span(hit.start, hit.end, alignment_mode="expand")
        found: set[str] = set()
        if span is not None:
            before = [self.doc[span.start - 1].lower_] if span.start > 0 else []
            for w in before + [t.lower_ for t in span[:3]]:
                if w in GENDER_TITLES:
                    found.add(GENDER_TITLES[w])
            given = next((t.text for t in span if t.is_alpha and t.lower_ not in GENDER_TITLES
                          and not self.d.agents.get((t.lower_,))), None)
            if given is not None and len(span) > 1:
                g = self.d.gender(given)
                if g:
                    found.add(g)
        name = self.out.actors[hit.actor].name or ""
        first = name.split()[0] if " " in name else None
        if first:
            g = self.d.gender(first)
            if g:
                found.add(g)
        result = next(iter(found)) if len(found) == 1 else None
        self._genders[hit.actor] = result
        return result

    def antecedent(self, tok: Token, surface: str) -> Hit | None:
        sent_start = tok.sent.start
        candidates = [h for h in self.history if h.head < tok.i and h.surface == surface and not h.place
                      and (h.actor is not None or h.members)]
        wanted = PRONOUN_GENDERS.get(tok.lower_)
        if wanted and surface == "person":
            # "her trip" is not Mr. Kinnock's, and "he resigned" is not "other prosecutors"
            candidates = [h for h in candidates if not h.members and self.doc[h.head].tag_ not in ("NNS", "NNPS")
                          and self.gender(h) in (None, wanted)]
        if not candidates:
            return None
        # prefer a subject in this sentence or the ones just before, nearest first
        recent = [h for h in candidates if self.doc[h.head].sent.start >= self._sent_start_before(sent_start, 2)]
        subjects = [h for h in recent if self.doc[h.head].dep_ in SUBJECT_DEPS]
        if surface == "thing":
            # "it" is rarely a person's nationality adjective
            subjects = [h for h in subjects if h.how != "adjective"] or subjects
        if subjects:
            return subjects[-1]
        return candidates[-1]

    def reporting_subject(self, tok: Token) -> Hit | None:
        """The subject of a verb of saying whose reported clause has ``tok`` as its pronoun subject,
        if the pronoun can stand for it: "they" for a group or a plural, "he"/"she" for a person of
        no other gender, "it" for a state or an organisation."""
        low = tok.lower_
        if tok.dep_ not in ("nsubj", "nsubjpass") or tok.head.dep_ != "ccomp":
            return None
        say = tok.head.head
        if say.lemma_.lower() not in SAYING_VERBS or say.i > tok.i:
            return None
        subj = next((c for c in say.children if c.dep_ == "nsubj"), None)
        hit = self.out.hits.get(subj.i) if subj is not None else None
        if hit is None or not hit.resolved or hit.how == "coreference":
            return None
        actor = self.out.actors[hit.actor] if hit.actor is not None else None
        plural = bool(hit.members) or subj.tag_ in ("NNS", "NNPS") or (actor is not None and actor.kind == "group")
        if low in PLURAL_PRONOUNS:
            return hit if plural else None
        if low in PERSON_PRONOUNS:
            wanted = PRONOUN_GENDERS.get(low)
            return hit if actor is not None and actor.kind == "person" and not plural and \
                self.gender(hit) in (None, wanted) else None
        if low in ("it", "its"):
            return hit if actor is not None and actor.kind in ("state", "organisation") and not plural else None
        return None

    def plural_antecedent(self, tok: Token) -> Hit | None:
        """"they", "their": the last group, compound actor or plural agent phrase in view."""
        start = self._sent_start_before(tok.sent.start, 1)
        for h in reversed(self.history):
            if h.head >= tok.i or h.head < start or h.place:
                continue
            head = self.doc[h.head]
            if h.members or head.tag_ in ("NNS", "NNPS") or (
                    h.actor is not None and self.out.actors[h.actor].kind in ("group", "organisation")):
                return h
        return None

    def _sent_start_before(self, start: int, n: int) -> int:
        """The first token of the sentence ``n`` sentences before the one holding ``start``."""
        starts = self.__dict__.get("_starts")
        if starts is None:
            starts = self._starts = [s.start for s in self.doc.sents]
        k = bisect.bisect_right(starts, start) - 1
        return starts[max(k - n, 0)]

    def pair_hit(self, tok: Token) -> Hit | None:
        det = {c.lower_ for c in tok.children if c.dep_ in ("det", "nummod", "predet", "amod", "quantmod")}
        if not (tok.lemma_.lower() in PAIR_NOUNS and tok.tag_ in ("NNS", "NNPS") and det & {"two", "both"}):
            return None
        want_person = tok.lemma_.lower() in ("leader", "president")
        want_state = tok.lemma_.lower() in ("country", "nation", "state", "neighbour", "neighbor", "korea", "capital")
        seen: list[int] = []
        for h in reversed(self.history):
            if h.place or h.head >= tok.i:
                continue
            idxs = h.members or ((h.actor,) if h.actor is not None else ())
            for idx in idxs:
                actor = self.out.actors[idx]
                if want_person and actor.kind != "person" or want_state and actor.kind not in ("state", "person"):
                    continue
                code = (self.out.code_on(idx, self.out.published) or "")[:3]
                if not code or any((self.out.code_on(s, self.out.published) or "")[:3] == code for s in seen):
                    continue
                seen.append(idx)
            if len(seen) >= 2:
                break
        if len(seen) < 2:
            return None
        left = tok.left_edge
        span = self.doc[left.i:tok.i + 1]
        return Hit(None, span.start_char, span.end_char, span.text, "coreference", tok.i,
                   members=(seen[1], seen[0]), surface="thing")

    def name_head_antecedent(self, tok: Token) -> Hit | None:
        """"the bank" after "the Asian Development Bank", "the agency" after "the International Atomic
        Energy Agency": the last organisation named before whose name ends in the noun."""
        if any(c.dep_ in ("amod", "compound", "poss", "nmod") for c in tok.children):
            return None
        word = tok.lemma_.lower()
        for h in reversed(self.history):
            if h.head >= tok.i or h.actor is None or h.how == "coreference":
                continue
            actor = self.out.actors[h.actor]
            if actor.kind in ("organisation", "group") and actor.name and \
                    _singular(actor.name.split()[-1].lower()) == word:
                return h
        return None

    def statement_hit(self, tok: Token) -> Hit | None:
        if tok.lemma_.lower() not in STATEMENT_NOUNS or tok.pos_ != "NOUN":
            return None
        span = self.doc[tok.left_edge.i:tok.i + 1]
        for t in self.doc[tok.left_edge.i:tok.i]:
            hit = self.out.hits.get(t.i)
            if hit and hit.actor is not None and not hit.place:
                return Hit(hit.actor, span.start_char, span.end_char, span.text, "statement", tok.i, surface="thing")
        if self.last_speaker is not None and any(c.lower_ in ("the", "this", "that") for c in tok.children):
            return Hit(self.last_speaker, span.start_char, span.end_char, span.text, "coreference", tok.i,
                       surface="thing")
        return None

    def modifier_state_hit(self, tok: Token) -> Hit | None:
        """A common noun owned or modified by a state: "South Korean efforts", "Pyongyang's program"."""
        # a named modifier before a possessive pronoun: "its European Community partners" are the EC's
        mods = sorted((c for c in tok.children if c.dep_ in ("amod", "poss", "compound", "nmod") and c.i < tok.i
                       and not stance_only(c)), key=lambda c: c.pos_ == "PRON")
        for child in mods:
            hit = self.out.hits.get(child.i)
            if hit and hit.actor is not None and self.out.actors[hit.actor].kind in ("state", "organisation", "group"):
                span = self.doc[child.left_edge.i:tok.i + 1]
                others = []
                for c in child.conjuncts:  # "the Turkish and Greek sides"
                    h2 = self.out.hits.get(c.i)
                    if h2 and h2.actor is not None and h2.actor != hit.actor and h2.actor not in others:
                        others.append(h2.actor)
                if others:
                    return Hit(None, span.start_char, span.end_char, span.text, "modifier", tok.i,
                               members=(hit.actor, *others), surface="thing")
                return Hit(hit.actor, span.start_char, span.end_char, span.text, "modifier", tok.i, surface="thing")
        return None

    # main ---------------------------------------------------------------------------------
    def run(self) -> DocActors:
        doc, out = self.doc, self.out
        languages = set()
        for s, e, entry in self.match_names():
            if entry.kind == "state" and _names_a_language(doc[s:e]):
                languages.update(range(s, e))
                continue
            hit = self.name_hit(s, e, entry)
            for i in range(s, e):
                out.hits[i] = hit
        for tok in doc:
            # "Afganistan", "Ethopia": a misspelt state the tagger still calls a place
            if tok.i not in out.hits and tok.i not in languages and tok.ent_type_ != "PERSON" and tok.pos_ == "PROPN" and tok.is_alpha and len(tok.text) >= 7 \
                    and tok.text[:1].isupper():
                entry = self.d.misspelt_state(tok.text)
                if entry is not None:
                    out.hits[tok.i] = self.name_hit(tok.i, tok.i + 1, entry)
        if self.gazetteer is not None:
            self.places(out)
        self.foreign_bodies(out)
        self.residents(out)
        # unknown people (NER) and surnames
        for ent in self.person_entities():
            if any(i in out.hits for i in range(ent.start, ent.end)):
                continue
            name_toks = [t for t in ent if t.text[:1].isalpha()]
            if not name_toks:
                continue
            hit = None
            if len(name_toks) == 1:
                idx = self.short_form(name_toks[0].text, *self.name_context(ent[0], ent[-1]))
                if idx is not None:
                    hit = Hit(idx, ent.start_char, ent.end_char, ent.text, "surname", ent.root.i, surface="person")
            if hit is None and len(name_toks) > 1:
                entry = self.d.misspelt_person([t.text for t in name_toks])
                if entry is not None:  # "Francois Mitterand"
                    hit = self.name_hit(name_toks[0].i, name_toks[-1].i + 1, entry)
                    hit.how = "misspelt"
            if hit is None:
                text = " ".join(t.text for t in name_toks)
                key = f"person?:{text}"
                idx = out.actor_index(key, text, None, "person", "unresolved")
                for short in {name_toks[0].text, name_toks[-1].text} if len(name_toks) > 1 else set():
                    self.short_index.setdefault(short.lower(), idx)
                hit = Hit(idx, ent.start_char, ent.end_char, ent.text, "name", ent.root.i, surface="person")
            for i in range(ent.start, ent.end):
                out.hits[i] = hit
        self.civil_bodies(out)
        # proper nouns the NER missed that repeat a known short name ("Biegun last month said")
        for tok in doc:
            if tok.i not in out.hits and tok.text[:1].isupper() and tok.is_alpha and (
                    tok.pos_ == "PROPN" or tok.lower_ in self.short_index):
                idx = self.short_index.get(tok.lower_)
                if idx is None and tok.ent_type_ in ("", "ORG", "NORP", "PERSON", "GPE") and tok.dep_ in SUBJECT_DEPS | {"dobj", "pobj", "poss", "npadvmod", "appos", "conj", "dep", "advcl"}:
                    idx = self.short_form(tok.text, *self.name_context(tok, tok)) if len(tok.text) > 2 else None
                if idx is not None and out.actors[idx].kind == "person":
                    out.hits[tok.i] = Hit(idx, tok.idx, tok.idx + len(tok.text), tok.text, "surname", tok.i,
                                          surface="person")
        # ordered pass: codes of unknown people, agents, pronouns, descriptions
        done_unknown: set[int] = set()
        visited: set[int] = set()  # hits of several tokens are handled once
        for sent in doc.sents:
            for tok in sent:
                hit = out.hits.get(tok.i)
                if hit is not None:
                    if id(hit) in visited:
                        continue
                    visited.add(id(hit))
                    actor = out.actors[hit.actor] if hit.actor is not None else None
                    if actor is not None and actor.how == "unresolved" and hit.actor not in done_unknown:
                        toks = [t for t in doc.char_span(hit.start, hit.end, alignment_mode="expand") if t.text[:1].isalpha()]
                        code_country, sector, how = self.title_code(toks)
                        if sector and not code_country:
                            # "President Omar El Bashir ... in Sudan": the one state in view
                            code_country = self.context_country(sent)
                            how = "title+context" if code_country else how
                        if code_country or sector:
                            code = self._combine(code_country, sector) if code_country else None
                            actor.code, actor.sector, actor.how = code, sector, how
                            actor.country = code[:3] if code else None
                            done_unknown.add(hit.actor)
                    self._remember(hit)
                    continue
                new = None
                low = tok.lower_
                if tok.pos_ == "PRON" or low in PERSON_PRONOUNS | THING_PRONOUNS:
                    speaker = self.reporting_subject(tok)
                    if speaker is not None:
                        # "militants loyal to X said they attempted ...": the pronoun subject of what
                        # someone says is the sayer, when it can be
                        new = Hit(speaker.actor, tok.idx, tok.idx + len(tok.text), tok.text, "coreference", tok.i,
                                  members=speaker.members, surface=speaker.surface)
                    elif low in PERSON_PRONOUNS:
                        ante = self.antecedent(tok, "person")
                        surface = "person"
                    elif low in THING_PRONOUNS:
                        ante = self.antecedent(tok, "thing")
                        surface = "thing"
                    elif low in PLURAL_PRONOUNS:
                        ante = self.plural_antecedent(tok)
                        surface = "thing"
                    else:
                        ante, surface = None, "thing"
                    if speaker is None and ante is not None:
                        new = Hit(ante.actor, tok.idx, tok.idx + len(tok.text), tok.text, "coreference", tok.i,
                                  members=ante.members, surface=surface)
                elif tok.pos_ in ("NOUN", "PROPN"):
                    new = (self.pair_hit(tok) or self.statement_hit(tok) or self.agent_hit(tok)
                           or self.modifier_state_hit(tok))
                if new is not None:
                    out.hits[tok.i] = new
                    self._remember(new)
            self._update_speaker(sent)
        for hit in {id(h): h for h in out.hits.values()}.values():
            out.add_mention(hit)
        for actor in out.actors:
            actor.mentions.sort(key=lambda m: m.start)
        return out

    def states_named(self, hits, groups: bool = True) -> set[str]:
        """The states the hits name (not in stance compounds such as "anti-Syria"); with
        ``groups``, also the state of a domestic group ("demands from UNITA")."""
        out: set[str] = set()
        for h in hits:
            if h.actor is None:
                continue
            actor = self.out.actors[h.actor]
            code = (actor.code or "")[:3]
            if (actor.kind == "state" or groups and actor.kind == "group" and code in self.d.countries) \
                    and code not in out and not stance_only(self.doc[h.head]):
                out.add(code)
        return out - {""}

    def context_country(self, sent: Span, nationals: bool = True) -> str | None:
        """The state a bare title refers to when only one state is in view: the only one named in
        the sentence, else the only one named in the article. Without ``nationals``, a state named
        only as the nationality of people in the sentence ("two Italian engineers") is not in view."""
        def counts(h: Hit) -> bool:
            return nationals or h.how not in ("adjective", "title", "title+context", "residence")
        in_sent = self.states_named(h for i, h in self.out.hits.items() if sent.start <= i < sent.end and counts(h))
        if len(in_sent) == 1:
            return next(iter(in_sent))
        if not in_sent:
            in_doc = self.states_named(h for h in self.out.hits.values() if counts(h))
            if len(in_doc) == 1:
                return next(iter(in_doc))
        return None

    def _remember(self, hit: Hit) -> None:
        if hit.resolved and (not self.history or self.history[-1] is not hit):
            self.history.append(hit)
            if hit.actor is not None and hit.sector:
                self.sector_memory[hit.sector] = hit.actor
            elif hit.actor is not None:
                actor = self.out.actors[hit.actor]
                if actor.sector:
                    self.sector_memory[actor.sector] = hit.actor

    def _update_speaker(self, sent: Span) -> None:
        for tok in sent:
            # "the ministry issued a statement": the statement is the ministry's
            if tok.pos_ == "VERB" and any(c.dep_ == "dobj" and c.lemma_.lower() in STATEMENT_NOUNS for c in tok.children):
                for child in tok.children:
                    if child.dep_ == "nsubj":
                        hit = self.out.hits.get(child.i)
                        if hit and hit.actor is not None and not hit.place:
                            self.last_speaker = hit.actor
            if tok.pos_ in ("VERB", "AUX") and tok.lemma_.lower() in SPEECH_LEMMAS:
                for child in tok.children:
                    if child.dep_ in ("nsubj", "nsubjpass"):
                        hit = self.out.hits.get(child.i)
                        if hit and hit.actor is not None and not hit.place:
                            self.last_speaker = hit.actor
            if tok.lower_ == "according" and tok.nbor(1).lower_ == "to" if tok.i + 1 < len(self.doc) else False:
                for g in tok.nbor(1).children:
                    hit = self.out.hits.get(g.i)
                    if g.dep_ == "pobj" and hit and hit.actor is not None:
                        self.last_speaker = hit.actor


def resolve_actors(doc: Doc, dictionary: ActorDictionary, published: str | None = None,
                   gazetteer=None) -> DocActors:
    """All actor references of one parsed article; with a gazetteer, towns and regions stand
    for their state ("shelled Juba", "rebels in Darfur") and are kept as the article's places."""
    return Resolver(doc, dictionary, published, gazetteer).run()
