"""Sentiment of short comments, -1.0 (very negative) to 1.0 (very positive).

English uses a linear model trained on labelled public reviews and tweets
(:mod:`cs_calc.text.sentiment_model`, built by
:mod:`cs_calc.text.train_sentiment`) with VADER's compound score
(:func:`score_vader`, ``vaderSentiment``) as one of its features; emoji-free
text goes through a linear-time port of VADER's rules that gives the same
numbers (tests compare it with ``polarity_scores``). VADER alone leaned
positive on complaints told as facts ("been on hold for 30 min ... Help?!"). Swedish and German use the small
lexicons below with VADER's arithmetic (:func:`score_with_lexicon`, rules per
language in a :class:`LexiconLanguage`): each sentiment word has a valence
from -4 to 4, a booster before it adds 0.293 of magnitude, a negation
("inte", "nicht", "kein" ...) up to three words before it, or right after a
verb ("fungerar inte", "gefällt mir nicht"), multiplies it by -0.74 (a
negated "works/answers/helps" verb scores -2: "svarar aldrig"), the clause
after a contrast word ("men", "aber", "jedoch") counts 1.5 times and the one
before it half, "!" adds emphasis, and the sum ``s`` is squashed as
``s / sqrt(s² + 15)``. Compounds count through their last part
("supportkatastrof", "Serverausfall") or an intensifying first part
("jättebra", "superschnell").

Texts are scored once per distinct (text, language) pair, so repeated
comments cost nothing extra. An empty or missing text scores 0.0; a missing
language is guessed from the text (:func:`cs_calc.text.tokens.detect_language`);
languages other than English, Swedish and German score 0.0.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from cs_calc.text.sentiment_model import english_model, vader_compound
from cs_calc.text.tokens import (
    detect_language,
    normalise_text,
    split_normalised,
    stem_token,
    tokenise,
)

NEUTRAL_BAND = 0.05
"""Scores strictly inside (-0.05, 0.05) are neutral (VADER's convention)."""


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_BOOST = 0.293
_NEGATION_SCALAR = -0.74
_SQUASH_ALPHA = 15.0

# Swedish lexicon: surface words (any inflection; they are stemmed on load)
# with a valence from -4 to 4, VADER's scale.
_SV_LEXICON_TEXT = """
4: fantastisk fantastiskt fantastiska enastående fenomenal fenomenalt suverän suveränt
   klockren klockrent lysande strålande magisk magiskt perfekt perfekta underbar underbart
3: utmärkt utmärkta grym grymt grymma toppen kanon kanonbra älskar älska älskade
   superbra imponerande imponerad imponerade bäst bästa supernöjd
   helnöjd kanonfin överträffade
2.5: nöjd nöjda nöjt glad glada tacksam tacksamma rekommenderar rekommendera
   rekommenderas uppskattar uppskattade uppskattat proffsig proffsigt proffsiga
   professionell professionellt hjälpsam hjälpsamma hjälpsamt lyhörd lyhörda
   tillmötesgående kunnig kunniga kompetent kompetenta engagerad engagerade
   pålitlig pålitligt pålitliga tillförlitlig tillförlitligt värdefull värdefullt
   värdefulla gillar gillade gillat smidig smidigt smidiga
2: bra fin fint fina trevlig trevligt trevliga snabb snabbt snabba stabil stabilt
   stabila enkel enkelt enkla lätt lättanvänd lättanvänt lättförståelig tydlig tydligt
   tydliga intuitiv intuitivt intuitiva användarvänlig användarvänligt positiv
   positivt positiva effektiv effektivt effektiva kraftfull kraftfullt modern
   modernt snygg snyggt snygga härlig härligt smart smarta nyttig nyttigt användbar
   användbart användbara praktisk praktiskt prisvärd prisvärt prisvärda
   tidsbesparande underlättar underlättat vänlig vänliga trygg tryggt förtroende
   lyckad lyckat lyckades lönsam glädje rolig roligt framgång framgångsrik
   serviceinriktad serviceinriktade flexibel flexibelt stöttande stöttat
1.5: bättre förbättrats förbättrat förbättrad hjälpte hjälpt löste löst tack
   sparar sparat rimlig rimligt rimliga överkomlig överkomligt billig billigt
   billiga säker säkert värt värd
1: fungerar funkar fungerade funkade fungera svarar svarade hjälper löser godkänd
   godkänt förbättring lagom okej ok okay duger säkra
-1: saknar saknas saknade sakna tyvärr synd tveksam tveksamt onödig onödigt oklar
   oklart dyr dyrt dyra kostsam kostsamt kostsamma
   gammaldags saknat
-1.5: problem problemen problemet problematisk problematiskt fel felet felen
   bugg buggar buggen svår svårt svåra komplicerad komplicerat komplicerade rörig
   rörigt röriga seg segt sega trög trögt tröga klumpig klumpigt föråldrad
   föråldrat otydlig otydligt otydliga avbrott avbrottet klagomål klaga klagar
   tråkig tråkigt jobbig jobbigt jobbiga tidskrävande tidsödande orolig oroliga oro
   stressig stressigt brist brister bristen sämre nere dröjer dröjde väntat väntar
   hänger hängde
-2: dålig dåligt dåliga buggig buggigt buggiga krasch kraschar kraschade kraschat
   krånglig krångligt krångliga krångel strul strular strulade strulat trassel
   trasslig långsam långsamt långsamma långsammare instabil instabilt instabila
   förvirrande förvirrad förvirrat driftstopp irriterande irriterad irriterade
   ineffektiv ineffektivt omöjlig omöjligt omöjliga bristfällig bristfälligt
   otillräcklig otillräckligt tungrodd tungrott ledsen ledsna överprisad överprisat
   missnöjd missnöjda besvikna oprofessionell tappade tappat
   glömde glömt ignorerade ignorerar svek
-2.5: besviken besvikelse frustrerande frustrerad frustrerade opålitlig opålitligt
   otrevlig otrevligt otrevliga misslyckad misslyckades misslyckat kass kasst
   arg arga ohjälpsam ohjälpsamma slöseri haveri haveriet ocker ockerpris
-3: usel uselt usla urusel uruselt värdelös värdelöst värdelösa hemsk hemskt
   hemska fruktansvärd fruktansvärt fruktansvärda katastrof katastrofal
   katastrofalt katastrofala oanvändbar oanvändbart oacceptabel oacceptabelt
   sämst skandal skandalöst bedrövlig bedrövligt vidrig vidrigt
"""

# German lexicon, normalised (ß is written "ss", umlauts kept), any inflection.
# It is our own list, written for B2B software feedback: the maintained German
# lexicons are unfit here (SentiWS is CC BY-NC-SA, so not for a commercial
# product; asent's list is Chen & Skiena's machine-built one, which rates
# function words such as "nach" and "oder" as positive), and the others come
# with spaCy or torch. Words with "un-" are listed on their own, because a
# compound tail would otherwise read "unzuverlässig" as "zuverlässig".
_DE_LEXICON_TEXT = """
4: fantastisch hervorragend herausragend ausgezeichnet perfekt perfekte grossartig genial
   sensationell phänomenal erstklassig spitze spitzenklasse traumhaft wunderbar überragend
   weltklasse einzigartig
3: toll super klasse exzellent begeistert begeisternd begeisterung lieben liebt top
   beste besten bestens empfehlenswert beeindruckend beeindruckt hochzufrieden optimal
   vorbildlich unschlagbar brillant erstaunlich überzeugt überzeugend hammer
   weiterempfehlen uneingeschränkt
2.5: zufrieden zufriedenheit empfehlen empfehle empfiehlt empfohlen empfehlung dankbar
   hilfsbereit hilfsbereitschaft hilfreich kompetent kompetenz professionell
   professionalität zuverlässig zuverlässigkeit verlässlich kundenorientiert engagiert
   wertvoll gefallen gefällt gefiel lobenswert schätzen schätze geschätzt reibungslos
   freuen freue erfreulich glücklich
2: gut gute guter gutes schön nett freundlich schnell flott zügig stabil stabilität einfach
   intuitiv übersichtlich verständlich benutzerfreundlich anwenderfreundlich
   bedienerfreundlich nutzerfreundlich kinderleicht positiv effizient effektiv leistungsstark
   modern praktisch nützlich sinnvoll flexibel günstig preiswert lohnt lohnenswert
   gelungen erfolgreich erfolg freude spass angenehm komfortabel durchdacht ausgereift
   solide robust responsiv reaktionsschnell kundenfreundlich entgegenkommend kulant geduldig
   transparent vertrauen vertrauenswürdig zeitsparend erleichtert erleichtern erleichterung
   vereinfacht problemlos mühelos sympathisch lob loben gelobt kompetente
   souverän hochwertig unkompliziert zielführend mehrwert
1.5: besser verbessert verbesserung geholfen gelöst danke dankeschön spart sparen gespart
   ordentlich vernünftig fair angemessen klar passend bewährt
   kostenlos inklusive wert
1: funktioniert funktionieren funktionierte klappt klappte läuft antwortet antworten reagiert
   hilft löst akzeptabel brauchbar gebrauchen ausreichend okay ok passt korrekt machbar
-1: fehlt fehlen fehlende fehlte vermisse vermissen vermissten leider schade teuer
   kostspielig unklar mässig veraltet altmodisch unnötig verbesserungswürdig ausbaufähig
   nachteil nachteile eingeschränkt begrenzt gewöhnungsbedürftig preiserhöhung
   verbesserungsbedarf optimierungsbedarf
-1.5: problem probleme problematisch fehler fehlermeldung fehlermeldungen bug bugs
   schwierig schwierigkeiten kompliziert komplex unübersichtlich störung störungen
   unterbrechung wartezeit wartezeiten ladezeit verzögerung verzögert verspätet beschwerde
   beschweren lästig mühsam aufwendig aufwändig zeitaufwendig zeitaufwändig hängt hakt
   holprig zäh lückenhaft mangel mängel schwach schwäche schwächen undurchsichtig
   intransparent unverständlich unflexibel überfordert stressig langweilig ewig ewigkeit kündigen
   kündigung gekündigt schlechter unpraktisch unzuverlässiger ungenau
-2: schlecht langsam umständlich verwirrend ärgerlich nervig nervt fehleranfällig fehlerhaft
   instabil instabilität absturz abstürze stürzt abgestürzt abstürzen ausfall ausfälle
   ausgefallen lahm verbuggt unzufrieden unzufriedenheit unmöglich unfreundlich
   unprofessionell unhöflich ignoriert chaos chaotisch ärger ärgern verärgert dürftig
   unzureichend ungenügend unintuitiv schwerfällig mangelhaft überteuert stillstand
   sicherheitslücke datenverlust verloren enttäuschen
-2.5: enttäuscht enttäuschend enttäuschung frustrierend frustriert frustration unzuverlässig
   mies wucher inkompetent unverschämt nutzlos
-3: unbrauchbar katastrophe katastrophal furchtbar schrecklich miserabel grottenschlecht
   inakzeptabel unakzeptabel abzocke beschissen scheisse desaströs desaster
   katastrophale katastrophen zumutung
"""

_EMOTICONS = {
    ":)": 2.0,
    ":-)": 2.0,
    ":d": 2.5,
    "🙂": 2.0,
    "😀": 2.5,
    "😊": 2.0,
    "👍": 2.0,
    "❤️": 3.0,
    "❤": 3.0,
    ":(": -2.0,
    ":-(": -2.0,
    "🙁": -2.0,
    "😞": -2.0,
    "😡": -3.0,
    "👎": -2.0,
}
_CLAUSE_BREAK_RE = re.compile(r"[.!?;:,\n]+")
_EMOTICON_RE = re.compile("|".join(re.escape(e) for e in sorted(_EMOTICONS, key=len, reverse=True)))
# A negated "works/answers/helps" verb is a complaint: "fungerar inte", "funktioniert nicht".
_BROKEN = -2.0


def _parse_lexicon(text: str) -> dict[str, float]:
    lexicon: dict[str, float] = {}
    valence = 0.0
    for raw in text.split():
        if raw.endswith(":"):
            valence = float(raw[:-1])
            continue
        lexicon.setdefault(raw, valence)
    return lexicon


@dataclass(frozen=True, eq=False)
class LexiconLanguage:
    """Everything the lexicon scorer needs to know about one language.

    ``words``: normalised word → valence (-4 to 4); ``stems`` the same by
    Snowball stem (first listed word wins). ``negation_idioms`` are (negation,
    next word) pairs that do not negate ("inte minst"). ``contrasts`` split a
    comment into an earlier clause that counts half and a later one that
    counts 1.5 times. ``working_verbs`` score :data:`_BROKEN` when negated.
    ``negation_gap`` words may stand between a word and a negation after it
    ("gefällt mir nicht"); a negation after them does not negate them
    ("leider nicht"). ``neutral_words`` carry no valence although they
    share a lexicon word's stem ("schon" and "schön" both stem to "schon").
    ``particles`` are sentiment words alone ("einfach zu bedienen") but only
    intensifiers when one of the next two words carries sentiment or negates
    ("einfach zu teuer", "super schnell", "einfach nicht"); they then score nothing. ``not_tails`` are stems
    that end words without being their last compound part ("toll" in
    "protokoll"). Instances compare by identity, so they can key caches.
    """

    code: str
    words: Mapping[str, float]
    stems: Mapping[str, float]
    negations: frozenset[str]
    negation_idioms: frozenset[tuple[str, str]]
    boosters: frozenset[str]
    dampeners: frozenset[str]
    intensifying_prefixes: tuple[str, ...]
    contrasts: frozenset[str]
    working_verbs: frozenset[str]
    negation_gap: frozenset[str] = frozenset()
    neutral_words: frozenset[str] = frozenset()
    particles: frozenset[str] = frozenset()
    not_tails: frozenset[str] = frozenset()
    min_compound_part: int = 4


def lexicon_language(code: str, lexicon_text: str, **rules: Any) -> LexiconLanguage:
    """A :class:`LexiconLanguage` from a "valence: words ..." text and its word rules."""
    words = _parse_lexicon(lexicon_text)
    stems: dict[str, float] = {}
    for word, valence in words.items():
        stems.setdefault(stem_token(word, code), valence)
    return LexiconLanguage(code=code, words=MappingProxyType(words), stems=MappingProxyType(stems), **rules)


SWEDISH = lexicon_language(
    "sv",
    _SV_LEXICON_TEXT,
    negations=_words("inte ej icke aldrig ingen inget inga knappast varken utan"),
    negation_idioms=frozenset({("inte", "minst"), ("inte", "bara"), ("inte", "enbart")}),
    boosters=_words("""mycket väldigt jätte riktigt otroligt extremt supert sjukt helt alldeles
        verkligen oerhört enormt galet så ytterst särskilt oerhort grymt"""),
    dampeners=_words("lite ganska något rätt relativt hyfsat någorlunda delvis"),
    intensifying_prefixes=("jätte", "super", "mega", "skit", "kanon", "sjukt", "extra"),
    contrasts=_words("men"),
    working_verbs=_words(
        "fungerar funkar fungerade funkade fungera funka svarar svarade hjälper hjälpte löser löste"
    ),
)
"""Swedish scoring rules and lexicon."""

GERMAN = lexicon_language(
    "de",
    _DE_LEXICON_TEXT,
    negations=_words("nicht kein keine keinen keiner keinem keines nie niemals ohne weder kaum nichts"),
    negation_idioms=frozenset(
        {("nicht", "nur"), ("nicht", "zuletzt"), ("nicht", "minder"), ("ohne", "frage"), ("ohne", "zweifel")}
    ),
    boosters=_words("""sehr extrem wirklich total super echt äusserst besonders richtig absolut
        wahnsinnig unglaublich enorm ausgesprochen ausserordentlich überaus zu so ganz voll
        hochgradig"""),
    dampeners=_words("etwas ziemlich eher relativ teilweise leicht bisschen halbwegs einigermassen recht"),
    intensifying_prefixes=("super", "mega", "sau", "hyper", "ultra", "extrem", "stink", "grotten"),
    contrasts=_words("aber jedoch allerdings trotzdem dennoch"),
    working_verbs=_words("""funktioniert funktionieren funktionierte funktionierten klappt klappte
        läuft lief antwortet antworten antwortete reagiert reagieren reagierte hilft helfen half
        geholfen löst lösen gelöst"""),
    negation_gap=_words("mir uns ihm ihr es das leider einfach wirklich immer noch oft mehr gar so richtig"),
    neutral_words=_words("schon übersicht übersichten mode modus lieber werte werten klassen"),
    particles=_words("einfach super"),
    not_tails=_words("toll klar wert"),
)
"""German scoring rules and lexicon."""

_LEXICON_LANGUAGES: Mapping[str, LexiconLanguage] = MappingProxyType({"sv": SWEDISH, "de": GERMAN})


@lru_cache(maxsize=1 << 16)
def _valence(token: str, language: LexiconLanguage) -> float:
    """Valence of one normalised token, 0.0 if it carries none."""
    if token in language.words:
        return language.words[token]
    if token in language.neutral_words:
        return 0.0
    stem = stem_token(token, language.code)
    if stem in language.stems:
        return language.stems[stem]
    for prefix in language.intensifying_prefixes:
        if token.startswith(prefix) and len(token) > len(prefix) + 2:
            rest = token[len(prefix) :]
            base = language.words.get(rest, language.stems.get(stem_token(rest, language.code), 0.0))
            if base:
                return base + math.copysign(_BOOST * 2, base)
    # compound whose last part carries the sentiment: "supportkatastrof"
    for start in range(2, len(stem) - language.min_compound_part + 1):
        tail = stem[start:]
        if tail in language.stems and tail not in language.not_tails:
            return language.stems[tail]
    return 0.0


def _squash(total: float) -> float:
    return total / math.sqrt(total * total + _SQUASH_ALPHA)


def _is_negation(tokens: list[str], position: int, language: LexiconLanguage) -> bool:
    if tokens[position] not in language.negations:
        return False
    following = tokens[position + 1] if position + 1 < len(tokens) else ""
    return (tokens[position], following) not in language.negation_idioms


def _negated_after(tokens: list[str], index: int, language: LexiconLanguage) -> bool:
    """A negation right after the word, or after gap words ("gefällt mir nicht")."""
    position = index + 1
    while position < len(tokens) and tokens[position] in language.negation_gap:
        if _is_negation(tokens, position, language):
            return True
        position += 1
    return position < len(tokens) and _is_negation(tokens, position, language)


def _is_intensifying_particle(tokens: list[str], index: int, language: LexiconLanguage) -> bool:
    """A particle before a sentiment word or negation: "einfach zu teuer", "einfach nicht"."""
    return tokens[index] in language.particles and any(
        _valence(token, language) or token in language.negations for token in tokens[index + 1 : index + 3]
    )


def _clause_valences(tokens: list[str], language: LexiconLanguage) -> list[float]:
    valences: list[float] = []
    for index, token in enumerate(tokens):
        valence = _valence(token, language)
        if not valence or _is_intensifying_particle(tokens, index, language):
            continue
        if index and tokens[index - 1] in language.boosters:
            valence += math.copysign(_BOOST, valence)
        elif index and tokens[index - 1] in language.dampeners:
            valence -= math.copysign(_BOOST, valence)
        negated = any(
            _is_negation(tokens, position, language) for position in range(max(0, index - 3), index)
        )
        # verb-second word order puts the negation after the verb: "fungerar inte";
        # a gap word is an adverb that a later negation does not negate ("leider nicht")
        if not negated and token not in language.negation_gap:
            negated = _negated_after(tokens, index, language)
        if negated:
            valence = _BROKEN if token in language.working_verbs else valence * _NEGATION_SCALAR
        valences.append(valence)
    return valences


def score_with_lexicon(text: str, language: LexiconLanguage) -> float:
    """Sentiment of one comment by ``language``'s lexicon rules, -1.0 to 1.0.

    0.0 when the text holds no sentiment word or emoticon.

    >>> score_with_lexicon("Vi har möte på tisdag", SWEDISH)
    0.0
    >>> score_with_lexicon("Teuer, aber hervorragend", GERMAN) > 0.5
    True
    """
    normalised = normalise_text(text)
    total = 0.0
    for emoticon in _EMOTICON_RE.findall(normalised):
        total += _EMOTICONS[emoticon]
    clauses: list[list[float]] = []
    contrast_index: int | None = None
    for chunk in _CLAUSE_BREAK_RE.split(normalised):
        tokens = split_normalised(chunk)
        start = 0
        for position, token in enumerate(tokens):
            if token in language.contrasts:
                clauses.append(_clause_valences(tokens[start:position], language))
                contrast_index = len(clauses)
                start = position + 1
        clauses.append(_clause_valences(tokens[start:], language))
    for index, valences in enumerate(clauses):
        weight = 1.0
        if contrast_index is not None:
            weight = 0.5 if index < contrast_index else 1.5
        total += weight * sum(valences)
    if total:
        emphasis = min(normalised.count("!"), 4) * 0.292
        total += math.copysign(emphasis, total)
    return max(-1.0, min(1.0, _squash(total))) if total else 0.0


def explain_with_lexicon(text: str, language: LexiconLanguage) -> list[tuple[str, float]]:
    """Each clause of ``text`` as written, with its weighted valence sum in :func:`score_with_lexicon`.

    >>> explain_with_lexicon("Teuer, aber hervorragend", GERMAN)
    [('Teuer', -0.5), ('aber hervorragend', 6.0)]
    """
    parts: list[tuple[list[str], list[str]]] = []  # (words as written, tokens) per clause
    contrast_index: int | None = None
    for chunk in _CLAUSE_BREAK_RE.split(text):
        parts.append(([], []))
        for word in chunk.split():
            tokens = split_normalised(normalise_text(word))
            if tokens and tokens[0] in language.contrasts:
                parts.append(([], []))
                contrast_index = len(parts) - 1
                tokens = tokens[1:]
            parts[-1][0].append(word)
            parts[-1][1].extend(tokens)
    clauses: list[tuple[str, float]] = []
    for index, (written, tokens) in enumerate(parts):
        if not tokens:
            continue
        weight = 1.0
        if contrast_index is not None:
            weight = 0.5 if index < contrast_index else 1.5
        clauses.append((" ".join(written), weight * sum(_clause_valences(tokens, language))))
    return clauses


def score_swedish(text: str) -> float:
    """Sentiment of one Swedish comment, -1.0 to 1.0; 0.0 without sentiment words.

    >>> score_swedish("Supporten är fantastisk!") > 0.5
    True
    >>> score_swedish("Appen fungerar inte alls, väldigt dålig") < -0.5
    True
    >>> score_swedish("Vi har möte på tisdag")
    0.0
    """
    return score_with_lexicon(text, SWEDISH)


def score_german(text: str) -> float:
    """Sentiment of one German comment, -1.0 to 1.0; 0.0 without sentiment words.

    >>> score_german("Der Support ist hervorragend!") > 0.5
    True
    >>> score_german("Die App funktioniert nicht, sehr enttäuschend") < -0.5
    True
    >>> score_german("Wir haben am Dienstag ein Meeting")
    0.0
    """
    return score_with_lexicon(text, GERMAN)


SOFTWARE_FEEDBACK_VALENCES: dict[str, float] = {
    **dict.fromkeys(["crashes", "crashed", "crashing", "outage", "outages", "buggy"], -1.8),
    **dict.fromkeys(["unreliable", "unusable", "overpriced"], -1.9),
    **dict.fromkeys(["bug", "bugs", "glitch", "glitches", "glitchy", "laggy", "downtime"], -1.4),
    **dict.fromkeys(["breaks", "clunky", "cumbersome", "unresponsive", "hassle"], -1.4),
    **dict.fromkeys(["slow", "slower", "sluggish", "timeout", "timeouts", "expensive"], -1.1),
    **dict.fromkeys(["outdated", "harder"], -0.8),
    **dict.fromkeys(["reliable", "smooth", "smoothly", "fast", "faster", "affordable"], 1.4),
    **dict.fromkeys(["intuitive", "seamless", "seamlessly"], 1.8),
}
"""What customers of business software mean by words VADER's lexicon lacks (its −4…+4 scale).

VADER was built on social-media text, where "crashes", "bugs", "outage",
"unreliable" or "intuitive" are rare; in NPS comments about software they
carry the comment. Added only where VADER has no valence of its own."""


SOFTWARE_FEEDBACK_TOPICS = frozenset({"support", "help"})
"""Words VADER scores as praise that name a thing in business-software feedback: "support took a
week to answer" is about the support team, "the help centre is out of date" about the docs."""


@lru_cache(maxsize=1)
def _vader() -> Any:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyzer = SentimentIntensityAnalyzer()
    for word, valence in SOFTWARE_FEEDBACK_VALENCES.items():
        analyzer.lexicon.setdefault(word, valence)
    for word in SOFTWARE_FEEDBACK_TOPICS:
        analyzer.lexicon.pop(word, None)
    return analyzer


@lru_cache(maxsize=1)
def _vader_rules() -> Any:
    from vaderSentiment import vaderSentiment as vader_module

    return vader_module


def _vader_compound_ascii(text: str) -> float:
    """VADER's compound score for an emoji-free text, in linear time.

    A line-by-line port of ``SentimentIntensityAnalyzer.polarity_scores``
    (vaderSentiment 3.3) that lower-cases the words once instead of once per
    rule and per lexicon word; tokenising (``SentiText``) and the final
    scoring (``_but_check``, ``score_valence``) are VADER's own. Tests check
    it against ``polarity_scores`` on thousands of texts.
    """
    vader = _vader()
    rules = _vader_rules()
    lexicon = vader.lexicon
    boosters = rules.BOOSTER_DICT
    special = rules.SPECIAL_CASES
    senti = rules.SentiText(text)
    words = senti.words_and_emoticons
    lowers = [word.lower() for word in words]
    count = len(words)
    cap_diff = senti.is_cap_diff

    def booster(j: int, valence: float) -> float:
        scalar = 0.0
        if lowers[j] in boosters:
            scalar = boosters[lowers[j]]
            if valence < 0:
                scalar *= -1
            if words[j].isupper() and cap_diff:
                scalar = scalar + rules.C_INCR if valence > 0 else scalar - rules.C_INCR
        return scalar

    def negated(j: int) -> bool:
        return lowers[j] in rules.NEGATE or "n't" in lowers[j]

    sentiments: list[float] = []
    for i, low in enumerate(lowers):
        if low in boosters or (i < count - 1 and low == "kind" and lowers[i + 1] == "of"):
            sentiments.append(0)
            continue
        valence: float = 0
        if low in lexicon:
            valence = lexicon[low]
            if low == "no" and i != count - 1 and lowers[i + 1] in lexicon:
                valence = 0.0
            if (
                (i > 0 and lowers[i - 1] == "no")
                or (i > 1 and lowers[i - 2] == "no")
                or (i > 2 and lowers[i - 3] == "no" and lowers[i - 1] in ("or", "nor"))
            ):
                valence = lexicon[low] * rules.N_SCALAR
            if words[i].isupper() and cap_diff:
                valence = valence + rules.C_INCR if valence > 0 else valence - rules.C_INCR
            for start in range(3):
                if i > start and lowers[i - (start + 1)] not in lexicon:
                    scalar = booster(i - (start + 1), valence)
                    if start == 1 and scalar != 0:
                        scalar *= 0.95
                    if start == 2 and scalar != 0:
                        scalar *= 0.9
                    valence += scalar
                    valence = _vader_negation(valence, lowers, start, i, negated, rules.N_SCALAR)
                    if start == 2:
                        valence = _vader_idioms(valence, lowers, i, special, boosters)
            if i > 1 and lowers[i - 1] not in lexicon and lowers[i - 1] == "least":
                if lowers[i - 2] != "at" and lowers[i - 2] != "very":
                    valence *= rules.N_SCALAR
            elif i > 0 and lowers[i - 1] not in lexicon and lowers[i - 1] == "least":
                valence *= rules.N_SCALAR
        sentiments.append(valence)
    sentiments = vader._but_check(words, sentiments)
    return float(vader.score_valence(sentiments, text)["compound"])


def _vader_negation(
    valence: float, lowers: list[str], start: int, i: int, negated: Any, scalar: float
) -> float:
    if start == 0:
        if negated(i - 1):
            valence *= scalar
    elif start == 1:
        if lowers[i - 2] == "never" and lowers[i - 1] in ("so", "this"):
            valence *= 1.25
        elif lowers[i - 2] == "without" and lowers[i - 1] == "doubt":
            pass
        elif negated(i - 2):
            valence *= scalar
    else:
        if (lowers[i - 3] == "never" and lowers[i - 2] in ("so", "this")) or lowers[i - 1] in (
            "so",
            "this",
        ):
            valence *= 1.25
        elif lowers[i - 3] == "without" and (lowers[i - 2] == "doubt" or lowers[i - 1] == "doubt"):
            pass
        elif negated(i - 3):
            valence *= scalar
    return valence


def _vader_idioms(valence: float, lowers: list[str], i: int, special: Any, boosters: Any) -> float:
    onezero = f"{lowers[i - 1]} {lowers[i]}"
    twoonezero = f"{lowers[i - 2]} {lowers[i - 1]} {lowers[i]}"
    twoone = f"{lowers[i - 2]} {lowers[i - 1]}"
    threetwoone = f"{lowers[i - 3]} {lowers[i - 2]} {lowers[i - 1]}"
    threetwo = f"{lowers[i - 3]} {lowers[i - 2]}"
    for sequence in (onezero, twoonezero, twoone, threetwoone, threetwo):
        if sequence in special:
            valence = special[sequence]
            break
    if len(lowers) - 1 > i:
        zeroone = f"{lowers[i]} {lowers[i + 1]}"
        if zeroone in special:
            valence = special[zeroone]
    if len(lowers) - 1 > i + 1:
        zeroonetwo = f"{lowers[i]} {lowers[i + 1]} {lowers[i + 2]}"
        if zeroonetwo in special:
            valence = special[zeroonetwo]
    for n_gram in (threetwoone, threetwo, twoone):
        if n_gram in boosters:
            valence = valence + boosters[n_gram]
    return valence


def score_vader(text: str) -> float:
    """VADER compound score of one English comment, -1.0 to 1.0.

    Equals ``SentimentIntensityAnalyzer().polarity_scores(text)["compound"]``;
    ASCII texts go through a faster port of the same rules.

    >>> score_vader("Great support, love it") > 0.5
    True
    >>> score_vader("Terrible support, I hate it") < -0.5
    True
    >>> score_vader("")
    0.0
    """
    if not text.strip():
        return 0.0
    if text.isascii():
        return _vader_compound_ascii(text)
    return float(_vader().polarity_scores(text)["compound"])


SHORT_COMMENT_CHARS = 300
"""A comment up to this long is scored half by the model, half by VADER's lexicon."""


def score_english(text: str) -> float:
    """Sentiment of one English comment, -1.0 to 1.0, by the trained model and VADER's lexicon.

    :mod:`cs_calc.text.sentiment_model` (word and word-pair weights learnt from
    labelled public reviews and tweets, plus VADER's compound as one more
    feature). The model learnt from movies and airlines what those customers
    talk about as well as how they feel ("support", "problem", "people" lean
    negative there), so for a short comment, the kind an NPS survey gets, its
    score is averaged with VADER's (with :data:`SOFTWARE_FEEDBACK_VALENCES`):
    on business-software comments the average is right where either alone is
    not, and on the held-out public corpora it keeps most of the model's gain
    (README, "NPS text on real reviews"). A longer text is the model's alone.
    Raises :class:`~cs_calc.text.sentiment_model.ModelMissingError` when the
    weights have not been built.

    >>> score_english("Great support, love it") > 0.5
    True
    >>> score_english("been on hold for 30 min trying to rebook. Help?!") < -0.05
    True
    >>> score_english("")
    0.0
    """
    if not text.strip():
        return 0.0
    lexicon = vader_compound(text, score_vader)
    model = english_model().score(text, lexicon)
    if len(text) > SHORT_COMMENT_CHARS:
        return model
    return (model + lexicon) / 2


def explain_english(text: str) -> tuple[float, list[tuple[str, float]]]:
    """The score of one English comment and each clause's contribution to it (log-odds).

    >>> score, clauses = explain_english("Expensive, but worth every penny")
    >>> max(clauses, key=lambda c: c[1])[0]
    'but worth every penny'
    """
    return english_model().explain(text, score_vader)


def explain_sentiment(text: str, language: str | None) -> list[tuple[str, float]]:
    """Each clause of one comment as written, with its contribution to the comment's score.

    English contributions are log-odds of the model, Swedish and German
    valence sums; either way the sign says which way the clause pulls and the
    largest carries the comment. A missing language is guessed; other
    languages give ``[]``.

    >>> max(explain_sentiment("Bra produkt, men supporten svarar aldrig", "sv"), key=lambda c: abs(c[1]))
    ('men supporten svarar aldrig', -3.0)
    """
    if not isinstance(text, str) or not text.strip():
        return []
    if not language:
        language = detect_language(tokenise(text)) or "en"
    if language == "en":
        return explain_english(text)[1]
    if language in _LEXICON_LANGUAGES:
        return explain_with_lexicon(text, _LEXICON_LANGUAGES[language])
    return []


def score_sentiment(texts: Iterable[str], languages: Iterable[str | None]) -> np.ndarray:
    """Sentiment of each text, a float64 array of values from -1.0 to 1.0.

    ``languages`` pairs one ISO code ("en", "sv", "de") with each text; a missing
    one (None/NA) is guessed from the text. Empty/missing texts and
    unsupported languages give 0.0. Empty input gives an empty array.
    Raises ValueError when the two inputs differ in length.

    >>> score_sentiment(["Love it", "Riktigt dåligt", None], ["en", "sv", "en"]).round(2)
    array([ 0.71, -0.51,  0.  ])
    >>> score_sentiment([], []).shape
    (0,)
    """
    frame = pd.DataFrame({"text": pd.Series(list(texts), dtype=object)})
    language_list = list(languages)
    if len(language_list) != len(frame):
        raise ValueError(
            f"score_sentiment: {len(frame)} texts but {len(language_list)} languages "
            "(give one language per text)"
        )
    if frame.empty:
        return np.zeros(0, dtype=np.float64)
    frame["language"] = pd.Series(language_list, dtype=object)
    frame = frame.astype(object).where(frame.notna(), None)
    codes, uniques = pd.factorize(pd.MultiIndex.from_frame(frame), use_na_sentinel=False)
    unique_texts = uniques.get_level_values(0).tolist()
    unique_languages = uniques.get_level_values(1).tolist()
    unique_scores = np.zeros(len(unique_texts), dtype=np.float64)
    english: list[int] = []
    for position, (text, language) in enumerate(zip(unique_texts, unique_languages, strict=True)):
        if not isinstance(text, str) or not text.strip():
            continue
        if not isinstance(language, str) or not language:
            language = detect_language(tokenise(text)) or "en"
        if language == "en":
            english.append(position)
        elif language in _LEXICON_LANGUAGES:
            unique_scores[position] = score_with_lexicon(text, _LEXICON_LANGUAGES[language])
    if english:
        unique_scores[english] = [score_english(unique_texts[i]) for i in english]
    return unique_scores[codes]


def label_sentiment(scores: np.ndarray | pd.Series) -> np.ndarray:
    """ "positive" (≥ 0.05), "negative" (≤ -0.05) or "neutral" for each score.

    >>> label_sentiment(np.array([0.6, 0.0, -0.2])).tolist()
    ['positive', 'neutral', 'negative']
    >>> label_sentiment(np.array([0.05])).tolist()
    ['positive']
    >>> label_sentiment(np.array([])).tolist()
    []
    """
    values = np.asarray(scores, dtype=np.float64)
    labels = np.full(values.shape, "neutral", dtype=object)
    labels[values >= NEUTRAL_BAND] = "positive"
    labels[values <= -NEUTRAL_BAND] = "negative"
    return labels
