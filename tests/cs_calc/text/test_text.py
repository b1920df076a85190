from __future__ import annotations

import pytest

from cs_calc.text.tokens import (
    _LANGUAGE_MARKERS,
    STOPWORDS,
    KeywordMatcher,
    detect_language,
    normalise_text,
    split_normalised,
    stem_token,
    stem_tokens,
    tokenise,
)


def test_normalise_folds_case_and_accents_but_keeps_nordic_letters():
    assert normalise_text("Café CRÈME naïve") == "cafe creme naive"
    assert normalise_text("ÅÄÖ åäö Æ Ø Ü") == "åäö åäö æ ø ü"
    assert normalise_text("Don't — it’s fine") == "dont — its fine"
    assert normalise_text("Ｆｕｌｌ") == "full"  # NFKC: full-width letters
    assert normalise_text("") == ""


def test_tokenise_splits_on_punctuation_and_keeps_digits():
    assert tokenise("User-friendly UI, isn't it? 2FA/SSO!") == [
        "user",
        "friendly",
        "ui",
        "isnt",
        "it",
        "2fa",
        "sso",
    ]
    assert tokenise("API:et och rapporterna") == ["api", "et", "och", "rapporterna"]
    assert tokenise(" \n\t") == []
    assert split_normalised("jättebra, men seg") == ["jättebra", "men", "seg"]


@pytest.mark.parametrize(
    ("word", "language", "stem"),
    [
        ("onboarding", "en", "onboard"),
        ("onboarded", "en", "onboard"),
        ("reports", "en", "report"),
        ("introduktionen", "sv", "introduktion"),
        ("introduktion", "sv", "introduktion"),
        ("uppstarten", "sv", "uppstart"),
        ("rapporterna", "sv", "rapport"),
        ("rapporterna", "xx", "rapporterna"),  # no stemmer: unchanged
        ("ladezeiten", "de", "ladezeit"),
        ("supportmitarbeiter", "de", "supportmitarbeit"),
        ("ausfälle", "de", "ausfall"),  # the German stemmer drops umlauts
        ("zuverlässige", "de", "zuverlass"),
        ("empfehlen", "de", "empfehl"),
        ("rechnungen", "de", "rechnung"),
    ],
)
def test_stem_token(word, language, stem):
    assert stem_token(word, language) == stem


def test_stem_tokens_empty():
    assert stem_tokens([], "en") == []


def test_detect_language_counts_function_words():
    assert detect_language(tokenise("The support team is great and fast")) == "en"
    assert detect_language(tokenise("Supporten är bra och snabb, men priset är högt")) == "sv"
    # no marker words at all: å/ä/ö decide, else the default
    assert detect_language(tokenise("Prishöjningen")) == "sv"
    assert detect_language(tokenise("Dashboards")) == "en"
    assert detect_language(tokenise("Dashboards"), default=None) is None
    assert detect_language([]) is None


@pytest.mark.parametrize(
    "text",
    [
        "Der Support ist sehr gut und schnell",
        "Die Ladezeiten sind leider viel zu lang",
        "Wir sind mit dem Produkt nicht zufrieden",
        "Das Onboarding war super, aber die Berichte sind kompliziert",
        "Keine Probleme bei der Einführung",
        "Es fehlt eine Schnittstelle zu SAP",
    ],
)
def test_detect_language_finds_german(text):
    assert detect_language(tokenise(text)) == "de"


def test_detect_language_keeps_english_and_swedish_with_german_markers():
    assert detect_language(tokenise("Support was great but the reports are slow")) == "en"
    assert detect_language(tokenise("Vi har inga problem med dem")) == "sv"  # "dem" is Swedish too
    assert detect_language(tokenise("Rapporterna är bra men lite sega")) == "sv"
    # a tie without marker words: ü is German, ä/ö alone stay Swedish
    assert detect_language(tokenise("Übersicht")) == "de"
    assert detect_language(tokenise("Prishöjningen")) == "sv"


def test_marker_words_mark_one_language_each():
    languages = list(_LANGUAGE_MARKERS)
    for index, first in enumerate(languages):
        for second in languages[index + 1 :]:
            assert not _LANGUAGE_MARKERS[first] & _LANGUAGE_MARKERS[second], (first, second)


