"""Declared S3 areas matched to NACE Rev. 2 by meaning.

An area name (Swedish and/or English) is compared with the official text of every
NACE class: the Eurostat titles and explanatory notes ("This item includes", "This item
also includes", the rulings, and the excludes lines that point to the class) and SCB's
Swedish SNI 2007 titles of the class, its detailed groups, its group and its division.
Scoring is TF-IDF-like: a query word weighs by how rare it is among the 615 classes, and
by where it is found in a class (title > detailed group > group > division > notes).
Matched classes are rolled up to their division when at least half of the division's
classes match. Each code says why it matched (``matched_terms``, ``source``).

Three small, documented lists complement the official text, nothing more:

* ``STOPWORDS``: function words, words without meaning on their own (industry, näring,
  sector, cluster, area, ...) and the generic words of strategies (smart, sustainable,
  advanced, innovation, solutions, ...);
* ``GLOSSARY``: Swedish words → English words, so that a Swedish name can use the
  English notes (e.g. vatten → water, hydro; kraft → power);
* ``SYNONYMS``: everyday names that the classification does not use (tourism, life
  science, ICT, cultural and creative industries, bioeconomy, ...) with the codes of a
  cited definition;

and ``HORIZONTAL_THEMES`` lists themes that are not activities (gender equality, service
innovation, digitalisation, sustainability, skills, ...): an area made only of them is
reported as horizontal, with no codes. See docs/methods.md, "Matching declared areas to
NACE", for the lists, the rules and the measured precision and recall.
"""

from __future__ import annotations

import bisect
import copy
import math
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from smartspec.data.cache import disk_cached
from smartspec.data.paths import MissingDataError, require_data_file

NOTES_FILE = "classifications/source/NACE_REV2_20220525_202028.csv"
TITLES_FILE = "classifications/nace_rev2.csv"
DETAIL_FILE = "classifications/sni2007_detail.csv"

# --- word lists ---------------------------------------------------------------------------------

#: Words that carry no meaning on their own: function words; industry/sector words;
#: the generic words of strategies; the boilerplate of the classification's own text.
_STOP_TEXT = """
och and i in på on för for med with the a an av of samt to till som as at by från from into mot
mellan between genom through om about under över its it their our vår våra morgondagens
tomorrow tomorrows framtidens framtid future new ny nya nytt
industry industries industri industrier industrin industrial industriell näring näringar näringen näringarna
sector sectors sektor sektorn bransch branscher branschen cluster clusters kluster område området områden
area areas paraplyområde delområde umbrella field fields
smart smarta smartare smarter sustainable hållbar hållbara hållbart hållbarhet sustainability
innovation innovations innovativ innovativa innovativt innovative foi research forskning
advanced avancerad avancerade avancerat competitive konkurrenskraftig konkurrenskraftiga
effective effektiv effektiva efficient modern intelligent intelligenta autonomous autonom autonoma
solution solutions lösning lösningar lösningen system systems systemlösningar systemlösning
technology technologies teknik tekniken teknologi teknologier tech product products produkter
development utveckling transition omställning transformation initiative initiatives satsning satsningar
based baserad baserade baserat oriented nära verksamhetsnära focus fokus centred centrum centre central
driver drivkraft common factor interplay samspel intersection skärningen interaction
creating skapande value värde värdeskapande benefit nytta business affär affärer demanding krävande
environments miljöer economy ekonomi resources resurser resource knowledge kunskap kunskapsintensiv
kunskapsintensiva intensive processes process processer processing förädling bearbetning
activities activity verksamhet verksamheter other annan annat andra övrig övriga nec specialised
n e c class classes includes include including excludes see division group grupp also item items
such etc e g i e nature natur naturen service services tjänst tjänster tjänsten green grön gröna grönt supply försörjning operation operations oriented
"""
STOPWORDS = frozenset(_STOP_TEXT.split())

#: Words meaning "making things" in general: dropped next to a named sector; a segment
#: made only of them (and generic words) is generic manufacturing (see ``GENERIC_MANUFACTURING``).
_MANUFACTURING_TEXT = """
manufacturing manufacture manufacturer manufacturers tillverkning tillverkningsindustri tillverkningsföretag
tillverkande production produktion produktionssystem producing industry industries industri industrin
industrial industriell
"""
MANUFACTURING_WORDS = frozenset(_MANUFACTURING_TEXT.split())

#: Generic manufacturing (an area of industry or production that names no sector): the
#: engineering industries 25-30 (Swedish "verkstadsindustri"), the usual reading in Swedish
#: regional strategies.
GENERIC_MANUFACTURING = ("25", "26", "27", "28", "29", "30")

