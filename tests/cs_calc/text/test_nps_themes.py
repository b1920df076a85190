from __future__ import annotations

import random
from pathlib import Path

import pandas as pd
import pytest
import yaml

from cs_calc.text.sentiment import score_sentiment
from cs_calc.text.themes import (
    TAGGED_COLUMNS,
    EmergingThemeSettings,
    ThemeTaxonomy,
    flag_score_sentiment_mismatch,
    sentiment_evidence,
    tag_comments,
    taxonomy_from_mapping,
)
from cs_calc.text.topics import discover_emerging_themes

ROOT = Path(__file__).resolve().parents[3]
SHIPPED_THEMES = (
    "onboarding",
    "pricing",
    "support",
    "reporting",
    "integrations",
    "performance",
    "usability",
    "reliability",
    "documentation",
    "account_management",
)


def load_mapping() -> dict:
    return yaml.safe_load((ROOT / "configs" / "nps_themes.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def taxonomy() -> ThemeTaxonomy:
    return taxonomy_from_mapping(load_mapping())


def tag(taxonomy, comments, languages=None, overrides=None) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "response_id": [f"r{i}" for i in range(len(comments))],
            "comment": comments,
            "language": languages if languages is not None else [None] * len(comments),
        }
    )
    return tag_comments(frame, taxonomy, overrides)


# --------------------------------------------------------------------------
# taxonomy
# --------------------------------------------------------------------------


def test_shipped_taxonomy_has_the_documented_themes_and_sections(taxonomy):
    assert taxonomy.theme_ids == SHIPPED_THEMES
    assert taxonomy.languages == ("de", "en", "sv")
    for theme in taxonomy.themes:
        assert theme.label("en") and theme.label("sv")
        assert theme.keywords_for("en") and theme.keywords_for("sv"), theme.group_id
    assert {area.group_id for area in taxonomy.product_areas} == {
        "dashboards",
        "api",
        "mobile_app",
        "reports",
        "integrations",
        "billing",
        "admin_permissions",
    }
    assert dict(taxonomy.feature_request_phrases).keys() == {"en", "sv", "de"}
    assert taxonomy.emerging == EmergingThemeSettings(1.5, 5, 20, 0.1)


def test_unknown_key_is_an_error_naming_the_key():
    mapping = load_mapping()
    mapping["themes"]["pricing"]["keyword"] = mapping["themes"]["pricing"].pop("keywords")
    with pytest.raises(ValueError) as error:
        taxonomy_from_mapping(mapping)
    assert str(error.value) == (
        "invalid NPS theme taxonomy:\n"
        "themes.pricing: unknown key 'keyword' (allowed: label, keywords, exclude); "
        "did you mean 'keywords'?\n"
        "themes.pricing.keywords: needs a keyword list for one language"
    )


def test_every_problem_is_reported_at_once():
    mapping = {
        "themes": {"Bad Id": {"keywords": {"xx": ["a"]}}},
        "colour": "blue",
        "emerging_themes": {"min_size": 2.5, "min_growth": 2},
    }
    with pytest.raises(ValueError) as error:
        taxonomy_from_mapping(mapping)
    lines = str(error.value).splitlines()[1:]
    assert lines == [
        "nps_themes: unknown key 'colour' (allowed: themes, product_areas, "
        "feature_request_phrases, emerging_themes)",
        "themes: id 'Bad Id' must be lower-case letters, digits and '_'",
        "themes.Bad Id.keywords: unknown key 'xx' (a language code; allowed: "
        "da, de, en, es, fi, fr, it, nb, nl, no, pt, sv)",
        "themes.Bad Id.keywords: needs a keyword list for one language",
        "emerging_themes.min_size: 2.5 must be a whole number",
        "emerging_themes: unknown key 'min_growth' (allowed: min_growth_ratio, min_size, "
        "min_comments, min_topic_weight); did you mean 'min_growth_ratio'?",
    ]


def test_minimal_taxonomy_uses_defaults():
    taxonomy = taxonomy_from_mapping({"themes": {"pricing": {"keywords": {"en": ["price"]}}}})
    assert taxonomy.theme_ids == ("pricing",)
    assert taxonomy.themes[0].label("sv") == "pricing"
    assert taxonomy.product_areas == ()
    assert taxonomy.emerging == EmergingThemeSettings()


# --------------------------------------------------------------------------
# tag_comments
# --------------------------------------------------------------------------


