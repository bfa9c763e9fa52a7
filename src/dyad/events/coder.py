"""Code events from the dependency parse with the verb and noun pattern dictionaries.

The grammar lives here, the vocabulary in data files. For each verb (or event noun) the
coder finds the pattern, the source (subject, by-agent of a passive, or the subject of the
clause it depends on), the target (the pattern's slot), negation, modality and embedding
("refused to hold talks" is a rejection, "plans to visit" an intent, "urged X to withdraw"
an appeal, "denied attacking" no attack), then dates it and looks up the actors' codes on
that date.
"""
from __future__ import annotations

import re

from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from ..actors.resolve import IRREGULAR_SECTORS, DocActors, Hit, stance_only
from ..records import ActorRef, Event
from .ontology import lookup
from .patterns import NounPattern, Patterns, VerbPattern

FUTURE_AUX = {"will", "'ll", "shall", "wo"}
HEDGES = {"likely", "probably", "possibly", "perhaps", "maybe", "presumably", "supposedly", "allegedly",
          "apparently", "purportedly"}
HYPOTHETICAL_AUX = {"would", "could", "might", "may", "should", "can", "ca", "must"}
CONDITIONAL_MARKS = {"if", "unless", "whether", "lest"}
# heads whose open complement is an intention, not a fact ("plans to visit")
INTENT_HEADS = {"plan", "intend", "want", "hope", "seek", "aim", "expect", "prepare", "promise", "pledge", "vow",
                "offer", "decide", "try", "attempt", "set", "agree", "wish", "like", "propose", "consider",
                "schedule", "due", "ready", "willing", "eager", "determined", "poised", "go", "look", "push",
                "threaten", "move", "prepared", "keen", "committed", "swear", "resolve", "intent", "hope"}
ATTEMPT_HEADS = {"attempt", "try", "seek"}
ATTEMPT_NOUNS = {"attempt", "bid"}
REFUSAL_HEADS = {"refuse", "decline", "reject", "rule", "dismiss", "spurn", "rebuff", "resist", "oppose"}
FAIL_HEADS = {"fail", "neglect", "avoid", "cease", "stop", "halt", "abandon", "quit", "postpone"}
APPEAL_HEADS = {"urge", "ask", "call", "press", "appeal", "demand", "request", "encourage", "invite", "pressure",
                "push", "implore", "beg", "tell", "order", "persuade", "see"}
NOT_FACT_HEADS = {"deny", "accuse", "blame", "allege", "claim", "rumor", "rumour", "reject"}
MODAL_NOUNS = {"possibility", "prospect", "chance", "hope", "plan", "proposal", "idea", "offer", "call", "demand",
               "intention", "interest", "desire", "willingness", "wish", "bid", "effort", "attempt", "threat",
               "risk", "likelihood", "option", "request", "readiness", "invitation", "plans"}
REFUSAL_NOUNS = {"intention", "interest", "plan", "desire", "willingness", "wish", "intent"}
FAILURE_VERBS = {"break down", "collapse", "stall", "falter", "fail", "founder", "break"}
ABSTRACT_OBJECTS = {"possibility", "prospect", "idea", "proposal", "offer", "notion", "chance", "plan", "suggestion",
                    "call", "request", "demand", "invitation", "hope", "option", "likelihood"}
# a cooperative act embedded under a refusal becomes the matching rejection
REFUSAL_CODE = {"04": "125", "036": "125", "046": "125", "045": "126", "039": "126", "05": "120", "057": "127",
                "03": "120", "06": "121", "07": "122", "08": "124", "081": "1241", "083": "1242", "084": "1243",
                "085": "1244", "086": "1245", "087": "1246", "02": "120", "01": "120"}
# a cooperative act stated as an intention becomes the matching "express intent" code
INTENT_CODE = {"04": "036", "05": "032", "057": "030", "06": "031", "061": "0311", "062": "0312", "063": "0313",
               "064": "0314", "07": "033", "071": "0331", "072": "0332", "073": "0333", "074": "0334",
               "08": "035", "081": "0351", "083": "0352", "084": "0353", "085": "0354", "086": "0355",
               "087": "0356", "045": "039", "03": None}
# an appeal to others to do a cooperative act
APPEAL_CODE = {"04": "026", "036": "026", "045": "025", "06": "021", "061": "0211", "062": "0212", "063": "0213",
               "064": "0214", "07": "023", "071": "0231", "072": "0232", "073": "0233", "074": "0234",
               "08": "025", "081": "0251", "083": "0252", "084": "0253", "085": "0254", "086": "0255",
               "087": "0256", "05": "022", "057": "022"}
# a threat to do an act: CAMEO 13x by what is threatened
THREAT_CODE = {"16": "131", "161": "1313", "162": "1311", "163": "1312", "164": "131", "17": "137", "171": "137",
               "172": "137", "173": "137", "174": "137", "175": "137", "18": "1383", "19": "1384", "191": "1381",
               "192": "1382", "195": "1384", "20": "1385", "12": "130", "11": "130", "14": "130", "15": "138"}
THREAT_HEADS = {"threaten", "vow", "warn"}
STATIVE_PASSIVES = {"oppose", "commit", "determine", "dedicate", "resolve", "disappoint", "dissatisfy", "engage",
                    "involve", "embroil", "mire", "lock", "bog", "entangle"}
DEMAND_NOUNS = {"demand", "call", "request", "appeal", "ultimatum", "reminder", "insistence"}
DEMAND_AUX = {"must", "should", "ought"}
DISCOURSE_WINDOW = 3  # sentences within which a target may carry over to a target-less act
REPORTING_HEADS = {"say", "announce", "tell", "pledge", "vow", "promise", "warn", "insist", "add", "state",
                   "declare", "confirm", "signal", "indicate", "report", "write", "assure", "agree", "decide",
                   "predict", "expect", "believe", "think", "hope", "reiterate", "stress", "emphasise",
                   "emphasize", "remind", "argue", "maintain", "repeat", "underline", "note", "urge", "demand"}
QUANTITY_NOUNS = {"ton", "tonne", "million", "billion", "thousand", "hundred", "dozen", "dollar", "number", "amount",
                  "lot", "batch", "shipment", "consignment", "kg", "kilogram", "worth", "unit", "package", "round",
                  "wave", "series", "set", "supply", "volume", "quantity", "load", "convoy", "contingent", "group",
                  "team", "battalion", "brigade", "squadron", "fleet"}
PART_NOUNS = {"member", "some", "many", "one", "all", "most", "part", "majority", "minority", "few", "several",
              "thousand", "hundred", "dozen", "score", "tens", "none", "each", "both", "rest", "faction", "wing",
              "delegation", "representative", "supporter"}
REFUSAL_NOUN_HEADS = {"refusal", "rejection", "unwillingness", "reluctance", "failure", "inability"}
# acts that need a counterpart: a target-less "said" or "met" carries no dyad
# what one side asks of another: its author is the counterpart of whoever yields to it
REQUEST_NOUNS = {"demand", "request", "pressure", "call", "appeal", "ultimatum", "condition", "plea", "wish",
                 "insistence", "urging", "proposal", "offer"}
STATEMENT_LIKE = {"statement", "declaration", "communique", "communiqué", "resolution", "letter", "note", "appeal",
                  "message", "ultimatum", "report", "decree", "order", "motion", "petition", "notice", "memo"}
SUBJUNCTIVE_HEADS = {"insist", "demand", "urge", "ask", "propose", "suggest", "recommend", "require", "request"}
HOSTILE_ROOTS = ("15", "16", "17", "18", "19", "20")
TROOP_NOUNS = {"troop", "soldier", "peacekeeper", "force", "contingent", "unit", "battalion", "brigade", "division",
               "marine", "paratrooper", "commando", "deployment", "reinforcement", "patch"}
SCORE = re.compile(r"\b\d{1,2}\s?[-–]\s?\d{1,2}\b(?!\s*(?:vote|votes|majority))")
SPORT_VERBS = {"beat", "defeat", "thrash", "crush", "rout", "edge", "down", "draw", "tie", "overcome"}
INSTRUMENT_VERBS = {"use", "employ", "utilise", "utilize", "fire", "deploy", "mobilise", "mobilize", "need"}
AIR_WEAPONS = {"warplane", "jet", "aircraft", "bomber", "drone", "helicopter", "gunship", "fighter-bomber", "plane"}
TREATY_NOUNS = {"treaty", "agreement", "deal", "accord", "pact", "convention", "organisation", "organization", "union",
                "alliance", "talks", "negotiation", "process", "court", "council", "protocol", "framework"}
BACKGROUND_NOUNS = {"war", "conflict", "occupation", "struggle"}
GENERIC_HEADS = {"delivery", "shipment", "program", "programme", "package", "convoy", "supply", "flow", "scheme", "measure",
                 "system", "equipment", "hardware",
                 "project", "effort", "campaign", "mission"}
EXERCISE_NOUNS = {"exercise", "drill", "maneuver", "manoeuvre", "game", "war game", "wargame", "patrol"}
PEACE_MISSION_WORDS = {"peacekeeping", "peace-keeping", "peace", "un", "u.n.", "international", "multinational",
                       "stabilization", "stabilisation", "monitoring", "observer", "nato", "african", "regional"}
# things reported as doing the harm when nobody is named: "a roadside bomb killed two soldiers"
INANIMATE_AGENTS = {"bomb", "bombing", "blast", "explosion", "explosive", "device", "ied", "mine", "landmine",
                    "shell", "shelling", "rocket", "missile", "mortar", "grenade", "attack", "strike", "airstrike",
                    "raid", "gunfire", "fire", "shot", "ambush", "suicide", "drone", "artillery", "barrage",
                    "car", "truck", "vehicle", "booby", "trap", "minefield", "detonation", "assault"}
CIVILIAN_SECTORS = {"CVL", "REF", "MED", "EDU", "HLH", "REL", "NGO", "LAB", "BUS", "AGR", "ELI", "OPP", "HRI"}
# roots whose acts two coordinated subjects do with each other: agreeing, consulting, cooperating,
# yielding (a truce), fighting
MUTUAL_ROOTS = ("03", "04", "05", "06", "08", "19")
# verbs that attack in words as often as with force, and those that only fight with force but
# also take abstract objects ("capture momentum", "battle inflation")
VERBAL_ATTACK_VERBS = {"attack", "assail", "blast", "hammer", "savage", "lambast", "lambaste", "target"}
ABSTRACT_FIGHT_VERBS = {"capture", "battle", "fight", "storm", "raid", "invade", "ambush"}
# words that put force in a sentence: "attacked the convoy with rockets"
FORCE_WORDS = {"rocket", "missile", "shell", "bomb", "gun", "gunfire", "grenade", "mortar", "drone", "airstrike",
               "weapon", "rifle", "knife", "machete", "explosive", "artillery", "killed", "kill", "wounded",
               "wound", "dead", "injured", "casualty", "shelling", "gunmen", "gunman"}
POLITICAL_SECTORS = {"GOV", "ELI", "LEG", "PTY", "OPP", "MED", "JUD"}
# objects an armed attack or capture is made on, and the fight's own nouns
CONCRETE_TARGETS = {
    "town", "city", "village", "base", "position", "stronghold", "territory", "area", "region", "district",
    "province", "hill", "airport", "airfield", "port", "harbour", "harbor", "bridge", "border", "post", "checkpoint",
    "outpost", "camp", "headquarters", "compound", "building", "convoy", "vehicle", "ship", "vessel", "boat",
    "tanker", "plane", "aircraft", "helicopter", "tank", "troop", "force", "soldier", "fighter", "militant", "rebel",
    "civilian", "people", "target", "infrastructure", "facility", "plant", "station", "school", "hospital", "market",
    "mosque", "church", "temple", "synagogue", "embassy", "consulate", "office", "home", "house", "residence",
    "neighbourhood", "neighborhood", "capital", "enclave", "island", "oilfield", "field", "line", "front", "trench",
    "bunker", "depot", "arsenal", "site", "installation", "road", "highway", "route", "railway", "pipeline",
    "grid", "refinery", "dam", "mine", "palace", "parliament", "ministry", "prison", "jail", "police", "policeman",
    "officer", "guard", "patrol", "worker", "resident", "villager", "protester", "demonstrator", "journalist",
    "official", "student", "prisoner", "hostage", "tourist", "pilgrim", "refugee", "migrant", "immigrant", "man",
    "woman", "child", "family", "crowd", "settlement", "settler", "unit", "battalion", "brigade", "division",
    "garrison", "fort", "fortress", "warship", "submarine", "satellite", "server", "network", "system", "computer",
    "website", "bank", "hotel", "restaurant", "bus", "train", "car", "truck", "motorcade", "cargo",
    "shipment", "crossing", "gate", "wall", "tower", "zone", "valley", "mountain", "coast", "shore", "waters",
    "peninsula", "heights", "suburb", "quarter", "street", "square", "stadium", "university", "court", "leader",
    "commander", "chief", "general", "president", "minister", "member", "supporter", "follower", "party",
    "army", "militia", "group", "enemy", "opponent", "insurgent", "gunman", "terrorist", "jihadist", "extremist",
    "positions", "lines", "defences", "defenses", "defence", "defense", "hideout", "lair", "den",
    # a fight's own noun: "fought fierce battles", "waged war"
    "battle", "war", "fight", "clash", "skirmish", "gunbattle", "firefight", "offensive", "insurgency", "duel"}