#: Swedish words → English words of the classification's notes (the notes exist in
#: English only). Keys are Swedish stems (see ``_stem_sv``); compounds are split first.
GLOSSARY = {
    "skog": ("forest",), "skoglig": ("forest",), "trä": ("wood",), "massa": ("pulp",), "papper": ("paper",),
    "livsmedel": ("food",), "mat": ("food",), "jordbruk": ("agriculture",), "jord": ("agriculture",),
    "fisk": ("fish",), "vatten": ("water", "hydro"), "kraft": ("power",), "el": ("electricity",),
    "sol": ("solar",), "vind": ("wind",), "stål": ("steel",), "järn": ("iron",),
    "metall": ("metal",), "gruva": ("mine",), "malm": ("ore",),
    "mineral": ("mineral",), "kemi": ("chemical",), "plast": ("plastic",), "textil": ("textile",),
    "mode": ("fashion",), "kläder": ("apparel",), "möbel": ("furniture",), "möbl": ("furniture",),
    "maskin": ("machinery",), "fordon": ("vehicle",), "bil": ("car",), "järnväg": ("railway",),
    "sjöfart": ("shipping",), "marin": ("marine",), "maritim": ("maritime",), "hav": ("sea",),
    "transport": ("transport",), "bygg": ("construction",),
    "byggande": ("construction",), "hälsa": ("health",), "häls": ("health",), "vård": ("care", "health"),
    "omsorg": ("care",), "läkemedel": ("pharmaceutical",), "kultur": ("culture", "cultural"),
    "kulturell": ("cultural",), "konst": ("art",), "musik": ("music",), "design": ("design",), "spel": ("game",),
    "data": ("computer",), "dator": ("computer",), "mjukvara": ("software",), "rymd": ("space",),
    "test": ("testing",), "tester": ("testing",), "flyg": ("aircraft",), "batteri": ("battery",),
    "vätgas": ("hydrogen",), "glas": ("glass",), "kemisk": ("chemical",), "förpackning": ("packaging",),
    "avfall": ("waste",), "återvinning": ("recycling", "recovery"), "cirkulär": ("recovery",),
    "film": ("film",), "media": ("media",),
}

#: Swedish base words added to the lexicon used to split compounds (besides the glossary's
#: keys and every word of SCB's titles).
SWEDISH_BASE = ("industri", "näring", "besök", "teknik", "teknologi", "system", "utveckling", "förädling",
                "försörjning", "produktion", "tillverkning", "bruk", "verk", "hus", "väg", "bioenergi", "bio",
                "material", "bearbetning", "formning", "effektiv", "samhälle", "stad", "byggnad", "lösning",
                "boende", "främjande", "innovation", "tjänste", "kraft", "ekonomi", "teknisk")

#: English compounds split into their parts (in names and in the notes alike).
ENGLISH_COMPOUNDS = {"hydropower": ("hydro", "power"), "hydroelectric": ("hydro", "electric"),
                     "hydro-electric": ("hydro", "electric"), "bioenergy": ("bio", "energy"),
                     "spacecraft": ("space", "craft"), "photovoltaics": ("photovoltaic",),
                     "foodtech": ("food",), "healthcare": ("health", "care"), "railway": ("rail",),
                     "railways": ("rail",)}

#: Themes that are not activities. An area made only of these words (and stop words) is
#: reported as horizontal, with no codes; next to a sector they are dropped.
HORIZONTAL_THEMES = {
    "gender equality and diversity": r"jämställd\w*|gender|mångfald\w*|diversity|inkluder\w*|inclusi\w*|equality",
    "service innovation": r"tjänstedesign|service design|tjänsteinnovation|service innovation|"
                          r"värdeskapande tjänster|value-creating services",
    "attractive living environments": r"attraktiv\w* livsmiljö\w*|attractive living\w*|livsmiljö\w*|attraktion\w*|"
                                      r"attraction\w*|attractiv\w*|platsutveckling|place development|"
                                      r"platsens|place-based",
    "digitalisation": r"digitaliser\w*|digitalisation|digitalization|digital transformation|digital\w*",
    "sustainability": r"grön tillväxt|green growth|grön omställning|green transition|klimat\w*|climate|"
                      r"miljö\w*|environment\w*|cirkulär\w*|circular|hållbar\w*|sustainab\w*",
    "skills and working life": r"kompetensförsörjning|kompetens\w*|skills?|arbetsliv\w*|working life|"
                               r"livslångt lärande|lifelong learning",
    "societal challenges": r"missions?|samhällsutmaning\w*|samhällets utmaningar|societal challenges?|"
                           r"utmaning\w*|challenges?|addressing",
    "business development and entrepreneurship": r"affärsutveckling|business development|entreprenörskap|"
                                                  r"entrepreneurship|företagande|internationaliser\w*|"
                                                  r"internationalisation",
    "communities": r"samhällen|samhälle|societies|society|communities|community",
    "cross-cutting": r"tvärgående|horisontell\w*|cross-cutting|horizontal",
}


@dataclass(frozen=True)
class Synonym:
    """An everyday name the classification lacks: ``pattern`` (regex on the folded name)
    → ``codes``. ``codes`` empty: the words only qualify another word and are dropped."""

    name: str
    pattern: str
    codes: tuple[str, ...]
    basis: str