def test_onboarding_in_any_inflection_and_in_swedish(taxonomy):
    comments = [
        "Onboarding was smooth",
        "We got onboarded in a week",
        "Introduktionen var bra",
        "Bra introduktion av systemet",
        "Uppstarten tog för lång tid",
    ]
    tagged = tag(taxonomy, comments, ["en", "en", "sv", "sv", "sv"])
    assert tagged["themes"].tolist() == [("onboarding",)] * 5


def test_output_shape_order_and_index(taxonomy):
    frame = pd.DataFrame(
        {
            "response_id": ["b", "a", "c"],
            "comment": ["Great support", None, "Priset är alldeles för dyrt"],
            "language": ["en", "en", "sv"],
        },
        index=[10, 5, 7],
    )
    tagged = tag_comments(frame, taxonomy)
    assert tuple(tagged.columns) == TAGGED_COLUMNS
    assert tagged.index.tolist() == [10, 5, 7]
    assert tagged["response_id"].tolist() == ["b", "a", "c"]
    assert tagged["themes"].tolist() == [("support",), (), ("pricing",)]
    assert tagged["sentiment_label"].tolist() == ["positive", "neutral", "negative"]
    assert tagged["overridden"].tolist() == [False, False, False]


def test_several_themes_are_sorted_ids(taxonomy):
    tagged = tag(
        taxonomy,
        [
            "Support is quick to answer but the product itself is painfully slow",
            "Lättanvänt och prisvärt",
            "Salesforce sync broke and we lost data",
        ],
        ["en", "sv", "en"],
    )
    assert tagged["themes"].tolist() == [
        ("performance", "support"),
        ("pricing", "usability"),
        ("integrations", "reliability"),
    ]


def test_weak_keywords_only_count_alone(taxonomy):
    tagged = tag(taxonomy, ["Super fast!", "Support is fast", "Supporten är snabb"])
    assert tagged["themes"].tolist() == [("performance",), ("support",), ("support",)]


def test_empty_and_missing_comments_get_nothing(taxonomy):
    tagged = tag(taxonomy, [None, "", "   ", float("nan")], [None, "sv", None, "en"])
    assert tagged["themes"].tolist() == [(), (), (), ()]
    assert tagged["sentiment"].tolist() == [0.0, 0.0, 0.0, 0.0]
    assert tagged["sentiment_label"].tolist() == ["neutral"] * 4
    assert tagged["product_area"].isna().all()
    assert not tagged["is_feature_request"].any()
    assert tagged["language"].isna().tolist() == [True, False, True, False]


def test_missing_language_is_detected(taxonomy):
    tagged = tag(taxonomy, ["Supporten är snabb och trevlig", "The support is friendly"])
    assert tagged["language"].tolist() == ["sv", "en"]
    assert tagged["themes"].tolist() == [("support",), ("support",)]


def test_language_codes_are_normalised_and_unknown_ones_get_no_themes(taxonomy):
    tagged = tag(taxonomy, ["Great support", "Très bon support"], ["EN-gb", "fr"])
    assert tagged["language"].tolist() == ["en", "fr"]
    assert tagged["themes"].tolist() == [("support",), ()]


def test_product_area_is_the_first_named(taxonomy):
    tagged = tag(
        taxonomy,
        [
            "The mobile app crashes when I open a report",
            "Please add a webhook for invoices",
            "Fakturan var fel",
            "Great people",
        ],
        ["en", "en", "sv", "en"],
    )
    assert tagged["product_area"].tolist()[:3] == ["mobile_app", "api", "billing"]
    assert pd.isna(tagged["product_area"].iloc[3])


def test_feature_requests(taxonomy):
    tagged = tag(
        taxonomy,
        [
            "Would be great if we could export to PowerPoint",
            "Please add dark mode",
            "I wish it had a Gantt view",
            "Missing an audit log",
            "Önskar en kalendervy",
            "Det skulle vara bra om rapporterna gick att schemalägga",
            "Saknar export till Excel",
            "Great product, nothing to add",
            "Allt fungerar",
        ],
    )
    assert tagged["is_feature_request"].tolist() == [True] * 7 + [False] * 2


def test_overrides_win_and_are_flagged(taxonomy):
    tagged = tag(
        taxonomy,
        ["The price is too high", "Support is great", "Nothing"],
        ["en", "en", "en"],
        overrides={"r0": ["account_management", "pricing"], "r2": "reliability", "zz": []},
    )
    assert tagged["themes"].tolist() == [
        ("account_management", "pricing"),
        ("support",),
        ("reliability",),
    ]
    assert tagged["overridden"].tolist() == [True, False, True]