# verbs whose unspecific pattern only holds with a person or an actor as object
ACTOR_OBJECT_VERBS = {"release", "sink", "displace"}
PLOT_NOUNS = {"attempt", "plot", "bid", "conspiracy", "plan", "scheme"}
BORDER_NOUNS = {"border", "frontier", "coast", "shore", "side", "boundary", "waters"}
ARMED_NOUNS = {"jet", "warplane", "aircraft", "plane", "helicopter", "gunship", "warship", "tank", "troop", "force",
               "army", "military", "soldier", "militant", "fighter", "rebel", "gunman", "insurgent", "artillery"}
# where an act takes place: "in Syria", "at a jail in northern Israel", "outside the embassy"
LOCATIVE_PREPS = {"in", "into", "inside", "across", "near", "over", "at", "outside", "around", "throughout"}
# acts that news reports as done again with a re- prefix ("reimpose", "re-arrest"); a closed list,
# since most re- verbs are words of their own ("resign", "refuse", "recall", "repress")
REPEATABLE_VERBS = {"impose", "arrest", "occupy", "capture", "take", "launch", "deploy", "establish", "introduce",
                    "enter", "open", "seize", "invade", "start", "convene", "instate", "affirm", "iterate",
                    "engage", "negotiate", "elect", "appoint", "supply", "arm", "bomb", "attack", "close", "block",
                    "ban", "freeze", "sanction", "kindle", "ignite"}
NEEDS_TARGET = ("010", "030", "031", "032", "036", "04", "050", "051", "052", "053", "054", "056", "06")
# an event noun in these phrases happened, whatever the clause says ("failed to agree during a summit")
PRESUPPOSING_PREPS = {"during", "at", "after", "before", "since", "following", "amid", "despite"}
WISH_HEADS = {"like", "want", "wish", "hope", "love", "prefer"}
# unions the hot paths test against, built once
# "the first deployment of NATO troops", "a delegation of Chinese officials": the members act
COLLECTIVE_NOUNS = {"deployment", "contingent", "batch", "patch", "wave", "delegation", "team", "group", "unit",
                    "detachment", "squad", "party", "band", "convoy", "column"}
GROUP_NOUNS = QUANTITY_NOUNS | PART_NOUNS | COLLECTIVE_NOUNS
ASKING_HEADS = APPEAL_HEADS | WISH_HEADS
NOT_FACT_NOUNS = MODAL_NOUNS | REFUSAL_NOUN_HEADS
DEMAND_REPORTING = REPORTING_HEADS | {"conclude", "insist"}
OF_OBJECT_NOUNS = GROUP_NOUNS | ABSTRACT_OBJECTS  # "one of its attacks", "the possibility of a summit"
# verbs under which an event noun is not (yet) a fact: "refused talks", "proposed a summit"
UNREALISED_NOUN_HEADS = REFUSAL_HEADS | NOT_FACT_HEADS | APPEAL_HEADS | {"arrange", "propose", "seek", "want", "plan",
                                                                        "prepare", "prevent", "thwart", "foil", "avert",
                                                                        "forbid", "prohibit", "ban", "outlaw",
                                                                        "delay", "postpone", "withhold", "cancel"}


def _path_up(tok: Token, top: Token) -> list[Token]:
    path, t = [], tok
    while t.i != top.i and t.head.i != t.i and len(path) < 10:
        path.append(t)
        t = t.head
    return path


PARTICLE_ADVERBS = {"back", "out", "off", "down", "up", "away", "in"}


def is_particle(c: Token, verb: Token) -> bool:
    """A verb particle, also where the parser took it for an adverb ("pulled back from")."""
    return c.dep_ == "prt" or (c.dep_ == "advmod" and c.i == verb.i + 1 and c.lower_ in PARTICLE_ADVERBS)


def joint_exercise(noun: Token, sources) -> bool:
    """Manoeuvres held together are military cooperation (062), not a show of force (150):
    "joint naval drills", "French and Egyptian warships launched war games"."""
    return (any(c.lower_ in ("joint", "combined") for c in noun.children) or len(sources) >= 2
            or any(h.members for h in sources) or symmetric_pair(noun))


def appeal_infinitive(tok: Token) -> bool:
    """"called on Iran to free the prisoners" with the infinitive parsed as a clause of purpose: after
    an appeal verb's addressee ("on Iran", "to the UN"), "to do" is what is asked."""
    head = tok.head
    return tok.dep_ == "advcl" and tok.pos_ == "VERB" and any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children) \
        and head.lemma_.lower() in APPEAL_HEADS and any(
            c.dep_ == "prep" and c.lower_ in ("on", "upon", "to") and c.i < tok.i for c in head.children)


def actor_ids(hits) -> set[int]:
    """The actors a list of hits names, members of pairs included."""
    return {h.actor for h in hits if h.actor is not None} | {m for h in hits for m in h.members}


def symmetric_pair(noun: Token) -> bool:
    """The subject of the clause around an event noun is a coordination ("French and Egyptian warships")."""
    verb = noun.head
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        verb = verb.head
    for c in verb.children:
        if c.dep_ == "nsubj" and (any(g.dep_ == "conj" for g in c.children) or any(
                m.dep_ in ("amod", "compound") and any(x.dep_ == "conj" for x in m.children) for m in c.children)):
            return True
    return False


def sources_are_pair(sources) -> bool:
    return len(sources) >= 2 or any(h.members for h in sources)


def regular_lemmas(word: str) -> list[str]:
    out = []
    if word.endswith("ied"):
        out.append(word[:-3] + "y")
    if word.endswith("ed"):
        out += [word[:-1], word[:-2]]
        if len(word) > 4 and word[-3] == word[-4]:
            out.append(word[:-3])  # "banned" -> "ban"
    if word.endswith("ing"):
        out += [word[:-3], word[:-3] + "e"]
    if word.endswith("es"):
        out += [word[:-2], word[:-1]]
    elif word.endswith("s"):
        out.append(word[:-1])
    return out


def _map(table: dict, code: str) -> str | None:
    for k in (code, code[:3], code[:2]):
        if k in table:
            return table[k]
    return None


@dataclass
class Candidate:
    code: str
    sources: list[Hit]
    targets: list[Hit]
    trigger: list[Token]
    pattern: str
    sent: Span
    negated: bool = False
    mode: str | None = None
    symmetric: bool = False
    target_how: str | None = None
    source_how: str | None = None
    confidence: float = 1.0
    date_token: Token | None = None
    clause_head: Token | None = None
    specific: bool = True  # False for a bare speech verb ("said"), which needs a target to count