#: Everyday names → codes, each from a stated definition. Tried in this order; a matched
#: span is removed before the rest of the name is matched against the official text.
SYNONYMS = (
    Synonym("tourism", r"besöksnäring\w*|besöksekonomi|turism\w*|tourism|tourist\w*|visitor economy",
            ("55", "56", "79"), "accommodation, food service, travel agencies and tour operators: the "
            "characteristic tourism industries of the tourism satellite account"),
    Synonym("experience industry", r"upplevelse\w*|experiences?", ("55", "56", "79", "90", "93.2"),
            "the visitor economy plus the arts and amusement and recreation (ski hills, parks)"),
    Synonym("cultural and creative industries",
            r"kulturella och kreativa\w*( näring\w*)?|kultur och kreativa\w*( näring\w*)?|\bkkn\b|"
            r"cultural and creative( industr\w*)?|culture and creative( industr\w*)?|creative industr\w*",
            ("58.1", "59", "60", "71.11", "73.1", "74.1", "74.2", "90", "91"),
            "Eurostat's cultural sector: publishing, film and music, broadcasting, architecture, advertising, "
            "design, photography, arts, libraries and museums"),
    Synonym("life science", r"life science\w*|livsvetenskap\w*", ("21", "26.6", "32.5", "72.1"),
            "pharmaceuticals, electromedical equipment, medical instruments, biotechnology and natural-science R&D"),
    Synonym("ICT", r"\bikt\b|\bict\b|\binformationsteknik\w*|information technology|\bit-?sektorn",
            ("26.1", "26.2", "26.3", "26.4", "26.8", "58.2", "61", "62", "63.1"),
            "the OECD ICT sector (manufacturing and services, trade and repair left out)"),
    Synonym("ICT (tech, IT)", r"^(?:tech|it)$", ("26.1", "26.2", "26.3", "26.4", "26.8", "58.2", "61", "62", "63.1"),
            "'tech' or 'IT' standing alone as an area: the OECD ICT sector"),
    Synonym("digital services", r"digital\w* tjänst\w*|digital\w* service\w*|digital\w* lösning\w*|"
            r"digital solutions?", ("62", "63.1"),
            "computer programming and consultancy, data processing and web portals"),
    Synonym("e-health", r"e-hälsa|e-health|ehealth", ("62.01", "86"),
            "software for, and delivery of, health care"),
    Synonym("e-commerce", r"e-handel|e-commerce|näthandel|online retail", ("47.91",),
            "retail sale via mail order houses or via Internet"),
    Synonym("forest-based sector", r"skogsindustri\w*|skogsnäring\w*|skoglig\w* bioekonomi|skogsbaserad\w* bioekonomi|"
            r"forest industr\w*|forest-based (?:bioeconomy|industr\w*|sector)|forest bioeconomy|forest sector",
            ("02", "16", "17"), "forestry, wood and paper: Eurostat's forest-based sector (furniture and printing "
            "left out)"),
    Synonym("bio-based materials", r"biobaserade material\w*|bio-based materials?", ("16", "17", "20.1"),
            "wood, pulp and paper, basic (bio-)chemicals"),
    Synonym("bioeconomy", r"bioekonomi\w*|bioeconomy|biobaserad\w*|bio-based|bioinnovation|bio-innovation|"
            r"bio innovation|naturbaserad\w* ekonomi|nature-based economy|gröna näring\w*|green industr\w*",
            ("01", "02", "03", "10", "11", "16", "17"),
            "the JRC bioeconomy, wholly bio-based divisions (agriculture, forestry, fishing, food, beverages, "
            "wood, paper)"),
    Synonym("mining (Swedish 'gruva')", r"gruv\w*", ("07", "08", "09"),
            "metal ores, other mining and quarrying, and mining support services (division 09's title): the "
            "Swedish titles say 'utvinning', never 'gruva'; coal (05) and oil and gas (06) are not 'gruvor'"),
    Synonym("energy efficiency (qualifier)", r"energieffektiv\w*|energy-efficient|energy efficiency", (),
            "energy efficiency qualifies another activity (building, production)"),
    Synonym("energy", r"energi\w*|energy|energy supply|energiförsörjning|energisystem\w*|energy systems?",
            ("35",), "electricity, gas, steam and air conditioning supply (the classification has no word 'energy')"),
    Synonym("welfare services", r"välfärd\w*|welfare", ("86", "87", "88"),
            "human health, residential care and social work (the classification has no word 'welfare')"),
    Synonym("fashion", r"mode|fashion", ("14",), "wearing apparel (the classification says 'apparel')"),
    Synonym("mobility", r"mobilitet\w*|mobility", ("29", "30", "49"),
            "motor vehicles, other transport equipment and land transport"),
    Synonym("logistics", r"logistik\w*|logistics", ("49.4", "52"),
            "freight transport by road, warehousing and support activities for transportation"),
    Synonym("urban development", r"stadsutveckling|urban development|smarta hållbara städer|städer|cities|"
            r"samhällsbyggande|samhällsbyggnad\w*|community building|energy-efficient society",
            ("41", "42", "43", "71.1"), "construction and architectural and engineering activities"),
    Synonym("housing", r"boende|bostäder|bostad|housing", ("41", "43"),
            "construction of buildings and building completion and installation"),
    Synonym("materials", r"^(?:material|materials|materialteknologi|materials technology|smarta material|"
            r"smart materials|avancerade material|advanced materials|hållbara material|sustainable materials)$",
            ("20", "22", "23", "24"), "materials without a named material: chemicals, rubber and plastics, "
            "non-metallic minerals, basic metals"),
)

#: Classes whose activity relates to other activities, discounted unless the name says so
#: (prefix → words that lift the discount): machinery "for" an industry (28.3 agricultural
#: and forestry, 28.9 special-purpose), repair and installation (33), trade (45-47), rental
#: (77), public administration's "regulation of ..." (84), repair of goods (95).
RELATIONAL = {"28.3": r"maskin|machine", "28.9": r"maskin|machine", "33": r"repar|repair|install|underhåll|maint",
              "45": r"handel|trade|commerce|retail|wholesale|fordon|vehicle",
              "46": r"handel|trade|commerce|wholesale|partihandel", "47": r"handel|trade|commerce|retail",
              "77": r"uthyrning|rental|leasing", "84": r"förvaltning|administration|regulation|myndighet",
              "95": r"repar|repair"}
RELATIONAL_PREFIXES = tuple(RELATIONAL)

# --- weights and thresholds ---------------------------------------------------------------------

#: Where a word is found in a class, and how much that counts.
FIELD_WEIGHTS = {"title": 1.0, "title (sv)": 1.0, "detailed group (sv)": 0.9, "group title": 0.8,
                 "group title (sv)": 0.8, "division title": 0.7, "division title (sv)": 0.7, "includes": 0.55,
                 "also includes": 0.45, "rulings": 0.45, "excludes elsewhere": 0.35}