def test_override_to_no_theme(taxonomy):
    tagged = tag(taxonomy, ["The price is too high"], ["en"], overrides={"r0": []})
    assert tagged["themes"].tolist() == [()]
    assert tagged["overridden"].tolist() == [True]


def test_override_with_unknown_theme_is_an_error(taxonomy):
    with pytest.raises(ValueError) as error:
        tag(taxonomy, ["x"], overrides={"r0": ["pricng"]})
    assert str(error.value) == (
        "overrides, response 'r0': theme 'pricng' is not in the taxonomy (themes: "
        + ", ".join(SHIPPED_THEMES)
        + "); did you mean 'pricing'?"
    )


def test_missing_column_is_an_error(taxonomy):
    with pytest.raises(ValueError, match="column 'comment' is not found"):
        tag_comments(pd.DataFrame({"response_id": ["a"], "text": ["x"]}), taxonomy)


def test_empty_input_gives_empty_output(taxonomy):
    empty = pd.DataFrame({"response_id": [], "comment": [], "language": []})
    tagged = tag_comments(empty, taxonomy)
    assert tagged.empty
    assert tuple(tagged.columns) == TAGGED_COLUMNS


def test_language_column_is_optional(taxonomy):
    frame = pd.DataFrame({"response_id": ["a"], "comment": ["Kundtjänst svarar aldrig"]})
    tagged = tag_comments(frame, taxonomy)
    assert tagged["language"].tolist() == ["sv"]
    assert tagged["themes"].tolist() == [("support",)]
    assert tagged["sentiment"].iloc[0] < 0


# --------------------------------------------------------------------------
# German
# --------------------------------------------------------------------------


def test_every_theme_area_and_phrase_list_has_german(taxonomy):
    for group in taxonomy.themes + taxonomy.product_areas:
        assert dict(group.labels).get("de"), group.group_id
        assert group.keywords_for("de"), group.group_id
    assert dict(taxonomy.feature_request_phrases)["de"]
    assert taxonomy.themes[2].label("de") == "Support"
    assert taxonomy.themes[6].label("de") == "Bedienbarkeit"


def test_every_churn_reason_has_a_german_label():
    reasons = yaml.safe_load((ROOT / "configs" / "churn_reasons.yaml").read_text(encoding="utf-8"))["reasons"]
    for code, reason in reasons.items():
        assert reason["label"].get("de"), code
    assert reasons["competitor"]["label"]["de"] == "Wechsel zu einem Wettbewerber"


@pytest.mark.parametrize(
    ("comment", "themes"),
    [
        ("Der Support ist super schnell und sehr hilfsbereit", ("support",)),  # "schnell" is weak
        ("Die Supportmitarbeiter antworten erst nach Tagen auf unsere Tickets", ("support",)),
        ("Viel zu teuer für das, was geboten wird", ("pricing",)),
        ("Die Preiserhöhung im letzten Jahr war nicht nachvollziehbar", ("pricing",)),
        ("Das Onboarding war hervorragend, die Schulungen sehr hilfreich", ("onboarding",)),
        ("Die Einrichtung hat viel zu lange gedauert", ("onboarding",)),
        ("Die Ladezeiten der Berichte sind eine Katastrophe", ("performance", "reporting")),
        ("Das System ist extrem langsam und hängt sich ständig auf", ("performance",)),
        ("Die Quartalsberichte lassen sich nicht nach Excel exportieren", ("reporting",)),
        ("Die Anbindung an Salesforce funktioniert nicht zuverlässig", ("integrations",)),
        ("Die Benutzeroberfläche ist intuitiv und übersichtlich", ("usability",)),
        ("Seit dem letzten Update stürzt die App ständig ab", ("reliability",)),
        ("Wir hatten drei Ausfälle in diesem Monat", ("reliability",)),
        ("Die Dokumentation ist lückenhaft und veraltet", ("documentation",)),
        ("Unsere Kundenbetreuerin meldet sich regelmäßig", ("account_management",)),
        ("Die Daten fehlen im Dashboard", ("reporting",)),  # "fehlen" is not "Fehler"
        ("Wir können nur Gutes berichten", ()),  # the verb "berichten" is no report
        ("Alles gut, keine Beschwerden", ()),
    ],
)
def test_german_comments_get_their_themes(taxonomy, comment, themes):
    tagged = tag(taxonomy, [comment])
    assert tagged["language"].tolist() == ["de"]
    assert tagged["themes"].tolist() == [themes]


