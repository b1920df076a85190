"""Tokenising, stemming and language guessing for free-text comments.

Pure functions used by the NPS theme engine and sentiment scoring. Text is
normalised before tokenising: Unicode NFKC, case-folded, accents removed
except on letters that are letters of their own in the Nordic and German
alphabets (å ä ö æ ø ü), apostrophes dropped ("don't" → "dont") and every
other non-letter, non-digit character treated as a space.

Stemming uses the Snowball stemmers (``snowballstemmer``); languages are ISO
639-1 codes ("en", "sv", "de"). A language without a stemmer is left unstemmed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from types import MappingProxyType

import snowballstemmer


def _words(text: str) -> frozenset[str]:
    """The whitespace-separated words of ``text``."""
    return frozenset(text.split())


SNOWBALL_ALGORITHMS: Mapping[str, str] = MappingProxyType(
    {
        "en": "english",
        "sv": "swedish",
        "da": "danish",
        "nb": "norwegian",
        "no": "norwegian",
        "de": "german",
        "nl": "dutch",
        "fi": "finnish",
        "fr": "french",
        "es": "spanish",
        "it": "italian",
        "pt": "portuguese",
    }
)
"""ISO 639-1 language code → Snowball algorithm name."""

COMPOUNDING_LANGUAGES = frozenset({"sv", "da", "nb", "no", "de", "nl", "fi"})
"""Languages that glue nouns together ("kvartalsrapporten")."""

STOPWORDS: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        "en": _words("""
            a about above after again against all also am an and any are as at be because
            been before being below between both but by can could did do does doing done
            down during each even ever every few for from further get gets got had has have
            having he her here hers him his how however if in into is it its itself just
            let like lot lots me more most much must my myself no nor not now of off on once
            only or other our ours ourselves out over own quite rather really same she
            should so some still such than that the their theirs them then there these they
            this those through thus to too under until up upon us very was we were what
            when where which while who whom why will with within would yet you your yours
            dont doesnt didnt isnt wasnt arent werent cant couldnt wont wouldnt shouldnt
            hasnt havent hadnt im ive id were youre theyre thats theres its lets
            """),
        "sv": _words("""
            alla allt alltid andra att av bara bli blev blir blivit de dem den denna deras
            dess dessa det detta dig din dina ditt du där då efter eftersom ej eller en er
            era ert ett fast fick fler flera från får för före ganska genom gjorde gör göra
            ha hade han har hela henne hennes hon honom hos hur här i ibland icke igen ingen
            inget inga inom inte jag ju kan kunde kommer man med mej men mer mest mig min
            mina mitt mot mycket måste ni nog nu när någon något några och också om oss på
            redan sedan sig sin sina sitt själv ska skulle som så sådan sådana tar till
            tills under upp ut utan vad var vara varför varit vars vem vi vid vilka vilken
            vilket väl väldigt våra vår vårt än ännu är även åt över
            """),
        # ß is folded to "ss" by normalise_text ("dass", "muss", "ausserdem").
        "de": _words("""
            aber ab alle allem allen aller alles allerdings als also am an andere anderem
            anderen anderer anderes anders auch auf aus ausser ausserdem bei beide beiden
            beim bereits bin bis bisher bist bitte bzw da dabei dadurch dafür dagegen daher
            damals damit danach daneben dann daran darauf daraus darf darin darum darunter
            darüber das dass dasselbe davon davor dazu dein deine deinem deinen deiner dem
            demnach den denen denn dennoch der deren derer des deshalb dessen dich die dies
            diese diesem diesen dieser dieses dir doch dort du durch dürfen eben ebenfalls
            ebenso eher eigentlich ein eine einem einen einer eines einige einigen einiger
            einiges einmal er es etwa etwas euch euer eure eurem euren eurer falls fast für
            ganz gar gegen gewesen hab habe haben halt hat hatte hatten hätte hätten her
            heute hier hin hinter ich ihm ihn ihnen ihr ihre ihrem ihren ihrer ihres im
            immer in indem ins ist ja je jede jedem jeden jeder jedes jedoch jemand jene
            jenem jenen jener jenes jetzt kann kannst kaum kein keine keinem keinen keiner
            keines können könnte könnten mal man manche manchem manchen mancher manches
            mehr mein meine meinem meinen meiner meines mich mir mit muss musste müssen
            müsste nach nachdem natürlich neben nein nicht nichts noch nun nur ob oben oder
            ohne per schon sehr sein seine seinem seinen seiner seines seit selbst sich sie
            sind so sogar solche solchem solchen solcher solches soll sollen sollte sollten
            sondern sonst sowie sowohl statt trotz trotzdem über um und uns unser unsere
            unserem unseren unserer unter usw viel viele vielen vielleicht vom von vor wann
            war waren warum was weder weil weiter welche welchem welchen welcher welches
            wenig wenn wer werde werden wessen wie wieder will wir wird wo wobei wohl wollen
            wollte wollten worden wurde wurden würde würden zu zudem zum zur zwar zwischen
            """),
    }
)
"""Function words per language, used to guess the language and to clean topic vocabularies."""

# Words that say a lot about the language and little about the topic. "i" is
# left out: it is English "I" and Swedish "in".
_LANGUAGE_MARKERS: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        "en": _words("""the and is to of it for that we was with but not are have this very they
            be on you so our my has at as would been were too really great good what when
            just dont cant its"""),
        "sv": _words("""och att det är som en på inte med för jag vi har av till den de om så men
            var kan mycket bra ett eller när nu också hade bara vara ni hos från efter än
            mer inga ingen inget skulle väldigt riktigt tycker får blir"""),
        # "was", "den", "dem", "so" and "man" are left out: they are English or Swedish words too.
        "de": _words("""der die das und ist nicht ein eine einen einem es ich wir sie mit für auf
            von zu im des sehr auch aber noch nur schon wenn wird werden sind haben hat
            war waren kein keine oder bei uns unser unsere immer wie sich leider gut"""),
    }
)
"""Marker words per language for :func:`detect_language`; no word marks two languages."""

# Letters that break a tie between languages with as many marker words.
_LANGUAGE_LETTERS: Mapping[str, str] = MappingProxyType({"sv": "åäö", "de": "äöü"})

_KEPT_ACCENTED = frozenset("åäöæøüß")
_APOSTROPHES = "'’`´"
_TOKEN_RE = re.compile(r"[^\W_]+")


def _accent_folding_table() -> dict[int, str]:
    table: dict[int, str] = {ord(mark): "" for mark in _APOSTROPHES}
    for code in range(0xC0, 0x250):
        char = chr(code)
        if char.lower() in _KEPT_ACCENTED or char in _KEPT_ACCENTED:
            continue
        decomposed = unicodedata.normalize("NFKD", char)
        folded = "".join(c for c in decomposed if not unicodedata.combining(c))
        if folded != char and folded:
            table[code] = folded
    return table


_FOLD_TABLE = _accent_folding_table()
_FOLD_RE = re.compile("[" + re.escape("".join(map(chr, _FOLD_TABLE))) + "]")


def _fold_char(match: re.Match[str]) -> str:
    return _FOLD_TABLE[ord(match.group())]


def normalise_text(text: str) -> str:
    """Case-fold, remove accents (keeping å ä ö æ ø ü) and drop apostrophes.

    Punctuation is kept (tokenising treats it as a separator); an empty string
    gives an empty string.

    >>> normalise_text("Café CRÈME — don't")
    'cafe creme — dont'
    >>> normalise_text("Introduktionen GICK bra!")
    'introduktionen gick bra!'
    >>> normalise_text("")
    ''
    """
    if text.isascii():
        return text.lower().replace("'", "").replace("`", "")
    folded = unicodedata.normalize("NFKC", text).casefold()
    # Most non-ASCII comments only hold letters that are kept (å ä ö): skip the fold then.
    return _FOLD_RE.sub(_fold_char, folded) if _FOLD_RE.search(folded) else folded


def tokenise(text: str) -> list[str]:
    """Split ``text`` into normalised word tokens (letters and digits).

    Hyphens, slashes and other punctuation split words; apostrophes do not.

    >>> tokenise("User-friendly UI, isn't it?")
    ['user', 'friendly', 'ui', 'isnt', 'it']
    >>> tokenise("Rapporterna i appen – 2FA!")
    ['rapporterna', 'i', 'appen', '2fa']
    >>> tokenise("  ")
    []
    """
    return _TOKEN_RE.findall(normalise_text(text))


def split_normalised(text: str) -> list[str]:
    """Word tokens of text already passed through :func:`normalise_text`.

    >>> split_normalised("jättebra, men seg!")
    ['jättebra', 'men', 'seg']
    >>> split_normalised("")
    []
    >>> split_normalised("api:et")
    ['api', 'et']
    """
    return _TOKEN_RE.findall(text)


@lru_cache(maxsize=32)
def _stemmer(language: str) -> snowballstemmer.stemmer | None:
    algorithm = SNOWBALL_ALGORITHMS.get(language)
    return snowballstemmer.stemmer(algorithm) if algorithm else None


@lru_cache(maxsize=1 << 18)
def stem_token(token: str, language: str) -> str:
    """Snowball stem of one normalised token; unstemmed if ``language`` has no stemmer.

    >>> stem_token("onboarded", "en")
    'onboard'
    >>> stem_token("introduktionen", "sv")
    'introduktion'
    >>> stem_token("rapporterna", "xx")
    'rapporterna'
    """
    stemmer = _stemmer(language)
    return stemmer.stemWord(token) if stemmer is not None else token


def stem_tokens(tokens: Iterable[str], language: str) -> list[str]:
    """Stem each token (see :func:`stem_token`); empty input gives ``[]``.

    >>> stem_tokens(["reports", "reporting"], "en")
    ['report', 'report']
    >>> stem_tokens(["uppstarten"], "sv")
    ['uppstart']
    >>> stem_tokens([], "en")
    []
    """
    return [stem_token(token, language) for token in tokens]


def _leaders(scores: Mapping[str, int]) -> list[str]:
    """The languages with the highest score, in :data:`_LANGUAGE_MARKERS` order."""
    best = max(scores.values())
    return [language for language, score in scores.items() if score == best]


def detect_language(tokens: Sequence[str], default: str | None = "en") -> str | None:
    """Guess "en", "sv" or "de" from normalised tokens by counting function words.

    The language whose marker words occur most wins. On a tie, the tied
    language with most tokens holding its own letters wins (å/ä/ö Swedish,
    ä/ö/ü German; Swedish first when both count the same); with none of
    those letters, ``default``. No tokens gives None.

    >>> detect_language(tokens=["the", "support", "is", "great"])
    'en'
    >>> detect_language(["supporten", "är", "bra", "och", "snabb"])
    'sv'
    >>> detect_language(["der", "support", "ist", "sehr", "gut"])
    'de'
    >>> detect_language([]) is None
    True
    """
    if not tokens:
        return None
    marker_hits = {
        language: sum(token in markers for token in tokens) for language, markers in _LANGUAGE_MARKERS.items()
    }
    tied = _leaders(marker_hits)
    if len(tied) == 1:
        return tied[0]
    letter_hits = {
        language: sum(
            any(letter in token for letter in _LANGUAGE_LETTERS.get(language, "")) for token in tokens
        )
        for language in tied
    }
    if not any(letter_hits.values()):
        return default
    return _leaders(letter_hits)[0]


# --------------------------------------------------------------------------
# Keyword matching
# --------------------------------------------------------------------------

_MIN_COMPOUND_PART = 5
# Endings a compound's last part may still carry after stemming
# ("användargränssnittet" = "användar" + "gränssnit" + "tet").
_INFLECTION_TAILS = _words(
    "a e n t s en et er ar or na ns ts es ad at te de tet ten ens ets ers ade are "
    "ast ste erna arna orna ande ende"
) | {""}
_MIN_FUZZY_LENGTH = 9
_NO_HITS: tuple[tuple[str, bool], ...] = ()
_TOKEN_CACHE_SIZE = 1 << 20


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


class KeywordMatcher:
    """Finds labelled keywords in tokenised text of one language.

    Keyword syntax (all matching is on normalised, stemmed tokens):

    - ``word``: any inflection of the word ("onboarded" finds "onboarding").
      In compounding languages (:data:`COMPOUNDING_LANGUAGES`) a keyword of
      5+ letters also matches as the first or last part of a compound
      ("rapport" finds "rapportverktyget" and "kvartalsrapporterna").
      Keywords of 9+ letters also match one typo away ("intergration").
    - ``several words``: a phrase; each word is stemmed, the words must follow
      each other in order.
    - ``pre*`` / ``*suf``: any token (or its stem) starting with "pre" /
      ending with "suf".
    - ``~keyword``: weak; :meth:`find` reports it with ``strong=False`` so the
      caller may ignore it when stronger evidence exists.

    ``excluded`` tokens (normalised, unstemmed; ``pre*`` for a prefix) never
    produce the given label, e.g. ``("reporting", "reported")``. Results are
    memoised per distinct token (up to :data:`_TOKEN_CACHE_SIZE` tokens), so
    matching a large corpus costs about one dictionary look-up per token.
    """

    def __init__(
        self,
        language: str,
        keywords: Iterable[tuple[str, str]],
        excluded: Iterable[tuple[str, str]] = (),
    ) -> None:
        self.language = language
        self._compounding = language in COMPOUNDING_LANGUAGES
        self._exact: dict[str, set[tuple[str, bool]]] = {}
        self._prefix: dict[str, set[tuple[str, bool]]] = {}
        self._suffix: dict[str, set[tuple[str, bool]]] = {}
        self._compound_suffix: dict[str, set[tuple[str, bool]]] = {}
        self._fuzzy: dict[str, set[tuple[str, bool]]] = {}
        self._phrases: dict[str, list[tuple[tuple[str, ...], str, bool]]] = {}
        self._excluded: dict[str, set[str]] = {}
        self._excluded_prefixes: list[tuple[str, str]] = []
        for label, token in excluded:
            word = normalise_text(token).strip()
            if word.endswith("*"):
                self._excluded_prefixes.append((word.rstrip("*"), label))
            else:
                self._excluded.setdefault(word, set()).add(label)
        for label, keyword in keywords:
            self._add(label, keyword)
        self._token_cache: dict[str, tuple[str, tuple[tuple[str, bool], ...], bool]] = {}

    def _add(self, label: str, keyword: str) -> None:
        strong = not keyword.startswith("~")
        text = keyword.lstrip("~").strip()
        prefix = text.endswith("*")
        suffix = text.startswith("*")
        words = tokenise(text)
        if not words:
            raise ValueError(f"keyword {keyword!r} for {label!r} has no letters or digits")
        hit = (label, strong)
        if len(words) > 1:
            stems = tuple(stem_token(word, self.language) for word in words)
            self._phrases.setdefault(stems[0], []).append((stems[1:], label, strong))
            return
        word = words[0]
        if prefix or suffix:
            target = self._prefix if prefix else self._suffix
            target.setdefault(word, set()).add(hit)
            return
        stem = stem_token(word, self.language)
        self._exact.setdefault(stem, set()).add(hit)
        if self._compounding:
            for form in {word, stem}:
                if len(form) >= _MIN_COMPOUND_PART:
                    self._prefix.setdefault(form, set()).add(hit)
                    self._suffix.setdefault(form, set()).add(hit)
                    self._compound_suffix.setdefault(form, set()).add(hit)
        if len(word) >= _MIN_FUZZY_LENGTH:
            for variant in _deletions(word) | {word}:
                self._fuzzy.setdefault(variant, set()).add(hit)

    def _token_info(self, token: str) -> tuple[str, tuple[tuple[str, bool], ...], bool]:
        if len(self._token_cache) >= _TOKEN_CACHE_SIZE:
            self._token_cache.clear()
        info = self._token_cache[token] = self._analyse(token)
        return info

    def _analyse(self, token: str) -> tuple[str, tuple[tuple[str, bool], ...], bool]:
        stem = stem_token(token, self.language)
        hits: set[tuple[str, bool]] = set(self._exact.get(stem, ()))
        if self._prefix or self._suffix:
            for form in {token, stem}:
                for end in range(1, len(form) + 1):
                    found = self._prefix.get(form[:end])
                    if found:
                        hits |= found
                for start in range(len(form)):
                    found = self._suffix.get(form[start:])
                    if found:
                        hits |= found
                if self._compounding:
                    hits |= self._compound_tail_hits(form)
        if not hits and len(token) >= _MIN_FUZZY_LENGTH - 1 and self._fuzzy:
            for variant in _deletions(token) | {token}:
                found = self._fuzzy.get(variant)
                if found:
                    hits |= found
        blocked = self._blocked_labels(token)
        if blocked:
            hits = {hit for hit in hits if hit[0] not in blocked}
        return stem, tuple(sorted(hits)) if hits else _NO_HITS, stem in self._phrases

    def _compound_tail_hits(self, form: str) -> set[tuple[str, bool]]:
        """Keywords ending a compound that still carries an inflection ending."""
        hits: set[tuple[str, bool]] = set()
        for cut in range(1, 5):
            if form[len(form) - cut :] not in _INFLECTION_TAILS:
                continue
            head = form[: len(form) - cut]
            for start in range(1, len(head) - _MIN_COMPOUND_PART + 1):
                found = self._compound_suffix.get(head[start:])
                if found:
                    hits |= found
        return hits

    def find(self, tokens: Sequence[str]) -> dict[str, tuple[int, bool]]:
        """Labels found in ``tokens``: label → (first token position, strong).

        A label found both weakly and strongly is reported as strong, at the
        first position of either. No tokens give ``{}``.
        """
        found: dict[str, tuple[int, bool]] = {}
        cache = self._token_cache
        phrase_starts: list[int] = []
        stems: list[str] = []
        for position, token in enumerate(tokens):
            info = cache.get(token)
            if info is None:
                info = self._token_info(token)
            stem, hits, starts_phrase = info
            stems.append(stem)
            if starts_phrase:
                phrase_starts.append(position)
            for label, strong in hits:
                _record(found, label, position, strong)
        for position in phrase_starts:
            for rest, label, strong in self._phrases[stems[position]]:
                end = position + 1 + len(rest)
                if tuple(stems[position + 1 : end]) == rest and not self._blocks(tokens[position:end], label):
                    _record(found, label, position, strong)
        return found

    def matched_positions(self, tokens: Sequence[str]) -> set[int]:
        """Positions of tokens that are a keyword or part of a matched phrase."""
        positions: set[int] = set()
        stems: list[str] = []
        for position, token in enumerate(tokens):
            info = self._token_cache.get(token) or self._token_info(token)
            stems.append(info[0])
            if info[1]:
                positions.add(position)
        for position, stem in enumerate(stems):
            for rest, _label, _strong in self._phrases.get(stem, ()):
                end = position + 1 + len(rest)
                if tuple(stems[position + 1 : end]) == rest:
                    positions.update(range(position, end))
        return positions

    def _blocked_labels(self, token: str) -> set[str]:
        blocked = set(self._excluded.get(token, ()))
        blocked.update(label for prefix, label in self._excluded_prefixes if token.startswith(prefix))
        return blocked

    def _blocks(self, tokens: Sequence[str], label: str) -> bool:
        return any(label in self._blocked_labels(token) for token in tokens)


def _record(found: dict[str, tuple[int, bool]], label: str, position: int, strong: bool) -> None:
    previous = found.get(label)
    if previous is None:
        found[label] = (position, strong)
    else:
        found[label] = (min(previous[0], position), previous[1] or strong)