#: A word after "for"/"för" in a title names a use, not the activity ("machinery for mining").
FOR_DISCOUNT = 0.4
#: Trade, repair and rental classes, unless the name is about trade.
RELATIONAL_DISCOUNT = 0.4
#: A class matches when its score is at least ``MIN_SCORE`` and ``RELATIVE`` × the best
#: score of the same part of the name.
MIN_SCORE = 0.5
RELATIVE = 0.7
#: A division is suggested when at least this share of its classes match.
ROLLUP_SHARE = 0.5
#: A class matching only some parts of a Swedish compound gets this share of their credit.
COMPOUND_PARTIAL = 0.5
#: A Swedish word's English glossary words count with this factor.
GLOSSARY_WEIGHT = 0.8
#: Synonym codes count with this score.
SYNONYM_SCORE = 1.0


# --- text handling ------------------------------------------------------------------------------

def fold(text: str) -> str:
    return unicodedata.normalize("NFC", str(text)).casefold()


WORD = re.compile(r"[a-zåäöéüæøà]+")
_EN_SUFFIXES = ("isation", "ization", "ations", "ation", "at", "ities", "ity", "ings", "ing", "ical", "ment", "ness",
                "ism", "ist", "ers", "er", "ed", "ive", "ics", "ic", "ous", "ful", "al", "ry", "en", "y", "e")
_EN_IRREGULAR = {"mining": "mine", "mined": "mine", "ores": "ore", "leather": "leather", "water": "water",
                 "waters": "water", "power": "power", "paper": "paper", "care": "care"}
_SV_SUFFIXES = ("arnas", "ernas", "ornas", "arna", "erna", "orna", "ande", "ende", "ar", "er", "or", "en", "et",
                "na", "a", "e", "o", "s")


@lru_cache(maxsize=65536)
def _stem_en(word: str) -> str:
    """A light English stemmer: plural, then derivational suffixes while at least four
    letters remain ("electricity" → "electr", "forestry" → "forest", "tourism" → "tour")."""
    if word in _EN_IRREGULAR:
        return _EN_IRREGULAR[word]
    w = word
    if w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")) and len(w) > 3:
        w = w[:-1]
    changed = True
    while changed:
        changed = False
        for suf in _EN_SUFFIXES:
            if w.endswith(suf) and len(w) - len(suf) >= 4:
                w = w[: -len(suf)]
                changed = True
                break
    return w


@lru_cache(maxsize=65536)
def _stem_sv(word: str) -> str:
    """A light Swedish stemmer: one inflection or linking suffix, at least three letters left
    ("skogs" → "skog", "näringar" → "näring"); a definite -n after a vowel ("industrin")."""
    if len(word) > 4 and word.endswith("n") and word[-2] in "aeiouyåäö" and not word.endswith(("en", "an", "on")):
        return word[:-1]
    for suf in _SV_SUFFIXES:
        if word.endswith(suf) and len(word) - len(suf) >= 3:
            return word[: -len(suf)]
    return word


class _Splitter:
    """Splits Swedish compounds into known words (dynamic programming over the word, with
    linking s/e/o between parts), preferring the split into the fewest parts of at least
    three letters ("skogsindustri" → skog + industri, "vattenkraft" → vatten + kraft)."""

    def __init__(self, lexicon: set[str], words: set[str] = frozenset()):
        self.lexicon = {w for w in lexicon if len(w) >= 3 or w == "el"}
        self.words = set(words)  # standalone words of the titles: kept whole in names
        self.stems = {_stem_sv(w) for w in self.lexicon} | self.lexicon
        self.cache: dict[tuple[str, bool], tuple[str, ...]] = {}

    def known(self, part: str) -> bool:
        return part in self.lexicon or part in self.stems or _stem_sv(part) in self.stems

    def split(self, word: str, always: bool = False) -> tuple[str, ...]:
        """The parts of ``word`` (``(word,)`` when it does not split).

        In names (``always`` false) a word that is itself a title word or a glossary word
        stays whole ("järnväg", "livsmedel"), and "el" (electricity) may end a compound
        after a glossary word ("solel"). In the classification's text (``always``) the word
        comes first, then its parts, and "el" only begins a compound ("elkraft")."""
        if always:
            parts = self._parts(word, False)
            return (word,) + parts if len(parts) > 1 else (word,)
        if word in self.lexicon or word in self.words:
            return (word,)
        return self._parts(word, True)

    def _parts(self, word: str, query: bool) -> tuple[str, ...]:
        key = (word, query)
        if key not in self.cache:
            best = self._split(word, 0, query)
            self.cache[key] = best if best and len(best) > 1 else (word,)
        return self.cache[key]

    def _split(self, word: str, depth: int, query: bool):
        if depth > 0 and len(word) >= 3 and self.known(word):
            return (word,)
        if depth > 3:
            return None
        best = None
        for i in range(len(word) - 2, 1, -1):
            head, rest = word[:i], word[i:]
            if head == "el":
                if depth > 0:
                    continue
            elif len(head) < 3 or not self.known(head):
                continue
            elif head[-1] in "seo" and head not in self.lexicon and self.known(head[:-1]):
                continue  # a linking letter: "skogs|industri" is skog + s + industri
            for link in ("", "s", "e", "o"):
                if link and not rest.startswith(link):
                    continue
                tail = rest[len(link):]
                if tail == "el" and not link:
                    sub = ("el",) if query and head in GLOSSARY else None
                elif len(tail) < 3:
                    continue
                else:
                    sub = self._split(tail, depth + 1, query)
                if sub and (best is None or len(sub) + 1 < len(best)):
                    best = (head,) + sub
        return best


# --- the corpus ---------------------------------------------------------------------------------