def test_german_product_areas_feature_requests_and_sentiment(taxonomy):
    tagged = tag(
        taxonomy,
        [
            "Es wäre schön, wenn es eine Schnittstelle zu SAP gäbe",
            "Uns fehlt eine Funktion für wiederkehrende Aufgaben",
            "Wir wünschen uns einen Dark Mode",
            "Die Rechnungen sind korrekt, aber die Berechnung der Lizenzen ist unklar",
            "Die mobile App ist kaum zu gebrauchen",
            "Das war schon gut so",  # "war" shares the stem of "wäre": no request
            "Die Berechnung der Lizenzen ist unklar",  # calculation, not billing
        ],
        ["de"] * 7,
    )
    assert tagged["is_feature_request"].tolist() == [True, True, True, False, False, False, False]
    assert tagged["product_area"].fillna("-").tolist() == [
        "integrations",
        "-",
        "-",
        "billing",
        "mobile_app",
        "-",
        "-",
    ]
    assert tagged["themes"].iloc[2] == ("usability",)
    assert tagged["sentiment_label"].tolist() == [
        "positive",
        "negative",
        "neutral",
        "negative",
        "negative",
        "positive",
        "negative",
    ]


# --------------------------------------------------------------------------
# the labelled set
# --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def labelled(taxonomy) -> tuple[pd.DataFrame, pd.DataFrame]:
    frame = pd.read_csv(ROOT / "tests" / "data" / "nps_labelled.csv", dtype=str, keep_default_na=False)
    return frame, tag_comments(frame[["response_id", "language", "comment"]], taxonomy)


def _scores(gold: list[set[str]], predicted: list[set[str]], theme: str) -> tuple[float, ...]:
    pairs = list(zip(gold, predicted, strict=True))
    true_pos = sum(theme in g and theme in p for g, p in pairs)
    false_pos = sum(theme not in g and theme in p for g, p in pairs)
    false_neg = sum(theme in g and theme not in p for g, p in pairs)
    precision = true_pos / (true_pos + false_pos) if true_pos + false_pos else 0.0
    recall = true_pos / (true_pos + false_neg) if true_pos + false_neg else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def test_labelled_set_is_big_and_varied_enough(labelled):
    frame, _ = labelled
    gold = frame["themes"].map(lambda s: set(filter(None, s.split(";"))))
    assert len(frame) >= 240
    assert (frame["language"] == "sv").sum() >= 80
    assert (gold.map(len) == 0).sum() >= 30
    assert (gold.map(len) >= 2).sum() >= 20
    for theme in SHIPPED_THEMES:
        assert sum(theme in g for g in gold) >= 15, theme
    assert set().union(*gold) == set(SHIPPED_THEMES)
    assert frame["response_id"].is_unique


def test_theme_precision_recall_f1_on_the_labelled_set(labelled):
    frame, tagged = labelled
    gold = frame["themes"].map(lambda s: set(filter(None, s.split(";")))).tolist()
    predicted = tagged["themes"].map(set).tolist()
    f1_by_theme = {theme: _scores(gold, predicted, theme)[2] for theme in SHIPPED_THEMES}
    macro_f1 = sum(f1_by_theme.values()) / len(f1_by_theme)
    assert macro_f1 >= 0.80, f1_by_theme
    assert min(f1_by_theme.values()) >= 0.6, f1_by_theme


def test_comments_without_a_theme_mostly_stay_untagged(labelled):
    frame, tagged = labelled
    none = frame["themes"] == ""
    untagged = tagged.loc[none, "themes"].map(len) == 0
    assert untagged.mean() >= 0.85


def test_feature_request_detection_on_the_labelled_set(labelled):
    frame, tagged = labelled
    expected = frame["is_feature_request"].astype(int).astype(bool)
    accuracy = (tagged["is_feature_request"] == expected).mean()
    recall = tagged.loc[expected, "is_feature_request"].mean()
    assert accuracy >= 0.95
    assert recall >= 0.9


# --------------------------------------------------------------------------
# score vs sentiment mismatches
# --------------------------------------------------------------------------