def test_german_stopwords_are_normalised_function_words():
    german = STOPWORDS["de"]
    assert len(german) >= 200
    assert {"der", "die", "das", "und", "nicht", "dass", "muss", "über", "für", "würde"} <= german
    assert all(normalise_text(word) == word for word in german)  # "dass", never "daß"
    assert not german & {"gut", "schlecht", "support", "preis", "bericht"}
    assert [token for token in tokenise("Daß der Preis zu hoch ist") if token not in german] == [
        "preis",
        "hoch",
    ]


def _matcher(language, keywords, excluded=()):
    return KeywordMatcher(language, [(label, word) for label, word in keywords], excluded)


def test_keywords_match_any_inflection():
    matcher = _matcher("en", [("onboarding", "onboarding")])
    for text in ("We got onboarded fast", "Onboarding was smooth", "they onboard new users"):
        assert "onboarding" in matcher.find(tokenise(text)), text
    assert matcher.find(tokenise("Boarding the plane")) == {}


def test_phrases_need_their_words_in_order():
    matcher = _matcher("en", [("usability", "easy to use"), ("onboarding", "set up")])
    assert matcher.find(tokenise("Really easy to use")) == {"usability": (1, True)}
    assert matcher.find(tokenise("Use it, it is easy")) == {}
    # each phrase word is stemmed: "setting up" is "set up"
    assert matcher.find(tokenise("Setting up took a day")) == {"onboarding": (0, True)}


def test_swedish_compounds_match_on_either_end():
    matcher = _matcher(
        "sv",
        [("reporting", "rapport"), ("usability", "gränssnitt"), ("support", "support")],
    )
    found = matcher.find(tokenise("Kvartalsrapporterna och rapportverktyget"))
    assert found == {"reporting": (0, True)}
    assert "usability" in matcher.find(tokenise("Användargränssnittet är rörigt"))
    assert "support" in matcher.find(tokenise("Kundsupporten svarar"))
    # English does not glue words: no compound matching there
    english = _matcher("en", [("reporting", "report")])
    assert english.find(tokenise("The sportreporting")) == {}


def test_wildcards_match_starts_and_ends():
    matcher = _matcher("sv", [("pricing", "pris*"), ("mobile", "*app")])
    assert "pricing" in matcher.find(tokenise("Prishöjningen kom plötsligt"))
    assert "mobile" in matcher.find(tokenise("Mobilappen"))
    # "*app" must end the word, not sit inside it
    assert "mobile" not in matcher.find(tokenise("kvartalsrapporterna"))


def test_weak_keywords_are_reported_as_not_strong():
    matcher = _matcher("en", [("performance", "~fast"), ("performance", "slow")])
    assert matcher.find(tokenise("super fast")) == {"performance": (1, False)}
    assert matcher.find(tokenise("fast here, slow there")) == {"performance": (0, True)}


def test_excluded_words_do_not_match():
    matcher = _matcher("en", [("reporting", "report")], excluded=[("reporting", "reported")])
    assert matcher.find(tokenise("We reported a bug")) == {}
    assert "reporting" in matcher.find(tokenise("The reports are great"))
    prefixed = _matcher("sv", [("int", "koppling")], excluded=[("int", "återkoppl*")])
    assert prefixed.find(tokenise("Ingen återkoppling")) == {}
    assert "int" in prefixed.find(tokenise("Kopplingen till Fortnox"))


def test_long_keywords_tolerate_one_typo_short_ones_do_not():
    matcher = _matcher("en", [("integrations", "integration"), ("support", "support")])
    assert "integrations" in matcher.find(tokenise("intergration with our ERP"))
    assert "integrations" in matcher.find(tokenise("integartion"))  # swapped letters
    assert matcher.find(tokenise("suport")) == {}  # 7-letter keyword: exact only


def test_matched_positions_cover_phrases():
    matcher = _matcher("en", [("usability", "easy to use"), ("support", "support")])
    tokens = tokenise("Support is easy to use today")
    assert matcher.matched_positions(tokens) == {0, 2, 3, 4}
    assert matcher.find([]) == {}


def test_keyword_without_letters_is_rejected():
    with pytest.raises(ValueError, match="has no letters or digits"):
        _matcher("en", [("x", "--")])