@dataclass
class _Corpus:
    classes: list[str]  # class codes in order
    division_classes: dict[str, list[str]]
    index: dict[tuple[str, str], dict[str, tuple[float, str]]]  # (lang, term) → {class: (weight, field)}
    splitter: _Splitter
    titles: dict[str, tuple[str, str]]  # code → (en, sv) for every level
    sv_sorted: list[str] | None = None

    def sv_prefixed(self, stem: str) -> list[str]:
        """The Swedish index terms that begin with ``stem``."""
        if self.sv_sorted is None:
            self.sv_sorted = sorted(t for lang, t in self.index if lang == "sv")
        i = bisect.bisect_left(self.sv_sorted, stem)
        out = []
        while i < len(self.sv_sorted) and self.sv_sorted[i].startswith(stem):
            out.append(self.sv_sorted[i])
            i += 1
        return out


_TOKEN = re.compile(r"[a-zåäöéü]+(?:-[a-zåäöéü]+)*|[;().\n]")
_EXCEPT = {"except", "excluding", "exclusive", "than", "utom", "exklusive", "än"}


def _walk(text: str, for_word: str, title: bool):
    """``(word, factor)`` over ``text``: after "for"/"för" in a title the factor is
    ``FOR_DISCOUNT``; after "except"/"utom" it is 0 until a bracket closes or the sentence
    or list item ends ("Manufacture of fabricated metal products, except machinery")."""
    factor, excluded = 1.0, False
    support = bool(re.match(r"\s*(?:support|service|stöd)", fold(text)))  # support activities for X are X
    for tok in _TOKEN.findall(fold(text)):
        if tok in ";().\n":
            excluded = False
            if tok == ";":
                factor = 1.0
            continue
        if tok in _EXCEPT:
            excluded = True
            continue
        if title and tok == for_word and not support:
            factor = FOR_DISCOUNT
            continue
        if not excluded and not tok.startswith("non-"):
            yield tok, factor


def _en_terms(text: str, *, title: bool = False) -> list[tuple[str, float]]:
    """``(stem, factor)`` of English text (see :func:`_walk`)."""
    out = []
    for raw, factor in _walk(text, "for", title):
        for word in ENGLISH_COMPOUNDS.get(raw) or tuple(raw.split("-")):
            for w in ENGLISH_COMPOUNDS.get(word, (word,)):
                if w not in STOPWORDS and len(w) > 1:
                    out.append((_stem_en(w), factor))
    return out


def _sv_terms(text: str, splitter: _Splitter, *, title: bool = False) -> list[tuple[str, float]]:
    """``(stem, factor)`` of Swedish text: each word and the parts of a compound."""
    out = []
    for raw, factor in _walk(text, "för", title):
        for word in raw.split("-"):
            if word in STOPWORDS or len(word) < 2:
                continue
            out.append((_stem_sv(word), factor))
            out.extend((_stem_sv(p), factor) for p in splitter.split(word, always=True)[1:] if p not in STOPWORDS)
    return out


_SEE = re.compile(r"see (?:also )?((?:\d{2}\.\d{1,2}(?:\s*(?:,|and|or)\s*)?)+)")


@lru_cache(maxsize=2)
def _corpus(notes_path: str, titles_path: str, detail_path: str) -> _Corpus:
    titles = pd.read_csv(titles_path, dtype=str, keep_default_na=False)
    detail = pd.read_csv(detail_path, dtype=str, keep_default_na=False)
    notes = (pd.read_csv(notes_path, dtype=str, keep_default_na=False).set_index("Code")
             if notes_path else pd.DataFrame())
    sv_words = {w for t in pd.concat([titles["name_sv"], detail["name_sv"]]) for w in WORD.findall(fold(t))}
    lexicon = {w for w in sv_words if w not in STOPWORDS} | set(GLOSSARY) | set(SWEDISH_BASE)
    splitter = _Splitter(lexicon, set(GLOSSARY))
    by_code = titles.set_index("code")
    classes = titles.loc[titles["level"] == "class", "code"].tolist()
    division_classes: dict[str, list[str]] = defaultdict(list)
    for c in classes:
        division_classes[c[:2]].append(c)
    details = detail.groupby("class")["name_sv"].apply(list).to_dict()

    fields: dict[str, list[tuple[str, str, str]]] = defaultdict(list)  # class → [(lang, field, text)]
    for c in classes:
        group, division = c[:4], c[:2]
        fields[c] += [("en", "title", by_code.at[c, "name_en"]), ("sv", "title (sv)", by_code.at[c, "name_sv"]),
                      ("en", "group title", by_code.at[group, "name_en"]),
                      ("sv", "group title (sv)", by_code.at[group, "name_sv"]),
                      ("en", "division title", by_code.at[division, "name_en"]),
                      ("sv", "division title (sv)", by_code.at[division, "name_sv"])]
        fields[c] += [("sv", "detailed group (sv)", d) for d in details.get(c, []) if d != by_code.at[c, "name_sv"]]
        if c in notes.index:
            row = notes.loc[c]
            fields[c] += [("en", "includes", row["This item includes"]),
                          ("en", "also includes", row["This item also includes"]),
                          ("en", "rulings", row["Rulings"])]
    # an excludes line names the activity of the class it points to ("…, see 38.21")
    if len(notes):
        for _, row in notes.iterrows():
            for line in str(row["This item excludes"]).splitlines():
                m = _SEE.search(line)
                if not m:
                    continue
                text = line[: m.start()]
                for ref in re.findall(r"\d{2}\.\d{1,2}", m.group(1)):
                    targets = [ref] if ref in by_code.index and len(ref) == 5 else \
                        [k for k in classes if k.startswith(ref)] if len(ref) == 4 else []
                    for t in targets:
                        fields[t].append(("en", "excludes elsewhere", text))

    index: dict[tuple[str, str], dict[str, tuple[float, str]]] = defaultdict(dict)
    for c, items in fields.items():
        for lang, field, text in items:
            if not text:
                continue
            is_title = "title" in field
            terms = _en_terms(text, title=is_title) if lang == "en" else _sv_terms(text, splitter, title=is_title)
            for term, factor in terms:
                w = FIELD_WEIGHTS[field] * factor
                key = (lang, term)
                if w > index[key].get(c, (0.0, ""))[0]:
                    index[key][c] = (w, field)
    names = {r.code: (r.name_en, r.name_sv) for r in titles.itertuples()}
    return _Corpus(classes, dict(division_classes), dict(index), splitter, names)