def test_flag_score_sentiment_mismatch():
    scores = pd.Series([10, 9, 3, 6, 0, 8, 7, None, 10], index=list("abcdefghi"))
    sentiment = pd.Series([-0.7, 0.2, 0.8, 0.69, 0.7, -0.9, 0.9, -0.9, -0.5], index=list("abcdefghi"))
    flags = flag_score_sentiment_mismatch(scores, sentiment)
    assert flags.index.tolist() == list("abcdefghi")
    # promoter + clearly negative (<= -0.7), detractor + clearly positive (>= 0.7);
    # a mildly negative promoter (i), passives and NAs never
    assert flags.tolist() == [True, False, True, False, True, False, False, False, False]
    assert flag_score_sentiment_mismatch(pd.Series([], dtype=float), pd.Series([], dtype=float)).empty


@pytest.mark.parametrize(
    ("score", "comment", "language", "flagged", "evidence"),
    [
        # clearly against the score: flagged, and the clause that says so is the evidence
        (
            10,
            "Renewal is coming up. The ERP sync fails every week, terrible",
            "en",
            True,
            "The ERP sync fails every week, terrible",
        ),
        (
            10,
            "Nice people. The app crashes daily, we lost data twice, awful and frustrating",
            "en",
            True,
            "The app crashes daily, we lost data twice, awful and frustrating",
        ),
        (
            9,
            "We were on hold for two hours and nobody answered. Awful.",
            "en",
            True,
            "We were on hold for two hours and nobody answered",
        ),
        (2, "Great support, love it", "en", True, "Great support, love it"),
        (
            10,
            "Supporten är usel och appen kraschar hela tiden",
            "sv",
            True,
            "Supporten är usel och appen kraschar hela tiden",
        ),
        (
            10,
            "Der Support ist schrecklich und die App stürzt ständig ab",
            "de",
            True,
            "Der Support ist schrecklich und die App stürzt ständig ab",
        ),
        # mixed: a clause pulls the other way as well, so the score may well be right
        (
            10,
            "Our CSM is fantastic. The app crashes daily, we lost data twice, awful and frustrating",
            "en",
            False,
            None,
        ),
        (1, "Great support, love it. Terrible pricing though", "en", False, None),
        # only mildly against the score
        (10, "Love the product, but support never answers", "en", False, None),
        # agreeing or passive: never
        (10, "Great support, love it", "en", False, None),
        (8, "Terrible support, nobody answers and I hate it", "en", False, None),
    ],
)
def test_mismatch_flags_need_strong_evidence_and_name_it(score, comment, language, flagged, evidence):
    sentiment = score_sentiment([comment], [language])
    flags = flag_score_sentiment_mismatch(
        pd.Series([score]), pd.Series(sentiment), pd.Series([comment]), pd.Series([language])
    )
    assert flags.tolist() == [flagged]
    phrase, contrary = sentiment_evidence(comment, language, float(sentiment[0]))
    if flagged:
        assert (phrase, contrary) == (evidence, False)
    elif abs(sentiment[0]) >= 0.7 and score != 8 and (score >= 9) == (sentiment[0] < 0):
        assert contrary  # strong enough, but mixed


def test_flag_mismatch_thresholds_are_adjustable():
    flags = flag_score_sentiment_mismatch(
        pd.Series([10, 2]), pd.Series([-0.1, 0.3]), negative_at_most=-0.2, positive_at_least=0.25
    )
    assert flags.tolist() == [False, True]


# --------------------------------------------------------------------------
# emerging themes
# --------------------------------------------------------------------------

_SUBJECTS = [
    "The onboarding",
    "Support",
    "The pricing",
    "The weekly reports",
    "The mobile app",
    "Our account manager",
    "The Salesforce integration",
    "The documentation",
    "The new calendar view",
    "Bulk editing",
    "The task templates",
    "Email notifications",
    "The Gantt chart",
    "Time tracking",
    "Guest access for clients",
]
_OPINIONS = [
    "is great",
    "could be better",
    "saves our team hours every week",
    "is confusing for new colleagues",
    "works well for us",
    "needs more options",
    "is the reason we renewed",
    "feels a bit dated",
    "is what our managers use most",
    "has improved a lot this year",
]
_SSO_COMMENTS = [
    "SSO login with Okta keeps failing for half our users",
    "Our users can't log in through SSO since Tuesday",
    "Please support SAML SSO login with Azure AD",
    "The SSO login redirect loops back to the sign in page",
    "SSO login times out when people use Okta",
    "Inloggning via SSO fungerar inte med Azure AD",
    "We need SSO login enforced for all users",
    "SSO login broke after your update, users are locked out",
    "Half the company cannot use SSO login on mobile",
    "SSO login via Google stopped working yesterday",
]