@dataclass
class EventCoder:
    patterns: Patterns
    actors: DocActors
    quote_speakers: list[tuple[int, int, Hit]] = field(default_factory=list)

    # --- participants ---------------------------------------------------------------
    def hit(self, tok: Token) -> Hit | None:
        h = self.actors.at(tok)
        if h is not None and h.resolved:
            return h
        low = tok.lower_
        if low in ("we", "our", "us", "i", "my", "me"):
            for s, e, speaker in self.quote_speakers:
                if s <= tok.idx < e:
                    return speaker
        if tok.lemma_.lower() in GROUP_NOUNS or tok.pos_ == "NUM":
            # "a group of Moroccan diplomats", "thousands of protesters", "members of the parliament"
            for c in tok.children:
                if c.dep_ == "prep" and c.lower_ == "of":
                    for g in c.children:
                        if g.dep_ == "pobj":
                            h = self.hit(g)
                            if h is not None:
                                return h
        if tok.pos_ == "PROPN":
            # "Kenzo Oshima, the UN relief coordinator, demanded": an unknown name is who its
            # apposition says
            for c in tok.children:
                if c.dep_ == "appos":
                    h = self.actors.at(c)
                    if h is not None and h.resolved:
                        return h
        if tok.tag_ in ("WDT", "WP", "WP$") or low in ("which", "who", "that", "whose"):
            rel = tok.head
            while rel.dep_ not in ("relcl", "acl") and rel.head.i != rel.i:
                rel = rel.head
            if rel.dep_ in ("relcl", "acl"):
                return self.hit(rel.head)
        return None

    def with_conj(self, tok: Token) -> list[Token]:
        out = [tok]
        for c in tok.conjuncts:
            if c.i > tok.i:
                out.append(c)
        return out

    def hits_of(self, tok: Token) -> list[Hit]:
        hits = []
        for t in self.with_conj(tok):
            h = self.hit(t)
            if h is not None and all(h is not x for x in hits):
                hits.append(h)
        return hits

    def subjects(self, verb: Token, depth: int = 0, raising: bool = False) -> tuple[list[Hit], bool]:
        """The source hits of a verb, and whether the verb is passive.

        ``raising``: asked for the subject of a complement ("Biegun was set to land"), a passive
        head gives its surface subject.
        """
        passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)
        if not passive and verb.dep_ == "conj" and verb.tag_ == "VBN" and not any(
                c.dep_ in ("nsubj", "aux", "dobj") for c in verb.children) and any(
                c.dep_ in ("nsubjpass", "auxpass") for c in verb.head.children):
            # "had been killed or wounded": the second participle shares the first one's passive
            passive = True
            agent = [g for v in (verb, verb.head) for c in v.children if c.dep_ == "agent"
                     for g in c.children if g.dep_ == "pobj"]
            return (self.hits_of(agent[0]) if agent else []), True
        if passive and verb.lemma_.lower() in STATIVE_PASSIVES and not any(c.dep_ == "agent" for c in verb.children):
            # "Israel is opposed to French mediation": the subject holds the stance
            subj = [c for c in verb.children if c.dep_ == "nsubjpass"]
            if subj:
                return self.hits_of(subj[0]), False
        if passive and not any(c.dep_ == "agent" for c in verb.children):
            # "were killed in Israeli tank shelling": the agent hides in an event noun's modifiers
            for c in verb.children:
                if c.dep_ == "prep" and c.lower_ in ("in", "during", "by", "after"):
                    for g in c.children:
                        if g.dep_ == "pobj" and g.lemma_.lower() in self.patterns.nouns:
                            for m in g.children:
                                if m.dep_ in ("amod", "compound", "poss", "nmod") and m.i < g.i:
                                    for t in m.subtree:
                                        h = self.hit(t)
                                        if h is not None and not h.place:
                                            return [h], True
        if passive and raising:
            for c in verb.children:
                if c.dep_ == "nsubjpass":
                    return self.hits_of(c), False
        if passive:
            for c in verb.children:
                if c.dep_ == "agent":
                    for g in c.children:
                        if g.dep_ == "pobj":
                            return self.hits_of(g), True
            return [], True
        for c in verb.children:
            if c.dep_ in ("nsubj", "csubj"):
                hits = self.hits_of(c)
                if not hits and c.pos_ == "VERB":
                    # "The Red Cross operating in Iraq said": the parser made the participle the subject
                    hits = [h for g in c.children if g.dep_ == "nsubj" for h in self.hits_of(g)]
                # a headline's comma for "and": "Erdogan, Putin meet in Sochi", "Russia, Ukraine agree"
                for a in c.children:
                    if a.dep_ == "appos" and a.pos_ == "PROPN" and a.i == c.i + 2 and c.doc[c.i + 1].text == "," \
                            and c.pos_ == "PROPN" and hits:
                        kinds = {self.actors.actors[h.actor].kind for h in hits if h.actor is not None}
                        more = [h for h in self.hits_of(a) if h.actor is not None and h.actor not in {x.actor for x in hits}
                                and self.actors.actors[h.actor].kind in kinds]
                        hits = hits + more
                for other in verb.children:
                    if other.i < c.left_edge.i and other.dep_ in ("npadvmod", "dep", "nsubj", "advcl") and other.pos_ == "PROPN" \
                            and other.i + 1 < len(other.doc) and other.doc[other.i + 1].text == "," and other.i + 2 == c.left_edge.i:
                        extra = [h for h in self.hits_of(other) if h.actor is not None and h.actor not in {x.actor for x in hits}]
                        hits = extra + hits
                return hits, False
        stray = self.stray_subject(verb)
        if stray is not None:
            return self.hits_of(stray), False
        if verb.dep_ == "pobj" and verb.head.lower_ == "to" and verb.head.head.pos_ in ("VERB", "AUX", "ADJ"):
            # a verb the tagger took for a noun: "was set to land in Seoul"
            hits, _ = self.subjects(verb.head.head, depth + 1, raising=True)
            return hits, False
        if depth < 4 and verb.dep_ in ("xcomp", "advcl", "conj", "acl", "pcomp", "relcl", "acomp") and verb.head.i != verb.i:
            head = verb.head
            if verb.dep_ in ("acl", "relcl") and head.pos_ in ("NOUN", "PROPN"):
                # "efforts by South Korea to arrange ...": the noun's agent or owner
                for c in head.children:
                    if c.dep_ == "prep" and c.lower_ == "by":
                        for g in c.children:
                            if g.dep_ == "pobj":
                                return self.hits_of(g), False
                    if c.dep_ == "poss":
                        return self.hits_of(c), False
                if self.hit(head) is None and verb.dep_ == "acl" and head.lemma_.lower() in STATEMENT_LIKE and \
                        head.dep_ == "dobj" and head.head.pos_ in ("VERB", "AUX"):
                    # "the PKK issued a declaration demanding ...": the author of the statement
                    return self.subjects(head.head, depth + 1)[0], False
                return ([self.hit(head)] if self.hit(head) else []), False
            if head.dep_ == "prep" and head.head.pos_ in ("VERB", "AUX"):
                head = head.head
            if head.pos_ == "ADJ" and head.dep_ in ("acomp", "xcomp", "oprd"):
                head = head.head  # "France is ready to contribute troops"
            if head.pos_ in ("VERB", "AUX"):
                # an object-controlled complement ("urged Iran to stop") takes the object as subject
                if verb.dep_ == "xcomp" and head.lemma_.lower() not in INSTRUMENT_VERBS:
                    # (not "used water cannon to disperse": the user disperses, not the cannon)
                    for c in head.children:
                        if c.dep_ == "dobj" and c.i < verb.i:
                            return self.hits_of(c), False
                hits, _ = self.subjects(head, depth + 1, raising=verb.dep_ in ("xcomp", "conj"))
                return hits, False
        return [], passive

    def stray_subject(self, verb: Token) -> Token | None:
        """A subject the parser hung on a subordinator: "after Kim last week suspended the campaign"."""
        i = verb.i - 1
        doc = verb.doc
        while i >= verb.sent.start:
            t = doc[i]
            if t.dep_ in ("advmod", "npadvmod", "aux", "neg", "amod", "punct") or t.ent_type_ in ("DATE", "TIME"):
                i -= 1
                continue
            if t.pos_ in ("PROPN", "NOUN", "PRON") and t.dep_ == "pobj" and t.head.lower_ in (
                    "after", "before", "when", "since", "until", "as", "while", "because", "once"):
                return t
            return None
        return None

    def prep_objects(self, heads: list[Token], preps: set[str]) -> list[Token]:
        found = []
        # adverbial nouns carry the verb's preposition too: "sit face to face with the U.S."
        heads = heads + [c for h in heads for c in h.children if c.dep_ in ("npadvmod", "advmod", "advcl")
                         and c.pos_ in ("NOUN", "ADV")]
        for head in heads:
            for c in head.children:
                if c.dep_ in ("prep", "agent", "dative") and c.lower_ in preps:
                    if not any(g.dep_ in ("pobj", "prep") for g in c.children) and c.i + 1 < len(c.doc):
                        # a preposition the parser left without its object, which it made the subject
                        # of the next clause: "granted asylum to five officers holed up in ..."
                        nxt = c.doc[c.i + 1]
                        noun = nxt
                        while noun.head.i != noun.i and noun.head.i > c.i and noun.pos_ not in ("NOUN", "PROPN", "PRON"):
                            noun = noun.head
                        if noun.pos_ in ("NOUN", "PROPN", "PRON") and noun.left_edge.i == c.i + 1 and noun.dep_ in (
                                "nsubj", "nsubjpass"):
                            found.append(noun)
                    for g in c.children:
                        if g.dep_ == "pobj":
                            found.append(g)
                        elif g.dep_ == "prep" and (g.lower_ in preps or g.lower_ == "of" and c.lower_ in (
                                "outside", "inside", "out")):  # "to with", "outside of"
                            found += [x for x in g.children if x.dep_ == "pobj"]
        return found

    def object_phrase_hits(self, obj: Token | None, verb: Token, allow_appos: bool = True,
                           exclude: frozenset | set = frozenset()) -> list[Hit]:
        """Actors named inside the object phrase: "seized a Greek tanker", "banned imports of
        Japanese seafood", "the possibility of a Trump-Kim meeting". Places are not targets here."""
        if obj is None:
            return []
        found: list[tuple[int, Hit]] = []
        for t in obj.subtree:
            if t.pos_ == "PRON" and t.dep_ == "poss":
                continue  # "its largest attacks": the owner is the actor itself, not a target
            if not allow_appos and any(a.dep_ == "appos" for a in _path_up(t, obj)):
                continue
            h = self.hit(t)
            if h is None or h.place or any(h is x for _, x in found) or (h.actor is not None and h.actor in exclude):
                continue
            if self.on_border(t) or stance_only(t):
                continue  # "a stronghold on the Thai border": where, not whom
            depth, a = 0, t
            while a.i != obj.i and a.head.i != a.i and depth < 8:
                a, depth = a.head, depth + 1
            found.append((depth, h))
        if not found:
            return []
        best = min(d for d, _ in found)
        return [h for d, h in sorted(found, key=lambda x: x[0]) if d <= best + 1]

    def target_hits(self, verb: Token, slots: tuple[str, ...], obj: Token | None, passive: bool) -> list[Hit]:
        subjects = self.subjects(verb)[0]
        mine = actor_ids(subjects)
        # the actor's own things ("reneged on his commitment") are no target: look further
        hits = [h for h in self.slot_hits(verb, slots, obj, passive) if h.actor is None or h.actor not in mine or h.members]
        if hits or "none" in slots[:1]:
            return hits
        direct = next((c for c in verb.children if c.dep_ in ("dobj", "nsubjpass" if passive else "dobj")), None)
        # an apposition renames the object ("the capital, Kyiv"): a target only when the
        # pattern's target is the object itself, else often a misparse ("a ceasefire, Saudi
        # Arabia and the United States said")
        hits = self.object_phrase_hits(direct or obj, verb,
                                       allow_appos=any(sl.startswith("dobj") for sl in slots), exclude=mine)
        if hits:
            # an actor's own units or belongings in its object are not its target ("Poland
            # scrambled fighter jets")
            # only a state and its organs own the state's units; rebels or a party do not
            own = self.home_states([h for h in subjects if self.country_sector(h) in ("", "GOV", "MIL")])
            def own_unit(h: Hit) -> bool:
                return self.country(h) in own and self.country_sector(h) in ("", "MIL", "GOV", "COP", "SPY")
            hits = [h for h in hits if h.actor is None or not own_unit(h)]
        return hits

    def adversary_hits(self, verb: Token) -> list[Hit]:
        """Whoever the clause sets itself "against", however deep the phrase."""
        for t in verb.subtree:
            if t.dep_ == "prep" and t.lower_ in ("against", "toward", "towards") and t.i > verb.i:
                # stay inside this clause: not under another verb of the sentence
                a, ok = t.head, True
                while a.i != verb.i:
                    if a.pos_ == "VERB" and a.dep_ in ("ccomp", "relcl", "advcl", "conj"):
                        ok = False
                        break
                    if a.head.i == a.i:
                        break
                    a = a.head
                if not ok:
                    continue
                for g in t.children:
                    if g.dep_ == "pobj":
                        hits = [h for h in self.hits_of(g) if not h.place] or self.object_phrase_hits(g, verb)
                        if hits:
                            return hits
        return []

    def code(self, hit: Hit) -> str:
        """The code a hit's actor holds on the article's date ("" when unresolved)."""
        return (self.actors.code_on(hit.actor, self.actors.published) or "") if hit.actor is not None else ""

    def country(self, hit: Hit) -> str:
        """The state (first three letters of the code) a hit's actor stands for on the article's date."""
        return self.code(hit)[:3]

    def country_sector(self, hit: Hit) -> str:
        """The sector (letters 4-6 of the code) of a hit's actor on the article's date."""
        return self.code(hit)[3:6]

    def home_states(self, hits: list[Hit]) -> set[str]:
        """The states the resolved hits belong to."""
        return {self.country(h) for h in hits if h.actor is not None}

    def outside_home(self, targets: list[Hit], sources: list[Hit]) -> list[Hit]:
        """Targets that are not the sources' own state: resigning, pulling back or ceasing fire
        inside one's own state has no target."""
        home = self.home_states(sources)
        return [h for h in targets if h.actor is None or self.actors.actors[h.actor].kind != "state"
                or self.country(h) not in home]

    @staticmethod
    def on_border(t: Token) -> bool:
        """A state named only as a border's side: "on the Thai border", "near the Syrian frontier"."""
        if t.dep_ == "poss":
            return False  # "near Macedonia's border": inside Macedonia
        if t.dep_ == "pobj" and t.head.lower_ == "with" and t.head.head.lemma_.lower() in BORDER_NOUNS:
            return True  # "its border with Bulgaria": the other side
        noun = t if t.lemma_.lower() in BORDER_NOUNS else t.head
        return noun.lemma_.lower() in BORDER_NOUNS and (noun.dep_ == "pobj" and noun.head.lower_ in (
            "on", "near", "along", "at", "across", "by", "to", "from") or noun.dep_ == "compound")

    def place_hits(self, verb: Token, deep: bool = False) -> list[Hit]:
        """"shelled villages in northern Syria", "rioted at a jail in northern Israel": the state
        where an act took place. ``deep`` also reads places named anywhere in the object phrase
        ("blew up power lines leading into Kabul")."""
        heads = [verb] + [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")]
        for tok in self.prep_objects(heads, LOCATIVE_PREPS):
            # "at" also marks the aim ("fired at it"): there only a place named inside the phrase
            # counts ("at a jail in northern Israel")
            at = tok.head.lower_ == "at"
            for t in tok.subtree:
                if at and t.i == tok.i:
                    continue
                h = self.hit(t)
                if h is not None and h.actor is not None and self.actors.actors[h.actor].kind == "state":
                    return [h]
        return self.place_inside(heads[1:]) if deep else []

    def place_inside(self, phrases: list[Token]) -> list[Hit]:
        """The first state named as a place anywhere inside the phrases, not as a border's side:
        "power lines leading into Kabul", "the mandate of the force in Lebanon"."""
        for phrase in phrases:
            for t in phrase.subtree:
                h = self.hit(t)
                if h is not None and not self.on_border(t) and h.place and h.actor is not None \
                        and self.actors.actors[h.actor].kind == "state":
                    return [h]
        return []

    def peacekeeping_destination(self, verb: Token, obj: Token | None) -> Token | None:
        """The peacekeeping or international force or mission troops are sent to, if any."""
        places = self.prep_objects([verb] + ([obj] if obj is not None else []), {"to", "for", "with", "into"})
        # "as part of the West African peacekeeping force", "under the UN mission"
        places += [t for p in self.prep_objects([verb], {"as", "under"}) for t in p.subtree]
        for t in places:
            if t.lemma_.lower() in ("force", "mission", "operation", "contingent", "deployment"):
                mods = {c.lower_ for c in t.subtree if c.i < t.i} | {
                    m for c in t.subtree if c.i < t.i for m in c.lower_.split("-")}
                if mods & PEACE_MISSION_WORDS:
                    return t
        return None

    def noun_participants(self, noun: Token) -> bool:
        """An actor named as the noun's adversary or counterpart ("the war with Iraq", "war between
        Iran and Iraq", "the Iran-Iraq war")."""
        for tok in self.prep_objects([noun], {"with", "against", "between", "on", "in"}):
            if any(not h.place for h in self.hits_of(tok)):
                return True
        mods = [c for c in noun.children if c.dep_ in ("compound", "amod", "nmod") and c.i < noun.i]
        return sum(1 for m in mods for t in m.subtree if self.hit(t) is not None) >= 2

    def from_treaty(self, tok: Token) -> bool:
        for t in self.prep_objects([tok], {"from"}):
            if t.lemma_.lower() in TREATY_NOUNS or any(
                    h.actor is not None and (self.actors.actors[h.actor].code or "").startswith("IGO") for h in self.hits_of(t)):
                return True
        return False

    def noun_pattern(self, noun: Token) -> NounPattern | None:
        """The event-noun pattern of a noun; the longer name first ("car bomb", "hunger strike")."""
        mods = [c for c in noun.children if c.dep_ in ("compound", "amod") and c.i < noun.i]
        lemma = noun.lemma_.lower()
        for k in range(len(mods) - 1, 0, -1):  # "improvised explosive device": the longest name first
            np = self.patterns.nouns.get(" ".join(m.lower_ for m in mods[-k - 1:]) + " " + lemma)
            if np is not None:
                return np
        for mod in mods:
            np = self.patterns.nouns.get(f"{mod.lower_} {lemma}")
            if np is not None:
                return np
        return self.patterns.nouns.get(lemma)

    def instrument_code(self, verb: Token) -> str | None:
        """The code of the weapon or attack a killing was done with, when the clause names it."""
        toks = [c for c in verb.children if c.dep_ == "nsubj" and c.pos_ == "NOUN"]
        toks += self.prep_objects([verb], {"by", "in", "with"})
        for t in toks:
            np = self.noun_pattern(t)
            if np is not None and np.cameo[:2] in ("18", "19", "20") and np.cameo not in ("190", "180"):
                return np.cameo
            if t.lemma_.lower() in AIR_WEAPONS and t.dep_ == "nsubj" and t.head.i == verb.i:
                return "195"  # "NATO warplanes struck targets": aerial weapons
        return None

    def verbal_attack(self, verb: Token, obj: Token | None, sources: list[Hit]) -> list[Hit] | None:
        """Whether an attack is made in words, not with force; if so, whom it is aimed at. It is when
        its object is an abstraction ("attacked the plan", "capture momentum", "battling disclosures":
        the target is the owner of the thing, if named), when it is called something ("attacked
        the plan as reckless"), or when politicians attack politicians with no force in the sentence
        ("Obama attacked Romney in a speech")."""
        if obj is None or obj.dep_ != "dobj":
            return None
        forceful = self.armed_subject(verb, sources) or any(
            t.lemma_.lower() in ARMED_NOUNS | FORCE_WORDS for t in verb.sent)
        as_phrase = any(c.dep_ == "prep" and c.lower_ == "as" and any(
            g.pos_ in ("ADJ", "NOUN") for g in c.children) for c in verb.children)
        hits = self.hits_of(obj)
        if not hits and not self.on_border(obj) and obj.pos_ == "NOUN" and \
                obj.lemma_.lower() not in CONCRETE_TARGETS and not any(c.dep_ == "nummod" for c in obj.children):
            owner = [h for c in obj.children if c.dep_ == "poss" for h in self.hits_of(c)] + [
                h for c in obj.children if c.dep_ == "prep" and c.lower_ == "of"
                for g in c.children if g.dep_ == "pobj" for h in self.hits_of(g)]
            return [h for h in owner if not h.place][:1]
        if hits and (as_phrase or not forceful) and sources and self.political(hits + sources):
            return hits
        if as_phrase and not forceful:
            return hits
        if not hits and obj.ent_type_ == "PERSON" and not forceful and sources and self.political(sources):
            return []  # "Obama attacked Romney in a speech": a politician the dictionary does not know
        return None

    def political(self, hits: list[Hit]) -> bool:
        """Whether every resolved hit is a person or a political body (government, party, media ...)."""
        return all(self.actors.actors[h.actor].kind == "person" or self.country_sector(h) in POLITICAL_SECTORS
                   for h in hits if h.actor is not None)

    def person_noun(self, tok: Token) -> bool:
        """A noun for people ("20 Palestinians", "the detainees", "three soldiers")."""
        # (a thing a nationality adjective qualifies is no person: "Argentine purchases")
        return tok.lemma_.lower() in CONCRETE_TARGETS or tok.tag_ in ("NNPS",) or tok.ent_type_ in ("NORP", "PERSON") or any(
            h.how not in ("adjective", "modifier") or self.actors.actors[h.actor].kind != "state"
            for h in self.hits_of(tok) if h.actor is not None)

    def armed_subject(self, verb: Token, sources: list[Hit]) -> bool:
        """The subject is a weapon or an armed force: "missiles hit Kyiv", "troops pounded the town"."""
        for c in verb.children:
            if c.dep_ == "nsubj" and c.lemma_.lower() in INANIMATE_AGENTS | ARMED_NOUNS:
                return True
        return any(self.country_sector(h) in ("MIL", "REB", "INS", "UAF") for h in sources if h.actor is not None)

    def inanimate_subject(self, verb: Token) -> bool:
        """The subject is a thing, not a doer: "a roadside bombing killed", "an explosion wounded"."""
        for c in verb.children:
            if c.dep_ == "nsubj":
                return c.pos_ == "NOUN" and self.actors.at(c) is None and c.lemma_.lower() in INANIMATE_AGENTS
        return False

    def purpose_hits(self, verb: Token, sources: list[Hit]) -> list[Hit]:
        """The actor a protest is aimed at, named in its purpose clause: "began a hunger strike to
        protest against Sweden's decision", "blocked a road to show their anger at the United States"."""
        own = actor_ids(sources)
        for c in verb.children:
            if c.dep_ in ("advcl", "xcomp") and c.pos_ == "VERB" and any(
                    a.dep_ == "aux" and a.lower_ == "to" for a in c.children):
                found = self.adversary_hits(c)
                for o in c.children:
                    if not found and o.dep_ in ("dobj", "prep"):
                        found = self.object_phrase_hits(o, c, allow_appos=False, exclude=own)
                found = [h for h in found if h.actor not in own and not h.place]
                if found:
                    return found
        return []

    def pressure_hits(self, verb: Token) -> list[Hit]:
        """Who pressed, in "despite pressure by X", "in defiance of calls from X", "despite X's demands"."""
        heads = [verb] + [c for c in verb.children if c.dep_ == "xcomp"]
        found = self.prep_objects(heads, {"despite"}) + [
            g for d in self.prep_objects(heads, {"in"}) if d.lower_ == "defiance" for g in self.prep_objects([d], {"of"})]
        for tok in found:
            if tok.lemma_.lower() in REQUEST_NOUNS | {"criticism", "protest", "opposition", "objection", "warning"}:
                hits = self.requester_hits(tok)
                if hits:
                    return hits
        return []

    def requester_hits(self, noun: Token) -> list[Hit]:
        """Who makes a demand a noun names: its owner or the object of its "from", "by" or "of"
        ("Brussels' pressure", "pressure from Brussels", "demands by the rebels")."""
        for c in noun.children:
            if c.dep_ == "poss":
                hits = self.hits_of(c)
            elif c.dep_ in ("prep", "agent") and c.lower_ in ("from", "by", "of"):
                hits = [h for g in c.children if g.dep_ == "pobj" for h in self.hits_of(g)]
            else:
                continue
            if hits:
                return hits
        return []

    def condition_hits(self, verb: Token, sources: list[Hit]) -> list[Hit]:
        """A threat is aimed at whoever must act to avert it: "unless Baghdad accepted its
        conditions", "if the United States goes ahead with the deployment"."""
        own = actor_ids(sources)
        for head in [verb] + [c for c in verb.children if c.dep_ == "xcomp"]:
            for c in head.children:
                if c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in ("unless", "if") for m in c.children):
                    for subj in c.children:
                        if subj.dep_ in ("nsubj", "nsubjpass"):
                            found = [h for h in self.hits_of(subj) if h.actor not in own and not h.place]
                            if found:
                                return found
        return []

    def slot_hits(self, verb: Token, slots: tuple[str, ...], obj: Token | None, passive: bool) -> list[Hit]:
        heads = [verb] + ([obj] if obj is not None else [])
        if obj is not None and (obj.lemma_.lower() in OF_OBJECT_NOUNS or obj.pos_ == "NUM"):
            heads += self.prep_objects([obj], {"of"})  # "one of its largest attacks on Kyiv"
        for slot in slots:
            if slot == "none":
                return []
            if slot == "dobj":
                # the verb's own direct object (also for prepositional verbs: "accused India of ...")
                tok = next((c for c in verb.children if c.dep_ in ("dobj", "nsubjpass" if passive else "dobj")), None)
                if tok is None:
                    tok = obj or self.effective_object(verb, passive)
                if tok is not None:
                    hits = self.hits_of(tok)
                    if hits:
                        return hits
                    # "destroyed the two countries' embassy": the owner of the object
                    owner = [c for c in tok.children if c.dep_ == "poss"]
                    if owner:
                        hits = self.hits_of(owner[0])
                        if hits:
                            return hits
            elif slot.startswith("prep:"):
                preps = set(slot[5:].split(","))
                for tok in self.prep_objects(heads, preps):
                    hits = self.hits_of(tok)
                    if hits:
                        return hits
                    if tok.pos_ == "NOUN" and tok.lemma_.lower() not in REQUEST_NOUNS | GROUP_NOUNS:
                        # "set fire to the offices of the Palestinian administrators", "fired at
                        # Israel's embassy": the owner of the thing
                        owner = [c for c in tok.children if c.dep_ == "poss" and c.pos_ != "PRON"] + [
                            g for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"
                            for g in c.children if g.dep_ == "pobj"]
                        hits = [h for o in owner[:1] for h in self.hits_of(o) if not h.place]
                        if hits:
                            return hits
                    if tok.lemma_.lower() in REQUEST_NOUNS:
                        # "bowed to pressure from Brussels", "conceded to demands by the rebels"
                        hits = self.requester_hits(tok)
                        if hits:
                            return hits
            elif slot in ("iobj", "dative"):
                for c in verb.children:
                    if c.dep_ == "dative":
                        hits = self.hits_of(c) or [h for g in c.children if g.dep_ == "pobj" for h in self.hits_of(g)]
                        if hits:
                            return hits
            elif slot in ("dobj.poss", "poss"):
                tok = obj or next((c for c in verb.children if c.dep_ == "dobj"), None)
                if tok is not None:
                    for c in tok.children:
                        if c.dep_ == "poss":
                            hits = self.hits_of(c)
                            if hits:
                                return hits
        return []

    # --- factuality -------------------------------------------------------------------
    @staticmethod
    def negated(tok: Token) -> bool:
        if any(c.dep_ == "neg" or (c.dep_ in ("advmod", "det") and c.lower_ in ("never", "no")) for c in tok.children):
            return True
        # "has yet to approve": not done
        head = tok.head
        if tok.dep_ == "xcomp" and head.lemma_ in ("have", "be") and any(c.lower_ == "yet" for c in head.children):
            return True
        return False

    @staticmethod
    def aux_mode(verb: Token) -> str | None:
        if any(c.dep_ == "advmod" and c.lower_ in HEDGES for c in verb.children):
            return "hypothetical"  # "he likely hopes", "allegedly attacked": not a reported fact
        auxes = {c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")}
        if auxes & FUTURE_AUX:
            return "future"
        if auxes & HYPOTHETICAL_AUX:
            return "hypothetical"
        return None

    @staticmethod
    def conditional(verb: Token) -> bool:
        t = verb
        for _ in range(4):
            if any(c.dep_ == "mark" and c.lower_ in CONDITIONAL_MARKS for c in t.children):
                return True
            if t.dep_ == "advcl" and t.left_edge.lower_ in ("should", "were", "had") and t.left_edge.dep_ in ("aux", "auxpass"):
                return True  # "Should the truce collapse, ...": an inverted "if"
            if t.head.i == t.i or t.dep_ not in ("advcl", "conj", "xcomp", "ccomp"):
                break
            t = t.head
        return False

    def verb_key(self, verb: Token) -> list[str]:
        lemma = verb.lemma_.lower()
        keys = []
        for c in verb.children:
            if is_particle(c, verb):
                keys.append(f"{lemma} {c.lower_}")
        keys.append(lemma)
        return keys

    def effective_object(self, verb: Token, passive: bool) -> Token | None:
        obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
        if obj is None and passive:
            obj = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
        if obj is None:
            # "sit face to face with", "held talks" parsed as attr/oprd/npadvmod
            obj = next((c for c in verb.children if c.dep_ in ("attr", "oprd")), None)
        if obj is None:
            # "denounced as an ugly crime Serbia's suppression of ...": the object moved past "as X"
            for c in verb.children:
                if c.dep_ == "prep" and c.lower_ == "as":
                    for g in c.children:
                        obj = obj or next((a for a in g.children if a.dep_ == "appos" and a.i > g.i), None)
                        # "rejected as baseless Indian claims": the judgement ran into the object
                        if obj is None and g.dep_ == "pobj" and g.left_edge.pos_ == "ADJ" and g.left_edge.i == c.i + 1 \
                                and any(m.dep_ in ("amod", "compound") and m.i > g.left_edge.i for m in g.children):
                            obj = g
        if obj is None and not passive:
            # "shortened by one hour the nightly curfew imposed in Sudan after a coup toppled ...": an
            # object moved past a phrase of the verb is parsed as the subject of a clause after it
            for c in verb.children:
                if c.dep_ == "ccomp" and not any(m.dep_ == "mark" for m in c.children):
                    n = next((g for g in c.children if g.dep_ == "nsubj" and g.pos_ == "NOUN"), None)
                    if n is not None and n.left_edge.i > verb.i + 1 and all(
                            t.dep_ in ("prep", "agent", "pobj", "nummod", "det", "amod", "npadvmod", "advmod")
                            or t.head.dep_ in ("prep", "agent", "pobj") for t in verb.doc[verb.i + 1:n.left_edge.i]):
                        obj = n
        if obj is None:
            # "kidnapped up to 16 advisers": the parser hung the counted object on "up to"
            for c in verb.children:
                if c.lower_ == "up" and c.dep_ in ("prt", "advmod", "prep"):
                    for p in c.children:
                        if p.dep_ == "prep" and p.lower_ == "to":
                            obj = next((g for g in p.children if g.dep_ == "pobj" and any(
                                n.dep_ == "nummod" for n in g.children)), None)
        return obj

    def object_forms(self, obj: Token) -> set[str]:
        """The ways a pattern may name this object: its lemma, with its modifiers ("air strike",
        "pressure campaign"), with an of-complement ("state of emergency"), and the same for
        coordinated objects; "the possibility of a summit" also offers "summit"."""
        forms: set[str] = set()
        for t in self.with_conj(obj):
            lemma = t.lemma_.lower()
            forms |= {lemma, t.lower_}
            mods = [c for c in t.children if c.dep_ in ("compound", "amod") and c.i < t.i]
            for m in mods:
                forms.add(f"{m.lemma_.lower()} {lemma}")
                forms.add(f"{m.lower_} {lemma}")
            if lemma in GENERIC_HEADS and mods:
                # "suspended aid deliveries", "a military aid programme": the modifier says what it is
                last = mods[-1]
                forms.add(last.lemma_.lower())
                before = mods[:-1] + [c for c in last.children if c.dep_ in ("compound", "amod") and c.i < last.i]
                if before:
                    forms.add(f"{before[-1].lower_} {last.lemma_.lower()}")
            if len(mods) > 1:
                forms.add(" ".join(m.lower_ for m in mods) + " " + lemma)
            for c in t.children:
                if c.dep_ == "prep" and c.lower_ == "of":
                    for g in c.children:
                        if g.dep_ == "pobj":
                            forms.add(f"{lemma} of {g.lemma_.lower()}")
            if lemma in ABSTRACT_OBJECTS or lemma in QUANTITY_NOUNS or lemma in PART_NOUNS or lemma in COLLECTIVE_NOUNS \
                    or t.pos_ == "NUM":
                for g in self.prep_objects([t], {"of", "for"}):
                    forms |= self.object_forms(g)
        return forms

    def match_verb(self, verb: Token, obj: Token | None) -> VerbPattern | None:
        found = self.match_verb_object(verb, obj)
        return found[0] if found else None

    def match_verb_object(self, verb: Token, obj: Token | None) -> tuple[VerbPattern, Token | None] | None:
        """The most specific pattern for a verb, trying phrasal and prepositional forms first;
        returns it with the token that served as its object."""
        lemma = verb.lemma_.lower()
        if not self.patterns.for_verb(lemma):
            # the lemmatizer's slips ("staged" -> "stag"): try the regular forms of the word
            for cand_lemma in regular_lemmas(verb.lower_):
                if self.patterns.for_verb(cand_lemma):
                    lemma = cand_lemma
                    break
        prts = [c for c in verb.children if is_particle(c, verb)]
        # "called on Sunday for sanctions": a preposition of time does not make "call on"
        preps = [c for c in verb.children if c.dep_ in ("prep", "agent") and not (c.lower_ in ("on", "in", "at") and any(
            g.dep_ == "pobj" and g.ent_type_ in ("DATE", "TIME") for g in c.children))]
        xcomps = [c for c in verb.children if c.dep_ == "xcomp"]
        lemmas = [lemma]
        # "reimposed the blockade", "re-deployed troops": the act done again
        bare = lemma[3:] if lemma.startswith("re-") else lemma[2:] if lemma.startswith("re") else ""
        if bare in REPEATABLE_VERBS:
            lemmas.append(bare)
        keys: list[tuple[str, Token | None]] = []
        for lem in lemmas:
            for prt in prts:
                for prep in preps:
                    pobj = next((g for g in prep.children if g.dep_ == "pobj"), None)
                    keys.append((f"{lem} {prt.lower_} {prep.lower_}", pobj))
            for prep in preps:
                pobj = next((g for g in prep.children if g.dep_ in ("pobj", "pcomp")), None)
                keys.append((f"{lem} {prep.lower_}", pobj))
            for prt in prts:
                keys.append((f"{lem} {prt.lower_}", obj))
            keys.append((lem, obj))
        for key, o in keys:
            pats = self.patterns.for_verb(key)
            if not pats:
                continue
            forms = self.object_forms(o) if o is not None else set()
            forms |= {f"to {x.lemma_.lower()}" for x in xcomps}
            # "took more than 1,000 people hostage": the object's predicate names the act
            forms |= {c.lemma_.lower() for c in verb.children if c.dep_ in ("oprd", "npadvmod", "advmod") and c.pos_ == "NOUN"}
            for pat in pats:
                if not pat.objects or pat.objects & forms:
                    return pat, o
        return None

    # --- coding ---------------------------------------------------------------------------
    def code_sentence(self, sent: Span) -> list[Candidate]:
        cands: list[Candidate] = []
        consumed: set[int] = set()  # nouns used as objects of a coded verb
        if sent.text.rstrip().endswith("?"):
            return cands
        for tok in sent:
            # an infinitive the tagger took for a noun ("agreed to resume"), but not a noun that
            # has its own modifiers ("bowed to pressure from Brussels", "to strong pressure")
            verbal_noun = (tok.pos_ == "NOUN" and tok.i > 0 and tok.doc[tok.i - 1].lower_ == "to"
                           and tok.dep_ == "pobj" and bool(self.patterns.for_verb(tok.lower_))
                           and not any(c.dep_ in ("det", "poss", "amod", "compound") or
                                       c.dep_ == "prep" and c.lower_ in ("from", "by", "of") for c in tok.children))
            if tok.dep_ == "amod" and tok.tag_ in ("VBG", "VBN") and tok.head.pos_ in ("NOUN", "PROPN"):
                continue  # "striking oil workers", "the visiting premier": a description, not an act
            if tok.lemma_.lower() in SPORT_VERBS and SCORE.search(sent.text):
                continue  # "Brazil beat Argentina 2-0": a match, not an assault
            # a clause's verb the tagger took for a noun: "demanded that Iran halt enrichment"
            clause_noun = tok.pos_ == "NOUN" and tok.dep_ == "ccomp" and any(c.dep_ == "nsubj" for c in tok.children) \
                and bool(self.patterns.for_verb(tok.lower_))
            if tok.pos_ == "VERB" or verbal_noun or clause_noun or (tok.pos_ == "AUX" and tok.dep_ == "ROOT" and tok.lemma_ == "have"):
                c = self.code_verb(tok, sent, consumed)
                if c is not None:
                    cands.append(c)
        for tok in sent:
            if tok.pos_ in ("NOUN", "PROPN") and tok.i not in consumed and tok.ent_type_ not in ("DATE", "TIME") \
                    and not (tok.dep_ == "amod" and tok.lower_.endswith(("ing", "ed"))):
                # ("in March" is a month, not a protest march)
                c = self.code_noun(tok, sent)
                if c is not None:
                    cands.append(c)
        return cands

    def code_verb(self, verb: Token, sent: Span, consumed: set[int]) -> Candidate | None:
        if verb.i in consumed:
            return None
        sources, passive = self.subjects(verb)
        obj = self.effective_object(verb, passive)
        if obj is None and verb.lemma_.lower() in STATIVE_PASSIVES:
            # "Israel is opposed to French mediation": what the stance is about is the object
            obj = next((g for tok in self.prep_objects([verb], {"to"}) for g in [tok]), None)
        if verb.lemma_ == "have" and obj is not None and obj.lemma_.lower() == "comment" and self.negated(obj) and sources:
            return Candidate("011", sources, [], [verb, obj], "no comment", sent, clause_head=verb)  # "had no comment"
        # "has no intention to sit with X" / "has no interest in talks with X": a refusal
        refusal_noun = None
        if verb.lemma_ == "have" and obj is not None and obj.lemma_.lower() in REFUSAL_NOUNS and (
                self.negated(obj) or self.negated(verb)):
            refusal_noun = obj
        found = self.match_verb_object(verb, obj)
        if obj is not None and self.hit(obj) is not None:
            # "supplied Hezbollah with rockets", "provided Kyiv with air defences": what is given
            given = self.prep_objects([verb], {"with"})
            better = self.match_verb_object(verb, given[0]) if given else None
            if better is not None and better[0].objects:
                found = (better[0], obj)
        pat, obj = (found[0], found[1]) if found else (None, obj)
        if refusal_noun is not None:
            inner = self.embedded_event(refusal_noun, consumed)
            if inner is None:
                return None
            code = _map(REFUSAL_CODE, inner[0]) or "120"
            return Candidate(code, sources, inner[1], [verb, refusal_noun], f"refusal:{inner[2]}", sent,
                             clause_head=verb)
        demand = (self.reported_demand(verb, pat.cameo if pat else None, pat.id if pat else "clause", sent, consumed)
                  or self.noun_demand(verb, pat.cameo if pat else None, sent, consumed))
        if demand is not None:
            return demand
        if pat is None:
            # "would like to see Trump and Kim hold a meeting", "urged Iran to return to talks"
            if verb.lemma_.lower() in ASKING_HEADS and not self.negated(verb):
                inner = self.appeal_object(verb, consumed)
                # "called Ohio one of the most competitive states", "asked him about the vote": naming and
                # questioning; an appeal asks for something ("called on Iran to ...", "asked Iran to ...")
                naming = verb.lemma_.lower() == "call" and any(c.dep_ in ("oprd", "attr") for c in verb.children)
                asks = inner is not None and not naming and (
                    inner[0] is not None or verb.lemma_.lower() not in ("call", "ask", "tell")
                    or any(c.dep_ in ("xcomp", "ccomp") for c in verb.children))
                if inner and inner[1] and asks:
                    mapped = (_map(APPEAL_CODE, inner[0]) if inner[0] else None) or "020"
                    return Candidate(mapped, sources, inner[1], [verb], "appeal", sent, clause_head=verb)
            return None
        if self.under_claim(verb):
            return None  # "accused the army of bombing homes, killing 17": the claim is coded, not the act
        attempted = verb.dep_ in ("acl", "xcomp") and verb.head.lemma_.lower() in ATTEMPT_NOUNS and \
            pat.cameo[:2] in ("17", "18", "19", "20")
        if self.under_modal_noun(verb) and not attempted:
            return None  # "an attempt to get Seoul to pressure Washington", "the refusal to relax sanctions"
        if obj is not None and pat.objects:
            consumed.add(obj.i)
            consumed.update(t.i for t in self.prep_objects([obj], {"of", "for"}))
        code = pat.cameo
        reported = next((c for c in verb.children if c.dep_ == "ccomp"), None)
        if reported is None and verb.dep_ in ("ccomp", "parataxis") and verb.head.i < verb.i and \
                verb.head.pos_ in ("VERB", "AUX") and not any(c.dep_ in ("dobj", "prep") for c in verb.children):
            # "Croatian authorities are failing to ..., a human rights group protested": the content first
            reported = verb.head
        elif reported is None and verb.dep_ == "acl" and verb.head.left_edge.i > 0 and \
                verb.doc[verb.head.left_edge.i - 1].text == "," and not any(c.dep_ in ("dobj", "prep") for c in verb.children):
            # the same with the reporter parsed as a noun phrase: "..., a human rights group protested here"
            up = verb.head
            while (up.dep_ in ("appos", "pobj", "prep", "dobj", "conj") or up.dep_ == "xcomp" and not any(
                    c.dep_ == "nsubj" for c in up.children)) and up.head.i < up.i:
                up = up.head
            if up.pos_ in ("VERB", "AUX") and up.i < verb.i:
                reported = up
        if obj is not None and obj.lemma_.lower() in ("request", "appeal", "plea", "call", "application") and \
                pat.verb in ("send", "make", "issue", "submit", "file", "lodge", "deliver", "forward", "extend"):
            # "a request for military assistance was sent to the CSTO": an appeal, not the assistance
            asked = [t for t in self.prep_objects([obj], {"for"})]
            inner = None
            for t in asked:
                forms = self.object_forms(t)
                inner = next((p.cameo for key in ("provide", "give", "send") for p in self.patterns.for_verb(key)
                              if p.objects and p.objects & forms), None)
                if inner:
                    break
            code = (_map(APPEAL_CODE, inner) if inner else None) or "020"
            pat = VerbPattern(pat.id, code, pat.verb, pat.objects, ("prep:to", "iobj", "none"))
        if pat.verb == "protest" and reported is not None and obj is None:
            code = "111"  # "a rights group protested that the authorities fail to ...": criticism, not a rally
        if pat.verb in ACTOR_OBJECT_VERBS and not pat.objects and (obj is None or not self.person_noun(obj)):
            return None  # "released a campaign ad", "US stocks sink", "sank the deal": no person or actor acted on
        if pat.verb in ("hit", "pound") and not pat.objects and not self.armed_subject(verb, sources):
            return None  # "the recession hit Greece", "sanctions hit Russia": not an attack
        if code[:2] in ("18", "19") and not pat.objects and pat.verb in VERBAL_ATTACK_VERBS | ABSTRACT_FIGHT_VERBS:
            verbal = self.verbal_attack(verb, obj, sources)
            if verbal is not None:
                if pat.verb not in VERBAL_ATTACK_VERBS:
                    return None  # "struggled to capture momentum", "battling damaging disclosures"
                # "attacked the plan as reckless", "Obama attacked Romney in a speech": criticism
                consumed.update(t.i for t in ([obj] if obj is not None else []))
                return Candidate("111", sources, verbal, [verb], pat.id, sent, clause_head=verb)
        if code.startswith("150") and obj is not None and obj.lemma_.lower() in EXERCISE_NOUNS and joint_exercise(obj, sources):
            code = "062"  # "Russia and China held joint naval exercises"
        mission = self.peacekeeping_destination(verb, obj) if code[:2] in ("15", "07") else None
        if code == "042" and any(c.dep_ == "nsubj" and c.lemma_.lower() in ("inspector", "investigator", "monitor", "observer")
                                 for c in verb.children):
            code = "090"  # "IAEA inspectors visited the plant": an inspection, not a visit
        if pat.verb in ("leave", "quit") and not pat.objects and not any(
                c.dep_ == "nsubj" and c.lemma_.lower() in TROOP_NOUNS for c in verb.children):
            return None  # "the minister left Paris": a departure, not a withdrawal
        if code == "042":
            # troops do not visit: peacekeepers arriving are provided (074), other troops deployed (154)
            troops = [c for c in verb.children if c.dep_ == "nsubj" and c.lemma_.lower() in TROOP_NOUNS]
            if troops:
                words = {t.lower_ for t in troops[0].subtree} | {m for t in troops[0].subtree for m in t.lower_.split("-")}
                code = "074" if words & {"peacekeeping", "peacekeepers", "peacekeeper", "un", "u.n.", "nato",
                                         "international", "multinational"} else "154"
        if mission is not None:
            code = "074"  # "will send troops to the UN mission in South Sudan": peacekeepers, not a build-up
        negated = self.negated(verb)
        mode = self.aux_mode(verb)
        if self.conditional(verb):
            return None
        if verb.dep_ == "ccomp" and verb.tag_ == "VB" and not any(c.dep_ in ("aux", "auxpass") for c in verb.children) \
                and verb.head.lemma_.lower() in DEMAND_REPORTING | APPEAL_HEADS | {"insist", "demand", "propose", "suggest", "recommend"}:
            return None  # "insisted that Mubarak step down": demanded, not done
        # "ruled out ceding territory", "rejected holding talks": a gerund under a refusal or claim
        gerund = verb.tag_ == "VBG" and verb.dep_ in ("dobj", "advcl") and \
            verb.head.lemma_.lower() in REFUSAL_HEADS | NOT_FACT_HEADS
        head = verb.head if verb.dep_ in ("xcomp", "ccomp", "advcl", "pcomp", "acl") or gerund else None
        if head is not None and head.dep_ == "prep":
            head = head.head
        if verb.dep_ == "pobj" and verb.head.lower_ == "to":  # "set to land": a complement
            head = verb.head.head
        head_lemma = head.lemma_.lower() if head is not None else ""
        # embedded under another verb: the head decides what kind of fact this is
        if head is not None and (verb.dep_ in ("xcomp", "pcomp", "ccomp", "acl") or verb.dep_ == "pobj" or gerund
                                 or appeal_infinitive(verb)):
            if head_lemma in NOT_FACT_HEADS:
                return None
            if head_lemma in FAIL_HEADS or self.negated(head) and head_lemma in INTENT_HEADS:
                if head_lemma in FAIL_HEADS and head_lemma in ("fail", "neglect"):
                    negated = True
                else:
                    code = _map(REFUSAL_CODE, code) or None
                    if code is None:
                        return None
            elif head_lemma in REFUSAL_HEADS:
                return None  # coded at the head (see refusal_object)
            elif head_lemma in THREAT_HEADS and verb.dep_ == "xcomp" and _map(THREAT_CODE, code):
                return None  # coded at the head (see threat_object)
            elif head_lemma in APPEAL_HEADS and (verb.dep_ == "xcomp" or appeal_infinitive(verb)) or head_lemma in WISH_HEADS and any(
                    c.dep_ in ("nsubj", "dobj") and c.i < verb.i for c in verb.children):
                return None  # coded at the head as an appeal
            elif head_lemma in ATTEMPT_HEADS | ATTEMPT_NOUNS and code[:2] in ("14", "15", "17", "18", "19", "20"):
                # an attempted assault is coded as the assault, an attempted killing as CAMEO's attempt
                # to assassinate ("attempted to assassinate", "an attempt on the life of")
                if code == "186":
                    code = "185"
            elif head_lemma in INTENT_HEADS or head.pos_ in ("NOUN",) and head.lemma_.lower() in MODAL_NOUNS:
                mode = "intent"
        if mode == "hypothetical" and verb.dep_ == "ccomp" and head_lemma in REPORTING_HEADS and any(
                c.lower_ == "would" for c in verb.children if c.dep_ == "aux"):
            mode = "future"  # "said it would suspend": the future of reported speech
        if negated:
            # a negated act is not coded as the act. Refusing it for the future ("will not accept
            # the demands", "won't meet") is a rejection; a plain past negation is nothing.
            if mode in ("future", "intent") or any(c.lower_ in ("will", "wo", "'ll", "would") for c in verb.children
                                                   if c.dep_ == "aux"):
                refusal = _map(REFUSAL_CODE, code)
                if refusal is None:
                    return None
                code, negated, mode = refusal, False, None
            else:
                return None
        if any(c.dep_ == "advcl" and c.left_edge.lower_ in ("should", "were", "had") and c.left_edge.dep_ in ("aux", "auxpass")
               for c in verb.children) and code[:2] not in HOSTILE_ROOTS:
            return None  # "Should the truce collapse, Lebanon would ask the Council ...": not a fact
        if mode in ("future", "intent") and code[:2] in ("03", "04", "05", "06", "07", "08"):
            intent = _map(INTENT_CODE, code)
            if intent:
                code = intent
        if (mode in ("future", "intent") or mode == "hypothetical" and code[:2] in HOSTILE_ROOTS and any(
                c.dep_ == "aux" and c.lower_ in ("may", "might", "could", "would") for c in verb.children)) and any(
                c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in ("unless", "if") for m in c.children)
                for c in verb.children):
            # "the EC may halt its mediation if the fighting goes on": a hostile act made
            # conditional on another's conduct is a threat
            # "will withdraw its force unless the president ...": a conditional promise is a threat
            code = _map(THREAT_CODE, pat.cameo) or "130"
            mode = "conditional" if mode == "hypothetical" else mode
        elif mode in ("future", "intent") and code[:2] in ("14", "15", "16", "17", "18", "19", "20"):
            # a hostile act announced for later is a threat ("will boycott", "plans to impose")
            code = _map(THREAT_CODE, code) or "130"
        elif mode == "hypothetical":
            return None
        if code in ("190", "180"):
            # "a car bomb killed", "were killed in a suicide bombing": the weapon names the act
            code = self.instrument_code(verb) or code
        left_treaty = code.startswith("087") and self.from_treaty(verb)
        if left_treaty:
            code = "160"  # "withdrew from the NPT": leaving a treaty or body reduces relations, no retreat
        act = pat.cameo  # the act itself, before intent or threat recoding
        source_how = target_how = None
        if not sources and passive and act[:2] == "15":
            # "thousands of police officers were deployed in Mombasa": the forces deployed act
            sources = [h for c in verb.children if c.dep_ == "nsubjpass" for h in self.hits_of(c)]
        # peacekeepers go to a state: "to a UN force in Liberia" is aid to Liberia
        mission_place = [h for t in (mission.subtree if mission is not None else ()) if (h := self.hit(t)) is not None
                         and h.place][:1]
        # "an attempt to assassinate the deputy governor was thwarted in Khanty-Mansiysk": an act named
        # by a noun with no agent of its own happened where the noun's clause did
        plot = verb.head if verb.dep_ in ("acl", "xcomp") and verb.head.pos_ == "NOUN" and \
            verb.head.lemma_.lower() in PLOT_NOUNS and not any(c.dep_ == "poss" for c in verb.head.children) else None
        if not sources and act[:2] in ("09", "17", "18", "19", "20") and (
                passive or self.inanimate_subject(verb) or plot is not None):
            # "was arrested in Lebanon", "were killed by a roadside bomb outside Basra", "a car bomb
            # near Samarra killed two soldiers": an act without a named agent is coded, as in CAMEO
            # practice, to the state where it happened
            origin = [h for tok in self.prep_objects([verb], {"from"}) for h in self.hits_of(tok)
                      if h.actor is not None and self.actors.actors[h.actor].kind == "state"]
            # the place of the deed, else of the weapon: "by a car bomb in eastern Beirut"
            weapons = [c for c in verb.children if c.dep_ == "nsubj"] + [
                g for c in verb.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
            # ... or of the phrase the act is done under: "was put under investigation in Italy"
            under = [g for c in verb.children if c.dep_ == "prep" and c.lower_ not in LOCATIVE_PREPS
                     for g in c.children if g.dep_ == "pobj"]
            sources = origin[:1] or self.place_hits(verb) or [h for w in weapons for h in self.place_hits(w, deep=True)][:1] \
                or [h for u in under for h in self.place_hits(u)][:1] \
                or (self.place_hits(plot.head) if plot is not None and plot.head.pos_ in ("VERB", "AUX") else [])
            source_how = "location" if sources else None
        targets = mission_place or self.target_hits(verb, pat.targets, obj, passive)
        if left_treaty:
            # only a body left is a target ("the Paris agreement" names no state)
            targets = [h for h in targets if h.actor is not None and (self.actors.actors[h.actor].code or "").startswith("IGO")]
        if not targets and code[:2] in ("13", "14", "15", "16", "17", "18", "19", "20"):
            targets = self.adversary_hits(verb)  # "mobilized reservists for a war against Iraq"
        if not targets and act[:2] == "14":
            targets = self.purpose_hits(verb, sources)  # "went on strike to protest Sweden's decision"
        if not targets and (act[:2] in ("08", "09", "14", "15", "17", "18", "19", "20") or code[:2] == "09"):
            # "lifted the curfew in Montenegro", "shelled villages in Syria", "blew up power lines
            # leading into Kabul"
            targets = self.place_hits(verb, deep=act[:2] in ("17", "18", "19", "20"))
        if act[:2] in ("08", "14", "17") and not act.startswith(("0831", "087")) and targets and targets[0].actor is not None \
                and self.actors.actors[targets[0].actor].kind == "state" and any(
                    self.country(h) == self.country(targets[0]) for h in sources if h.actor is not None):
            # "demonstrated in Serbia", "extended the curfew in Abidjan": aimed at one's own state
            target_how = "domestic"
        trigger = [verb] + ([obj] if obj is not None and pat.objects else [])
        cand = Candidate(code, sources, targets, trigger, pat.id, sent, mode=mode, clause_head=verb,
                         specific=bool(pat.objects), source_how=source_how, target_how=target_how,
                         confidence=0.5 if source_how else 1.0)
        # refusals and appeals over an embedded act take their code from it
        if (verb.lemma_.lower() in REFUSAL_HEADS or code.startswith("12")) and not code.startswith("01"):
            # (not "declined to comment": a refusal to speak is a statement, CAMEO's 011)
            inner = self.refusal_object(verb, obj, consumed)
            if inner is not None:
                cand.code = _map(REFUSAL_CODE, inner[0]) or cand.code
                if not cand.targets:
                    cand.targets = inner[1]
        if code in ("030", "031", "032", "035", "036") and not targets:
            # "promised to continue military aid to Mozambique": the act is a noun in the complement
            inner = self.complement_noun_act(verb, consumed)
            if inner is not None:
                cand.code = _map(INTENT_CODE, inner[0]) or cand.code
                cand.targets = inner[1]
        if verb.lemma_.lower() in THREAT_HEADS or code.startswith("13"):
            inner = self.threat_object(verb, consumed)
            if inner is not None:
                cand.code = inner[0]
                if inner[1]:
                    cand.targets = inner[1]
        if verb.lemma_.lower() in ASKING_HEADS or code.startswith("02"):
            inner = self.appeal_object(verb, consumed)
            if inner is not None:
                mapped = _map(APPEAL_CODE, inner[0]) if inner[0] else None
                if mapped:
                    cand.code = mapped if not code.startswith("10") else "10" + mapped[2:] if mapped[:2] == "02" and len(mapped) > 2 else code
                if inner[1]:
                    cand.targets = inner[1]
        # the actor's own things are not its target ("in its Gulf war"): make room for the fallbacks
        own = actor_ids(sources)
        if cand.target_how != "domestic":
            # (also another mention of the same code: "its peacekeeping forces" are the UN's)
            own_codes = {self.code(h) for h in sources if h.actor is not None}
            cand.targets = [h for h in cand.targets if h.actor is None or h.members or h.actor not in own and
                            self.code(h) not in own_codes]
        if not cand.targets and not sources_are_pair(sources) and not cand.code.startswith("01"):
            # the target may sit in the complement: "threatened to break relations with Russia",
            # "refused to commit to any assistance to the US-led war", "threatened to ban voting in
            # East Jerusalem" (not for speech verbs, whose complement is what was said)
            cand.targets = [h for h in self.complement_targets(verb, cand.code) if h.actor not in own]
        if act.startswith(("0831", "087")) and cand.target_how != "domestic":
            cand.targets = self.outside_home(cand.targets, sources)
        if not cand.targets and cand.code.startswith("13"):
            cand.targets = self.condition_hits(verb, sources)
        if not cand.targets and cand.code.startswith("12"):
            # "declined to resign despite growing pressure by the anti-corruption commission": a refusal
            # is aimed at whoever pressed for the thing refused
            cand.targets = [h for h in self.pressure_hits(verb) if h.actor not in own]
            if not cand.targets and obj is not None:
                # "rejected a call for its peacekeepers to be deployed in East Timor": what was refused
                # concerns that state
                home = self.home_states(sources)
                cand.targets = [h for h in self.place_hits(verb, deep=True) if self.country(h) not in home][:1]
        if not cand.targets and cand.code[:2] == "11" and reported is not None:
            # "complained that Croatian authorities fail to ...": the criticism is of the clause's subject
            cand.targets = [h for c in reported.children if c.dep_ in ("nsubj", "nsubjpass")
                            for h in self.hits_of(c) if h.actor not in own]
        # coordinated subjects of a mutual act ("X and Y met", "agreed", "clashed"): one symmetric
        # event; of a one-sided act ("NBC and ABC reported", "X and Y condemned the attack") each acts alone
        if (len(sources) >= 2 or any(h.members for h in sources)) and not cand.targets and cand.code.startswith(MUTUAL_ROOTS):
            cand.symmetric = True
        return cand

    def noun_demand(self, verb: Token, code: str | None, sent: Span, consumed: set[int]) -> Candidate | None:
        """"reiterated its demand that Israel ease restrictions", "issued a call for Iran to ...": the
        clause under a demand noun is what is demanded, of the clause's subject."""
        if verb.dep_ not in ("ccomp", "acl") or verb.head.i == verb.i:
            return None
        head = verb.head
        noun = head if head.pos_ == "NOUN" else next(
            (c for c in head.children if c.dep_ == "dobj" and c.lemma_.lower() in DEMAND_NOUNS), None)
        if noun is None or noun.lemma_.lower() not in DEMAND_NOUNS:
            return None
        owner = [h for c in noun.children if c.dep_ == "poss" for h in self.hits_of(c)]
        gov = noun.head if noun.dep_ == "dobj" else head
        speaker = owner or (self.subjects(gov)[0] if gov.pos_ in ("VERB", "AUX") else [])
        addressees = [h for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") for h in self.hits_of(c)]
        if not (speaker and addressees):
            return None
        mapped = _map(APPEAL_CODE, code) if code else None
        demand = "10" + mapped[2:] if mapped and mapped[:2] == "02" and len(mapped) > 2 else "100"
        consumed.update(t.i for t in verb.subtree)
        consumed.add(noun.i)
        return Candidate(demand, speaker, addressees, [noun, verb], "demand:noun", sent, clause_head=gov)

    def reported_demand(self, verb: Token, code: str | None, pattern: str, sent: Span,
                        consumed: set[int]) -> Candidate | None:
        """"Mubarak said the US must mediate": the speaker demands the act of the clause's subject."""
        clause = verb
        for _ in range(3):  # "must be ready to mediate": the modal sits on the copula
            if clause.dep_ in ("xcomp", "acomp") and clause.head.i != clause.i:
                clause = clause.head if clause.head.pos_ in ("VERB", "AUX") else clause.head.head
            else:
                break
        rep = clause.head if clause.dep_ == "ccomp" else None
        # "must", "should" -- or the bare subjunctive after a verb of demanding ("insisted that he step down")
        subjunctive = rep is not None and rep.lemma_.lower() in SUBJUNCTIVE_HEADS and (
            clause.tag_ in ("VB", "VBP", "NN") and not any(c.dep_ in ("aux", "auxpass") for c in clause.children)
            or clause.tag_ == "VBN" and [c.lower_ for c in clause.children if c.dep_ in ("aux", "auxpass")] == ["be"])
        if rep is None or not (rep.lemma_.lower() in DEMAND_REPORTING or subjunctive) or not (subjunctive or any(
                c.lower_ in DEMAND_AUX for c in clause.children if c.dep_ == "aux")):
            return None
        if self.negated(rep):
            return None  # "Ukraine is not demanding that Hungary change its law"
        speaker, _ = self.subjects(rep)
        addressees = [h for c in clause.children if c.dep_ in ("nsubj", "nsubjpass") for h in self.hits_of(c)]
        if not (speaker and addressees):
            return None
        mapped = _map(APPEAL_CODE, code) if code else None
        demand = "10" + mapped[2:] if mapped and mapped[:2] == "02" and len(mapped) > 2 else "100"
        consumed.update(t.i for t in clause.subtree)  # what is demanded is not a fact
        return Candidate(demand, speaker, addressees, [rep, verb], f"demand:{pattern}", sent, clause_head=rep)

    def embedded_event(self, noun: Token, consumed: set[int]) -> tuple[str, list[Hit], str] | None:
        """The act an intention noun points to: "intention to sit with X", "interest in talks with X"."""
        for c in noun.children:
            if c.dep_ in ("acl", "relcl") and c.pos_ == "VERB":
                obj = self.effective_object(c, False)
                pat = self.match_verb(c, obj)
                if pat:
                    consumed.add(c.i)
                    return pat.cameo, self.target_hits(c, pat.targets, obj, False), pat.id
            if c.dep_ == "prep" and c.lower_ in ("in", "of", "for", "to"):
                for g in c.children:
                    if g.dep_ == "pobj" and g.lemma_.lower() in self.patterns.nouns:
                        np = self.patterns.nouns[g.lemma_.lower()]
                        consumed.add(g.i)
                        return np.cameo, self.noun_targets(g, np, []), np.id
                    if g.dep_ == "pcomp" and g.pos_ == "VERB":
                        obj = self.effective_object(g, False)
                        pat = self.match_verb(g, obj)
                        if pat:
                            consumed.add(g.i)
                            return pat.cameo, self.target_hits(g, pat.targets, obj, False), pat.id
        return None

    def refusal_object(self, verb: Token, obj: Token | None, consumed: set[int]) -> tuple[str, list[Hit]] | None:
        for c in verb.children:
            if (c.dep_ in ("xcomp", "dobj") or c.dep_ == "advcl" and c.tag_ == "VBG") and c.pos_ == "VERB":
                o = self.effective_object(c, False)
                pat = self.match_verb(c, o)
                consumed.add(c.i)
                if pat:
                    return pat.cameo, self.target_hits(c, pat.targets, o, False)
                return "120", self.object_phrase_hits(o, c) if o is not None else []
        if obj is not None:
            nouns = [obj]
            if obj.lemma_.lower() in ABSTRACT_OBJECTS:
                nouns = self.prep_objects([obj], {"of", "for"}) + nouns
            for n in nouns:
                np = self.patterns.nouns.get(n.lemma_.lower())
                if np is not None:
                    consumed.add(n.i)
                    return np.cameo, self.noun_targets(n, np, [])
        return None

    def appeal_object(self, verb: Token, consumed: set[int]) -> tuple[str, list[Hit]] | None:
        """"urged Iran to resume talks", "would like to see Trump and Kim hold another meeting",
        "wants Pyongyang to agree to give up its program": the act asked for and who is asked.
        Everything under the appeal is an appeal, not a fact, so it is consumed."""
        # "told X to do Y" is an appeal; "told reporters that ..." is only speech
        deps = ("xcomp",) if verb.lemma_.lower() in ("tell", "ask", "see") else ("xcomp", "ccomp")
        stack = [c for c in verb.children if c.dep_ in deps or appeal_infinitive(c)]
        addressees: list[Hit] = [h for c in verb.children if c.dep_ == "dobj" for h in self.hits_of(c)]
        if not addressees:  # "appealed to the UN to lift ...", "called on Iran to ..."
            addressees = [h for tok in self.prep_objects([verb], {"to", "on", "upon"}) for h in self.hits_of(tok)]
        best: tuple[str, list[Hit]] | None = None
        # "asked the international community for food aid": what is asked for, as a noun
        for tok in self.prep_objects([verb] + [c for c in verb.children if c.dep_ == "dobj"], {"for"}):
            np = self.noun_pattern(tok)
            forms = self.object_forms(tok)
            aid = next((p.cameo for key in ("provide", "give", "send") for p in self.patterns.for_verb(key)
                        if p.objects and p.objects & forms), None)
            code = aid or (np.cameo if np is not None else None)
            if code is not None and _map(APPEAL_CODE, code):
                best = (code, addressees)
                break
        seen = 0
        while stack and seen < 8:
            c = stack.pop(0)
            seen += 1
            if c.pos_ not in ("VERB", "AUX"):
                continue
            for g in c.children:
                if g.dep_ in ("nsubj", "dobj") and g.i < c.i and not addressees:
                    addressees = self.hits_of(g)
            found = self.match_verb_object(c, self.effective_object(c, False))
            code = found[0].cameo if found else None
            o = found[1] if found else self.effective_object(c, False)
            if code is None and o is not None and o.lemma_.lower() in self.patterns.nouns:
                code = self.patterns.nouns[o.lemma_.lower()].cameo
            if code is not None and (best is None or (_map(APPEAL_CODE, best[0]) is None and _map(APPEAL_CODE, code))):
                best = (code, addressees)
            stack += [g for g in c.children if g.dep_ in ("xcomp", "ccomp")]
        if not addressees:
            return None
        if best is None:
            best = ("", addressees)
        for c in verb.children:
            if c.dep_ in ("xcomp", "ccomp"):
                consumed.update(t.i for t in c.subtree)
        return best[0], addressees

    def complement_targets(self, verb: Token, code: str) -> list[Hit]:
        stack = [c for c in verb.children if c.pos_ in ("VERB", "AUX") and (c.dep_ in ("xcomp", "ccomp") or (
            c.dep_ == "advcl" and any(g.dep_ == "aux" and g.lower_ == "to" for g in c.children)))]
        seen = 0
        while stack and seen < 4:
            v = stack.pop(0)
            seen += 1
            objs = self.prep_objects([v] + [c for c in v.children if c.dep_ == "dobj"],
                                     {"with", "against", "to", "on", "at", "into", "from", "over", "toward",
                                      "towards"})
            for tok in objs:
                hits = [h for h in self.hits_of(tok) if not h.place] or self.object_phrase_hits(tok, v)
                if hits:
                    return hits
            # "allowed the opposition leader to bring out a rally": the complement's own subject, unless it
            # is the actor again ("fight until they win control of villages")
            direct = next((c for c in v.children if c.dep_ in ("nsubj", "nsubjpass") and c.pos_ != "PRON"), None) or \
                next((c for c in v.children if c.dep_ == "dobj"), None)
            hits = self.object_phrase_hits(direct, v) if direct is not None else []
            if hits:
                return hits
            if code[:2] in ("13", "14", "15", "17", "18", "19", "20"):
                hits = self.place_hits(v, deep=seen > 1)
                if hits:
                    return hits
            stack += [c for c in v.children if c.dep_ in ("xcomp", "ccomp") and c.pos_ in ("VERB", "AUX")]
            # "vowed to fight until they win control of villages near Croatia's border": the aim
            stack += [c for c in v.children if c.dep_ == "advcl" and c.pos_ == "VERB"
                      and any(m.dep_ == "mark" and m.lower_ == "until" for m in c.children)]
        return []

    def complement_noun_act(self, verb: Token, consumed: set[int]) -> tuple[str, list[Hit]] | None:
        stack = [c for c in verb.children if c.dep_ in ("xcomp", "ccomp")]
        seen = 0
        while stack and seen < 6:
            v = stack.pop(0)
            seen += 1
            objs = [c for c in v.children if c.dep_ in ("dobj", "pobj")]
            objs += [g for c in v.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"]
            for o in objs:
                for form in sorted(self.object_forms(o), key=len, reverse=True):
                    np = self.patterns.nouns.get(form)
                    if np is None:
                        continue
                    targets = []
                    for tok in self.prep_objects([v, o], {"to", "for", "with", "against", "on"}):
                        targets = self.hits_of(tok)
                        if targets:
                            break
                    consumed.add(o.i)
                    return np.cameo, targets
            stack += [c for c in v.children if c.dep_ in ("xcomp", "ccomp", "conj")]
        return None

    def threat_object(self, verb: Token, consumed: set[int]) -> tuple[str, list[Hit]] | None:
        """"threatened to cut off electricity to Nakhichevan": a threat of the embedded act."""
        for c in verb.children:
            if c.dep_ == "xcomp" and c.pos_ == "VERB":
                o = self.effective_object(c, False)
                found = self.match_verb_object(c, o)
                if not found:
                    continue
                mapped = _map(THREAT_CODE, found[0].cameo)
                if mapped is None:
                    continue
                consumed.add(c.i)
                return mapped, self.target_hits(c, found[0].targets, found[1], False)
        return None

    def under_claim(self, verb: Token) -> bool:
        t = verb
        for _ in range(5):
            if t.dep_ not in ("advcl", "xcomp", "pcomp", "conj", "pobj", "prep", "ccomp") or t.head.i == t.i:
                return False
            t = t.head
            if t.pos_ == "VERB":
                # the first clause above decides: a claim or denial, or a verb that asserts the act
                return t.lemma_.lower() in NOT_FACT_HEADS or (
                    t.dep_ in ("pcomp", "advcl") and self.under_claim(t))
        return False

    def under_modal_noun(self, verb: Token) -> bool:
        """A verb inside the complement of an intention or refusal noun is not a fact."""
        t = verb
        for _ in range(4):
            if t.dep_ not in ("xcomp", "acl", "conj", "ccomp", "advcl") or t.head.i == t.i:
                return False
            t = t.head
            if t.pos_ == "NOUN" and t.lemma_.lower() in NOT_FACT_NOUNS:
                return True
            if t.pos_ in ("VERB", "AUX") and t.dep_ not in ("xcomp", "conj", "acl", "ccomp", "advcl"):
                return False
        return False

    def noun_targets(self, noun: Token, np: NounPattern, sources: list[Hit]) -> list[Hit]:
        own = {h.actor for h in sources}
        victims = [h for h in self.died_of(noun) if h.actor not in own]
        if victims:
            return victims  # "a Palestinian prisoner died as a result of torture"
        for slot in np.targets or ("prep:with,against,on,between,to",):
            if slot.startswith("prep:"):
                for tok in self.prep_objects([noun], set(slot[5:].split(","))):
                    hits = self.hits_of(tok)
                    if hits:
                        return hits
                    # "protests against Israeli settlement policy": the actor named in the phrase
                    hits = [h for h in self.object_phrase_hits(tok, noun, allow_appos=False) if h.actor not in own]
                    if hits:
                        return hits
            elif slot == "poss":
                for c in noun.children:
                    if c.dep_ == "poss":
                        hits = self.hits_of(c)
                        if hits:
                            return hits
        # "a Trump-Kim meeting", "U.S.-North Korea negotiations": actors named in modifiers
        mods = []
        for c in noun.children:
            if c.dep_ in ("compound", "amod", "nmod") and c.i < noun.i:
                for t in c.subtree:
                    h = self.hit(t)
                    if h is not None and all(h.actor != m.actor for m in mods) and h.actor not in own:
                        mods.append(h)
        return mods

    def died_of(self, noun: Token) -> list[Hit]:
        """Who died of the act a noun names: "X died as a result of torture", "died from beatings",
        "succumbed after torture", "died in Israeli police custody"."""
        t = noun
        if t.dep_ == "pobj" and t.head.lower_ == "of" and t.head.head.lemma_.lower() in ("result", "consequence"):
            t = t.head.head
        custody = t.lemma_.lower() in ("custody", "detention", "captivity", "jail", "prison") and t.head.lower_ == "in"
        if t.dep_ != "pobj" or t.head.lower_ not in ("as", "from", "after", "under", "following", "of") and not custody:
            return []
        verb = t.head.head
        if verb.lemma_.lower() not in ("die", "succumb", "perish"):
            return []
        return [h for c in verb.children if c.dep_ == "nsubj" for h in self.hits_of(c)]

    def modifier_source(self, noun: Token) -> list[Hit]:
        """The nationality adjective of a one-sided event noun names its agent: "the Russian
        invasion of Ukraine", "Palestinian protests", "Israeli airstrikes". A proper-noun compound
        is more often the place or the target ("the Gaza blockade"), so only adjectives count.
        A noun that names actors itself ("Filipino peacekeepers") is no event here."""
        own = self.actors.at(noun)
        if own is not None and own.how != "modifier":
            return []
        for c in noun.children:
            # an adjective ("Russian invasion"), or an abbreviated name ("U.S. invasion", "NATO strikes");
            # a full name is as often the target ("the Iraq invasion")
            abbreviated = c.pos_ == "PROPN" and (c.text.isupper() or "." in c.text) and len(c.text) <= 6
            if c.dep_ in ("amod", "compound", "nmod") and c.i < noun.i and (
                    c.pos_ == "ADJ" or c.ent_type_ == "NORP" or abbreviated):
                h = self.hit(c)
                if h is not None and not h.place and not h.members:
                    return [h]
        return []

    def code_noun(self, noun: Token, sent: Span) -> Candidate | None:
        np = self.noun_pattern(noun)  # "air strike", "hunger strike", "car bombing": the longer name decides
        if np is None:
            return None
        if noun.lemma_.lower() in BACKGROUND_NOUNS and not self.noun_participants(noun):
            return None  # "during the war", "Duterte's war on drugs": a reference, not an event of the story
        if noun.dep_ == "pobj" and noun.head.lower_ in ("under", "in") and noun.lemma_.lower() in ("pressure", "demand") \
                and not any(c.dep_ in ("poss", "prep", "amod", "compound") for c in noun.children):
            return None  # "the peso remained under pressure", "workers are in demand": no act of anyone
        # not a fact: under a modal noun, a negation, a refusal or a hypothetical
        presupposed = noun.dep_ == "pobj" and noun.head.lower_ in PRESUPPOSING_PREPS
        if presupposed and any(c.dep_ == "det" and c.lower_ in ("no", "any") for c in noun.children):
            return None
        t = noun
        for _ in range(0 if presupposed else 5):
            if t.lemma_.lower() in MODAL_NOUNS and t is not noun:
                return None
            if any(c.lower_ in ("no", "another", "any", "possible", "potential", "proposed", "planned", "future")
                   for c in t.children if c.dep_ in ("det", "amod")) and t is noun:
                return None
            if t.pos_ in ("VERB", "AUX"):
                if self.negated(t) or self.aux_mode(t) in ("hypothetical",) or self.conditional(t):
                    return None
                if t.tag_ == "VBG" and t.dep_ in ("xcomp", "dobj", "advcl") and \
                        t.head.lemma_.lower() in REFUSAL_HEADS | NOT_FACT_HEADS:
                    return None  # "rejected holding talks": the talks are refused, coded at the head
                if t.lemma_.lower() in UNREALISED_NOUN_HEADS:
                    return None
                if any(c.dep_ == "aux" and c.lower_ == "to" for c in t.children):
                    return None
                if " ".join(self.verb_key(t)[:1]) in FAILURE_VERBS or t.lemma_.lower() in FAILURE_VERBS:
                    return None
                break
            if t.head.i == t.i:
                break
            t = t.head
        # participants
        target_how = None
        sources: list[Hit] = []
        targets: list[Hit] = []
        symmetric = np.symmetric
        for c in noun.children:
            if c.dep_ == "poss":
                sources = self.hits_of(c)
            if c.dep_ == "prep" and (c.lower_ == "by" or c.lower_ == "from" and noun.lemma_.lower() in REQUEST_NOUNS):
                sources = [h for g in c.children if g.dep_ == "pobj" for h in self.hits_of(g)]
                if sources and c.lower_ == "from" and noun.dep_ == "pobj" and noun.head.head.pos_ in ("VERB", "AUX"):
                    # "Serbia bowed to pressure from the EU": the demand is made of the clause's subject
                    own = {h.actor for h in sources}
                    targets = [h for h in self.subjects(noun.head.head)[0] if h.actor not in own]
            if c.dep_ == "prep" and c.lower_ == "between":
                pair = [h for g in c.children if g.dep_ == "pobj" for h in self.hits_of(g)]
                if len(pair) >= 2:
                    sources, targets, symmetric = [pair[0]], [pair[1]], True
        code = np.cameo
        if code.startswith("087") and self.from_treaty(noun):
            code = "160"  # "announced its withdrawal from the NPT"
        if noun.lemma_.lower() in REFUSAL_NOUN_HEADS:
            # "the U.S.'s refusal to relax sanctions": a refusal of the embedded act
            inner = self.embedded_event(noun, set())
            if inner is not None:
                code = _map(REFUSAL_CODE, inner[0]) or code
                if not targets:
                    targets = inner[1]
        if not sources and not symmetric:
            sources = self.modifier_source(noun)
        if not targets:
            targets = self.noun_targets(noun, np, sources)
        if not targets and noun.dep_ == "nsubj" and noun.head.pos_ == "VERB":
            # "US sanctions hit Russia", "Israeli strikes killed five Palestinians": what the event struck
            own = {h.actor for h in sources}
            targets = [h for c in noun.head.children if c.dep_ == "dobj" for h in self.hits_of(c) if h.actor not in own]
        if not sources and len(targets) >= 2 and symmetric:
            sources, targets = [targets[0]], targets[1:2]
        if not sources:
            # an event noun in a prepositional phrase of a clause: "met during a summit in Hanoi"
            gov = noun.head
            # "met during a summit": the clause's subject took part; not so for an event the clause
            # only dates itself by or reacts to ("since last month's invasion", "amid the fighting")
            if noun.dep_ == "pobj" and gov.dep_ == "prep" and gov.lower_ not in (
                    "since", "after", "following", "before", "amid", "despite", "over", "against", "about", "of",
                    "until", "like", "than", "unlike", "from", "under"):
                verb = gov.head
                if verb.pos_ in ("VERB", "AUX"):
                    subj, _ = self.subjects(verb)
                    if len(subj) >= 2 and symmetric:
                        sources, targets = [subj[0]], subj[1:2]
                    elif subj and not targets:
                        sources = subj
                    elif subj:
                        sources = subj
            obj_noun = noun
            if not sources and noun.dep_ == "pobj" and gov.lower_ == "of" and gov.head.lemma_.lower() in QUANTITY_NOUNS | {
                    "day", "week", "month", "round", "series", "wave", "spate", "string", "campaign", "policy",
                    "programme", "program"} and gov.head.dep_ == "dobj":
                obj_noun, gov = gov.head, gov.head.head  # "launched 10 days of war games": the games are the object
            if not sources and obj_noun.dep_ in ("dobj",) and gov.pos_ == "VERB" and gov.lemma_.lower() in (
                    "hold", "have", "conduct", "host", "attend", "begin", "start", "resume", "open", "launch",
                    "stage", "carry", "mount", "continue", "join", "complete", "finish", "speed", "accelerate",
                    "intensify", "step", "expand", "undertake", "perform", "pursue", "wage", "escalate",
                    "give", "extend", "accord", "make", "lodge", "issue", "deliver", "file", "stage", "mount",
                    "renew", "reopen", "restart", "revive", "relaunch", "put", "exert", "apply", "pile", "heap",
                    "order", "authorize", "authorise", "approve", "announce", "declare"):
                subj, _ = self.subjects(gov)
                if len(subj) >= 2 and symmetric and not targets:
                    sources, targets = [subj[0]], subj[1:2]
                else:
                    sources = subj
                if not targets:
                    # the light verb carries the noun's preposition: "gave a warm welcome to the premier"
                    preps = {p for slot in np.targets if slot.startswith("prep:") for p in slot[5:].split(",")}
                    own = {h.actor for h in sources}
                    targets = [h for tok in self.prep_objects([gov], preps) for h in self.hits_of(tok)
                               if h.actor not in own][:1]
        if not sources:
            return None
        if code.startswith("150") and joint_exercise(noun, sources):
            code, symmetric = "062", True
        if not targets and code[:2] in ("14", "15", "17", "18", "19", "20"):
            # "remained on alert in the occupied West Bank", "riots in Dili": the place of the act
            gov = noun.head.head if noun.dep_ == "pobj" and noun.head.head.pos_ in ("VERB", "AUX") else noun.head
            targets = self.place_hits(noun) or (self.place_hits(gov) if gov.pos_ in ("VERB", "AUX") else [])
            home = self.home_states(sources)
            if code[:2] != "14":
                targets = [h for h in targets if self.country(h) not in home]
            elif any(self.country(h) in home for h in targets):
                target_how = "domestic"  # "a rally in Lagos" by Nigerians: aimed at their own state
        if code.startswith(("0831", "087")):
            # a withdrawal or ceasefire inside one's own state has no target
            targets = self.outside_home(targets, sources)
        if any(h.members for h in sources) and not targets and code.startswith(MUTUAL_ROOTS):
            symmetric = True
        date_tok = noun.head.head if noun.dep_ == "pobj" else noun.head
        return Candidate(code, sources, targets, [noun], np.id, sent, symmetric=symmetric, target_how=target_how,
                         date_token=date_tok if date_tok.pos_ in ("VERB", "AUX") else noun, clause_head=noun.head)


def expand(c: Candidate, actors: DocActors, date: str | None) -> list[tuple[ActorRef | None, ActorRef | None, bool]]:
    """Source/target pairs of a candidate: pairs and coordinated actors unfold into dyads."""
    sources: list[ActorRef] = []
    for h in c.sources:
        sources += actors.refs(h, date)
    targets: list[ActorRef] = []
    for h in c.targets:
        targets += actors.refs(h, date)
    sources = [s for s in sources if s.code]
    targets = [t for t in targets if t.code]
    out = []
    if not sources:
        return out
    if len(sources) >= 2 and (c.symmetric or not targets) and any(h.members for h in c.sources) or (
            c.symmetric and len(sources) >= 2 and not targets):
        return [(sources[0], sources[1], True)]
    for s in sources:
        # an actor is not its own target ("suspended its tests"); a government acting on its own
        # state or opposition is a domestic dyad, as CAMEO codes it
        ts = [t for t in targets if t.code != s.code or c.target_how == "domestic"]
        if not ts:
            out.append((s, None, c.symmetric and False))
        for t in ts[:2]:
            out.append((s, t, c.symmetric))
    return out


def violence_code(code: str, source: ActorRef, target: ActorRef | None) -> str:
    """An unspecified attack by an irregular armed group on civilians is unconventional violence
    (CAMEO 18), not the use of military force (19): "militiamen attacked a refugee camp"."""
    if code not in ("190", "193"):
        return code
    src, tgt = source.code or "", (target.code or "") if target is not None else ""
    irregular = src[3:6] in IRREGULAR_SECTORS or src.startswith("IMG")
    # unidentified gunmen killing are unconventional violence whoever they kill
    if irregular and (tgt[3:6] in CIVILIAN_SECTORS or src[3:6] == "UAF"):
        return "180"
    return code


def make_event(c: Candidate, source: ActorRef, target: ActorRef | None, symmetric: bool,
               date: tuple[str | None, str | None, str | None, str], doc: Doc) -> Event:
    code = violence_code(c.code, source, target)
    entry = lookup(code)
    raw = c.sent.text  # the sentence without the paragraph break the parser keeps at its end
    ev_start = c.sent.start_char + (len(raw) - len(raw.lstrip()))
    ev_text = raw.strip()
    ev_end = ev_start + len(ev_text)
    trig_start = min(t.idx for t in c.trigger)
    trig_end = max(t.idx + len(t.text) for t in c.trigger)
    return Event(
        source=source, target=target, cameo=code, plover=entry.plover if entry else None,
        quad_class=entry.quad_class if entry else None, goldstein=entry.goldstein if entry else None,
        date=date[0], date_precision=date[1], date_text=date[2], date_source=date[3], negated=c.negated,
        evidence=ev_text, start=ev_start, end=ev_end,
        trigger=doc.text[trig_start:trig_end], trigger_start=trig_start, trigger_end=trig_end,
        pattern=c.pattern, mode=c.mode, symmetric=symmetric, confidence=c.confidence,
        label=entry.label if entry else None, target_how=c.target_how, source_how=c.source_how,
        evidence_spans=[[ev_start, ev_end]],
    )