def corpus() -> _Corpus | None:
    """The class texts (cached), or None without the classification files."""
    try:
        titles = str(require_data_file(TITLES_FILE))
        detail = str(require_data_file(DETAIL_FILE))
    except MissingDataError:
        return None
    try:
        notes = str(require_data_file(NOTES_FILE))
    except MissingDataError:  # titles only
        notes = ""
    return _kept(notes, titles, detail)


@lru_cache(maxsize=2)
def _kept(notes: str, titles: str, detail: str) -> _Corpus:
    """The corpus, built once per version of the classification files and kept on disk."""
    return disk_cached("nace-corpus", (NOTES_FILE, TITLES_FILE, DETAIL_FILE), lambda: _corpus(notes, titles, detail))


# --- the query ----------------------------------------------------------------------------------

_SEGMENT = re.compile(r"\s*(?:[,;/&()\[\]:–—]|\s-\s|\boch\b|\band\b|\bsamt\b|\bor\b|\beller\b|\bmed\b|\bwith\b|"
                      r"\bgenom\b|\bthrough\b|\bi\b|\bin\b|\bas\b|\bsom\b)\s*")


def _segments(text: str) -> list[str]:
    return [s for s in (p.strip(" -") for p in _SEGMENT.split(text)) if s]


@dataclass
class _Concept:
    word: str  # the word as written
    keys: tuple[tuple[str, str, float], ...]  # (lang, stem, factor) alternatives
    compound: str = ""  # the compound this part belongs to (its parts should all match)


def _concepts(segment: str, lang: str, c: _Corpus) -> list[_Concept]:
    """The concepts of a segment: each content word (each part of a Swedish compound) with
    the index terms that stand for it. A Swedish stem also stands for the longer stems it
    begins, up to four letters more ("kemi" → "kemisk", "kemikali"); a Swedish word in the
    glossary also stands for its English words, at ``GLOSSARY_WEIGHT``."""
    out = []
    for word in WORD.findall(segment):
        if word in STOPWORDS or word in MANUFACTURING_WORDS or len(word) < 2:
            continue
        if lang == "en":
            parts = ENGLISH_COMPOUNDS.get(word, (word,))
            out += [_Concept(p, (("en", _stem_en(p), 1.0),)) for p in parts if p not in STOPWORDS]
            continue
        parts = c.splitter.split(word)
        found = []
        for p in parts:
            stem = _stem_sv(p)
            if p in STOPWORDS or p in MANUFACTURING_WORDS or stem in STOPWORDS:
                continue
            keys = [("sv", stem, 1.0), ("sv", p, 1.0)]
            if len(stem) >= 4:
                keys += [("sv", t, 1.0) for t in c.sv_prefixed(stem) if len(t) - len(stem) <= 4]
            found.append((p, list(dict.fromkeys(keys)), GLOSSARY.get(p, GLOSSARY.get(stem, ()))))
        # the glossary only where the Swedish titles do not hold the word (or the compound)
        native = [{cls for k in keys for cls, (w, _) in c.index.get(k[:2], {}).items() if w >= MIN_SCORE}
                  for _, keys, _ in found]
        bridge = not native or not set.intersection(*native)
        for p, keys, english in found:
            if bridge:
                keys += [("en", _stem_en(en), GLOSSARY_WEIGHT) for en in english]
            out.append(_Concept(p, tuple(keys), word if len(found) > 1 else ""))
    return out


def _themes(text: str) -> tuple[list[str], str]:
    """The horizontal themes in ``text`` and the text without them."""
    found = []
    for theme, pattern in HORIZONTAL_THEMES.items():
        text, n = re.subn(rf"(?<![\wåäö-])(?:{pattern})(?![\wåäö])", " ", text)
        if n:
            found.append(theme)
    return found, text


def _content(segment: str) -> list[str]:
    """The words of a segment that are not stop words (manufacturing words count)."""
    return [w for w in WORD.findall(segment) if (w not in STOPWORDS or w in MANUFACTURING_WORDS) and len(w) > 1]


# --- matching -----------------------------------------------------------------------------------