def _background(rng: random.Random, count: int) -> list[str]:
    return [f"{rng.choice(_SUBJECTS)} {rng.choice(_OPINIONS)}" for _ in range(count)]


@pytest.fixture(scope="module")
def sso_periods() -> tuple[pd.Series, pd.Series]:
    rng = random.Random(42)
    previous = pd.Series(_background(rng, 120))
    current = pd.Series(_background(rng, 100) + _SSO_COMMENTS + _SSO_COMMENTS[:6])
    return current, previous


def test_a_new_topic_is_found_and_flagged_growing(taxonomy, sso_periods):
    current, previous = sso_periods
    themes = discover_emerging_themes(current, previous, taxonomy=taxonomy)
    sso = [theme for theme in themes if any("sso" in term.split() for term in theme.top_terms)]
    assert sso, [theme.label for theme in themes]
    top = sso[0]
    assert themes[0] == top  # new topics come first
    assert top.new and not top.growing  # absent before: new, not "growing"
    assert top.size_previous == 0 and top.share_previous == 0.0
    assert top.size_current >= 12  # of the 16 SSO comments
    assert top.share_current == pytest.approx(top.size_current / 116)
    assert len(top.examples) == 3
    assert all(example in _SSO_COMMENTS for example in top.examples)
    # named by a phrase its comments use, not by its terms
    assert top.label in " ".join(top.examples[0].split())
    assert 2 <= len(top.label.split()) <= 6


def test_established_topics_are_not_growing(taxonomy, sso_periods):
    current, previous = sso_periods
    themes = discover_emerging_themes(current, previous, taxonomy=taxonomy)
    others = [theme for theme in themes if not any("sso" in t for t in theme.top_terms)]
    assert others
    assert not any(theme.growing or theme.new for theme in others)
    assert all(theme.size_previous > 0 for theme in others)


def test_taxonomy_words_and_stopwords_never_make_a_topic(taxonomy, sso_periods):
    current, previous = sso_periods
    terms = {
        word
        for theme in discover_emerging_themes(current, previous, taxonomy=taxonomy)
        for term in theme.top_terms
        for word in term.split()
    }
    # "onboarding", "pricing", "support", "reports", "integration", "documentation",
    # "account manager", "confusing" are taxonomy keywords; "the", "is", "for" stopwords
    assert terms.isdisjoint(
        {
            "onboarding",
            "pricing",
            "support",
            "reports",
            "integration",
            "documentation",
            "account",
            "manager",
            "confusing",
            "the",
            "is",
            "for",
            "our",
        }
    )


def test_emerging_themes_are_deterministic(taxonomy, sso_periods):
    current, previous = sso_periods
    first = discover_emerging_themes(current, previous, taxonomy=taxonomy, random_state=3)
    again = discover_emerging_themes(current, previous, taxonomy=taxonomy, random_state=3)
    assert first == again


def test_too_few_comments_give_no_topics(taxonomy):
    current = pd.Series(["SSO login fails", "SSO login broken", None, ""] * 4)
    assert discover_emerging_themes(current, pd.Series([], dtype=object), taxonomy=taxonomy) == []


def test_only_named_words_give_no_topics(taxonomy):
    current = pd.Series(["Great support", "The pricing is expensive", "Slow reports"] * 10)
    assert discover_emerging_themes(current, current, taxonomy=taxonomy) == []


def test_shipped_overrides_file_is_empty_and_its_example_works(taxonomy):
    text = (ROOT / "configs" / "nps_overrides.yaml").read_text(encoding="utf-8")
    assert yaml.safe_load(text) == {"overrides": {}}
    # the commented example, uncommented, is a valid corrections file
    example = text.split("# Example:\n", 1)[1].split("\n\n", 1)[0]
    mapping = yaml.safe_load("\n".join(line[2:] for line in example.splitlines()))
    frame = pd.DataFrame({"response_id": ["R-2024-0117", "R-2024-0342"], "comment": ["Pricey", "Price"]})
    tagged = tag_comments(frame, taxonomy, mapping["overrides"])
    assert tagged["themes"].tolist() == [("account_management", "pricing"), ()]
    assert tagged["overridden"].all()