def _score_segment(concepts: list[_Concept], c: _Corpus, lifted: tuple[str, ...] = ()
                   ) -> dict[str, tuple[float, list[str], str]]:
    """Class → (score in [0, 1], matched words, best field) for one segment.

    score = Σ idf(concept) × weight(concept, class) / Σ idf(concept), where weight is the
    best field weight of any of the concept's terms in the class (times the glossary
    factor, times ``RELATIONAL_DISCOUNT`` for relational classes) and idf = ln((N + 1) /
    (df + 0.5)), df being the number of classes any of the concept's terms occurs in. The parts of a Swedish compound belong together: a class that
    matches only some of them gets ``COMPOUND_PARTIAL`` of their credit ("vattenkraft" is
    not "vatten")."""
    usable = []
    n = len(c.classes)
    for con in concepts:
        df = len({cls for k in con.keys for cls in c.index.get(k[:2], ())})
        if df:
            usable.append((con, math.log((n + 1) / (df + 0.5))))
    if not usable:
        return {}
    total = sum(idf for _, idf in usable)
    compounds = defaultdict(set)
    for con, _ in usable:
        if con.compound:
            compounds[con.compound].add(con.word)
    acc: dict[str, list] = {}
    for con, idf in usable:
        best: dict[str, tuple[float, str]] = {}
        for lang, term, factor in con.keys:
            for cls, (w, field) in c.index.get((lang, term), {}).items():
                w *= factor
                if cls.startswith(RELATIONAL_PREFIXES) and not (lifted and cls.startswith(lifted)):
                    w *= RELATIONAL_DISCOUNT
                if w > best.get(cls, (0.0, ""))[0]:
                    best[cls] = (w, field)
        for cls, (w, field) in best.items():
            entry = acc.setdefault(cls, [[], [], {}])
            entry[0].append((con, idf * w / total))
            entry[1].append(con.word)
            entry[2][field] = entry[2].get(field, 0.0) + idf * w
    out = {}
    for cls, (parts, words, fields) in acc.items():
        score = 0.0
        for con, part in parts:
            if con.compound and not compounds[con.compound] <= set(words):
                part *= COMPOUND_PARTIAL
            score += part
        out[cls] = (score, words, max(fields, key=fields.get))
    return out


def _level(code: str) -> str:
    return {2: "division", 4: "group", 5: "class"}.get(len(code), "class")


def _expand(code: str, c: _Corpus) -> list[str]:
    return [k for k in c.classes if k.startswith(code)] if len(code) < 5 else [code]


_PLACEHOLDER = " zzsyn "
_ANNOTATION = re.compile(r"\((?:[^()]*(?:delområde|paraplyområde|central driver|cross-cutting)[^()]*)\)")


def _hit(hits: dict, cls: str, score: float, relative: float, terms, source: str, origin: str = "") -> None:
    """Keep a class's best score in one language (and the words of all its matches);
    ``origin`` is the code a synonym gave (the class's group or division, or itself)."""
    e = hits.setdefault(cls, [0.0, 0.0, [], source, origin])
    if score > e[0]:
        e[0], e[3], e[4] = score, source, origin
    e[1] = max(e[1], relative)
    e[2] = list(dict.fromkeys(e[2] + list(terms)))


def _synonym_hits(hits: dict, c: _Corpus, name: str, codes, term: str) -> None:
    for code in codes:
        for cls in _expand(code, c):
            _hit(hits, cls, SYNONYM_SCORE, 1.0, [term], f"synonym: {name}", code)


def match_area(area_sv: str, area_en: str = "") -> dict:
    """The full match of one area: ``{"horizontal", "themes", "codes", "unmatched"}``.

    ``codes`` is the list of :func:`suggest_codes`; ``themes`` the horizontal themes found
    (also beside codes); ``unmatched`` the content words that matched nothing.

    Each name is cut into segments at list separators ("," "och" "and" "/" ...); synonyms
    are taken out first (a phrase may span a separator) and give their codes' classes a
    full score. Each remaining segment is scored against every class
    (:func:`_score_segment`). Per language, a class keeps its best score and that score
    relative to the best class of the same segment. The languages are then averaged (over
    the languages that matched anything), so a class must be found from the Swedish and
    the English name alike. A class matches when the averaged score is at least
    ``MIN_SCORE`` and the averaged relative score at least ``RELATIVE``; matches are then
    rolled up (:func:`_roll_up`)."""
    return copy.deepcopy(_match(area_sv or "", area_en or ""))


@lru_cache(maxsize=4096)
def _match(area_sv: str, area_en: str) -> dict:
    if corpus() is None:
        return {"horizontal": False, "themes": [], "codes": [], "unmatched": []}
    known = _declared_matches()
    return known[(area_sv, area_en)] if (area_sv, area_en) in known else _compute(area_sv, area_en)


#: The compiled list of Swedish regions' declared areas, whose matches are kept in the workspace.
DECLARED_FILE = "sweden/s3_priority_areas.csv"


@lru_cache(maxsize=1)
def _declared_matches() -> dict:
    """The matches of every declared area in the compiled list, computed once per version of
    the list and the classification files."""
    def build():
        try:
            areas = pd.read_csv(require_data_file(DECLARED_FILE), dtype=str, keep_default_na=False)
        except MissingDataError:
            return {}
        pairs = set(zip(areas["area_sv"], areas["area_en"]))
        return {pair: _compute(*pair) for pair in pairs}

    return disk_cached("area-matches", (DECLARED_FILE, NOTES_FILE, TITLES_FILE, DETAIL_FILE), build)


def _compute(area_sv: str, area_en: str) -> dict:
    c = corpus()
    if c is None:
        return {"horizontal": False, "themes": [], "codes": [], "unmatched": []}
    names = {"sv": fold(area_sv or ""), "en": fold(area_en or "")}
    themes_all: list[str] = []
    unmatched: list[str] = []
    content_left = False
    both = " ".join(names.values())
    lifted = tuple(p for p, words in RELATIONAL.items() if re.search(words, both))
    per_lang: dict[str, dict[str, list]] = {}  # lang → class → [score, relative, terms, source]
    for lang, text in names.items():
        if not text.strip():
            continue
        hits = per_lang.setdefault(lang, {})
        text = _ANNOTATION.sub(lambda m: " , " + ("cross-cutting" if "cross-cutting" in m.group(0) else "") + " , ",
                               text)
        for syn in SYNONYMS:
            if syn.pattern.startswith("^"):
                continue

            def take(m, syn=syn, hits=hits):
                _synonym_hits(hits, c, syn.name, syn.codes, m.group(0).strip())
                return _PLACEHOLDER
            text = re.sub(rf"(?<![\wåäö-])(?:{syn.pattern})(?![\wåäö])", take, text)
        for segment in _segments(text):
            for syn in SYNONYMS:
                if syn.pattern.startswith("^") and re.fullmatch(syn.pattern, segment):
                    _synonym_hits(hits, c, syn.name, syn.codes, segment)
                    segment = _PLACEHOLDER
            qualified = _PLACEHOLDER.strip() in segment  # a synonym named the sector of this segment
            segment = segment.replace(_PLACEHOLDER.strip(), " ")
            themes, rest = _themes(segment)
            themes_all += [t for t in themes if t not in themes_all]
            words = _content(rest)
            if not words:
                continue
            content_left = True
            concepts = _concepts(rest, lang, c)
            if not concepts:
                if not qualified and all(w in MANUFACTURING_WORDS for w in words):
                    _synonym_hits(hits, c, "manufacturing", GENERIC_MANUFACTURING, " ".join(words))
                continue
            scores = _score_segment(concepts, c, lifted)
            if not scores:
                unmatched += [con.word for con in concepts]
                continue
            best = max(s for s, _, _ in scores.values())
            for cls, (score, terms, field) in scores.items():
                _hit(hits, cls, score, score / best, terms, field)
    active = [lang for lang, hits in per_lang.items() if hits]
    class_hits: dict[str, dict] = {}
    for cls in {k for lang in active for k in per_lang[lang]}:
        entries = [per_lang[lang][cls] for lang in active if cls in per_lang[lang]]
        score = sum(e[0] for e in entries) / len(active)
        relative = sum(e[1] for e in entries) / len(active)
        if score >= MIN_SCORE and relative >= RELATIVE:
            best = max(entries, key=lambda e: e[0])
            class_hits[cls] = {"score": score, "terms": list(dict.fromkeys(t for e in entries for t in e[2])),
                               "source": best[3], "origin": best[4]}
    codes = _roll_up(class_hits, c)
    horizontal = not codes and bool(themes_all) and not content_left
    return {"horizontal": horizontal, "themes": themes_all, "codes": codes, "unmatched": unmatched}


def _merged(code: str, level: str, members: list[str], class_hits: dict) -> dict:
    sources: dict[str, float] = defaultdict(float)
    for h in members:
        sources[class_hits[h]["source"]] += class_hits[h]["score"]
    return {"code": code, "level": level,
            "score": round(sum(class_hits[h]["score"] for h in members) / len(members), 3),
            "matched_terms": list(dict.fromkeys(t for h in members for t in class_hits[h]["terms"])),
            "source": max(sources, key=sources.get)}


def _roll_up(class_hits: dict, c: _Corpus) -> list[dict]:
    """Matched classes → codes. Classes a synonym gave keep the synonym's code when all of
    its classes matched. Otherwise: the division when at least ``ROLLUP_SHARE`` of its
    classes match (and it has more than one), else the group when all its classes match
    (and it has more than one), else the classes. A code's score is the mean of its
    classes'; a code inside another suggested code is left out."""
    out = []
    rest = dict(class_hits)
    by_origin: dict[str, list[str]] = defaultdict(list)
    for cls, e in class_hits.items():
        if e.get("origin"):
            by_origin[e["origin"]].append(cls)
    for origin, hits in by_origin.items():
        if len(hits) == len(_expand(origin, c)):
            out.append(_merged(origin, _level(origin), hits, class_hits))
            for h in hits:
                rest.pop(h, None)
    by_division: dict[str, list[str]] = defaultdict(list)
    for cls in sorted(rest):
        by_division[cls[:2]].append(cls)
    for div, hits in by_division.items():
        members = c.division_classes[div]
        if len(members) > 1 and len(hits) / len(members) >= ROLLUP_SHARE:
            out.append(_merged(div, "division", hits, class_hits))
            continue
        by_group: dict[str, list[str]] = defaultdict(list)
        for h in hits:
            by_group[h[:4]].append(h)
        for group, ghits in by_group.items():
            gmembers = [k for k in members if k.startswith(group)]
            if len(gmembers) > 1 and len(ghits) == len(gmembers):
                out.append(_merged(group, "group", ghits, class_hits))
            else:
                out += [_merged(h, "class", [h], class_hits) for h in ghits]
    codes = {d["code"] for d in out}
    out = [d for d in out if not any(d["code"] != k and d["code"].startswith(k) for k in codes)]
    return sorted(out, key=lambda d: (-d["score"], d["code"]))


def suggest_codes(area_sv: str, area_en: str = "") -> list[dict]:
    """NACE Rev. 2 codes suggested for a declared area, best first, each with why:
    ``{"code", "level", "score", "matched_terms", "source"}`` (source: "title", "includes",
    "title (sv)", "synonym: tourism", ...). A horizontal theme gives one entry
    ``{"horizontal": True, "theme": ..., "matched_terms": [...], "source": "horizontal theme"}``
    and no codes; an area that matches nothing gives ``[]``."""
    m = _match(area_sv or "", area_en or "")
    if m["horizontal"]:
        return [{"horizontal": True, "theme": ", ".join(m["themes"]), "themes": list(m["themes"]),
                 "matched_terms": [], "source": "horizontal theme"}]
    return [{**d, "matched_terms": list(d["matched_terms"]), "horizontal": False} for d in m["codes"]]
