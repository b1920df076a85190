"""Phrases the sample-data generator builds NPS comments and churn notes from.

Written the way customers write: each theme has praise and complaints in
English and Swedish, so the theme engine and the digests have real text to
work on.
"""

from __future__ import annotations

THEME_PHRASES: dict[str, dict[str, tuple[tuple[str, ...], tuple[str, ...]]]] = {
    # theme: {language: (positive phrases, negative phrases)}
    "onboarding": {
        "en": (
            (
                "Onboarding was smooth and the team was up and running in two weeks.",
                "We got onboarded quickly thanks to a great implementation plan.",
                "The kickoff and setup sessions were really well organised.",
            ),
            (
                "Onboarding took far too long and nobody owned the setup.",
                "We were onboarded by three different people and lost a month.",
                "The implementation dragged on and our team never got proper training.",
            ),
        ),
        "sv": (
            (
                "Introduktionen var smidig och vi kom igång snabbt.",
                "Bra uppstart, utbildningen för teamet var mycket uppskattad.",
            ),
            (
                "Uppstarten tog alldeles för lång tid och ingen ägde implementeringen.",
                "Introduktionen var rörig och vi fick ingen ordentlig utbildning.",
            ),
        ),
    },
    "pricing": {
        "en": (
            ("Fair price for what we get.", "Good value for money compared to alternatives."),
            (
                "The price went up again at renewal and it is hard to justify the cost.",
                "Too expensive for a team our size; the per-seat pricing hurts.",
                "The licence cost keeps climbing while the value stays flat.",
            ),
        ),
        "sv": (
            ("Rimligt pris för det vi får.", "Prisvärt jämfört med alternativen."),
            (
                "Priset höjdes igen vid förnyelsen och kostnaden är svår att motivera.",
                "Alldeles för dyrt för ett litet team, licenskostnaden är för hög.",
            ),
        ),
    },
    "support": {
        "en": (
            (
                "Support is fast and actually solves the problem.",
                "The support team answered within the hour and followed up.",
                "Great support, our tickets get resolved quickly.",
            ),
            (
                "Support takes days to answer a simple ticket.",
                "We waited a week for support to respond to a P1 issue.",
                "The support agents keep asking for the same logs again.",
            ),
        ),
        "sv": (
            ("Supporten är snabb och hjälpsam.", "Kundtjänsten svarade samma dag och löste problemet."),
            (
                "Supporten tar flera dagar på sig att svara på ett enkelt ärende.",
                "Vi väntade en vecka på svar från supporten.",
            ),
        ),
    },
    "reporting": {
        "en": (
            (
                "The dashboards and reports give our managers exactly what they need.",
                "Love the new reporting, the weekly report saves us hours.",
            ),
            (
                "Reporting is too limited, we still export to Excel to build our own reports.",
                "The dashboards are missing the KPIs our board asks for.",
                "Custom reports are hard to build and the export breaks.",
            ),
        ),
        "sv": (
            ("Rapporterna och dashboarden ger cheferna precis det de behöver.",),
            (
                "Rapporteringen är för begränsad, vi exporterar fortfarande till Excel.",
                "Dashboarden saknar de nyckeltal som ledningen frågar efter.",
            ),
        ),
    },
    "integrations": {
        "en": (
            (
                "The Salesforce integration works flawlessly.",
                "Integrations with our CRM and Slack were easy to set up.",
            ),
            (
                "The HubSpot integration keeps failing to sync contacts.",
                "We need a proper API; the integration with our ERP is unreliable.",
                "Syncing with Salesforce breaks every few weeks.",
            ),
        ),
        "sv": (
            ("Integrationen med vårt CRM fungerar felfritt.",),
            (
                "Integrationen mot vårt affärssystem slutar synka hela tiden.",
                "Vi behöver ett bättre API, kopplingen till Salesforce krånglar.",
            ),
        ),
    },
    "performance": {
        "en": (
            ("The app is fast even with our large data volumes.",),
            (
                "The app is painfully slow when loading large accounts.",
                "Pages take forever to load in the afternoon, performance has degraded.",
                "Search is slow and the dashboard times out.",
            ),
        ),
        "sv": (
            ("Systemet är snabbt även med stora datamängder.",),
            (
                "Systemet är väldigt långsamt när vi laddar stora konton.",
                "Sidorna laddar segt på eftermiddagarna och prestandan har blivit sämre.",
            ),
        ),
    },
    "usability": {
        "en": (
            (
                "Easy to use, our new hires learn it in a day.",
                "Clean, intuitive interface that people actually like.",
            ),
            (
                "The interface is confusing and too many clicks are needed for simple tasks.",
                "Hard to navigate; the new design made it harder to find things.",
            ),
        ),
        "sv": (
            ("Lätt att använda, nyanställda lär sig på en dag.",),
            (
                "Gränssnittet är krångligt och det krävs för många klick.",
                "Svårt att hitta rätt, den nya designen är rörig.",
            ),
        ),
    },
    "reliability": {
        "en": (
            ("Rock solid, we have not had a single outage this year.",),
            (
                "We had two outages this quarter and lost data during one of them.",
                "Too many bugs after each release; things that worked break again.",
                "The mobile app crashes several times a day.",
            ),
        ),
        "sv": (
            ("Stabilt, inga driftstopp i år.",),
            (
                "Vi har haft flera driftstörningar och buggar efter varje release.",
                "Appen kraschar flera gånger om dagen.",
            ),
        ),
    },
    "documentation": {
        "en": (
            ("The help centre articles are clear and up to date.",),
            (
                "The documentation is outdated and the API docs are missing examples.",
                "Hard to find answers in the help centre; the guides are out of date.",
            ),
        ),
        "sv": (
            ("Dokumentationen är tydlig och uppdaterad.",),
            ("Dokumentationen är inaktuell och manualen saknar exempel.",),
        ),
    },
    "account_management": {
        "en": (
            (
                "Our CSM is proactive and really understands our business.",
                "Great account manager, the quarterly reviews are useful.",
            ),
            (
                "We have had four different CSMs in a year and nobody knows our setup.",
                "Our account manager only calls when it is time to renew.",
            ),
        ),
        "sv": (
            ("Vår kundansvarige är proaktiv och förstår vår verksamhet.",),
            (
                "Vi har bytt kundansvarig fyra gånger på ett år.",
                "Vår kontaktperson hör bara av sig inför förnyelsen.",
            ),
        ),
    },
}

FEATURE_REQUESTS = {
    "en": (
        "It would be great if we could schedule reports to go out automatically.",
        "Please add a bulk edit for user permissions.",
        "We wish the mobile app had offline mode.",
        "Missing a way to export dashboards to PowerPoint.",
    ),
    "sv": (
        "Det skulle vara bra om vi kunde schemalägga rapporter.",
        "Vi önskar en mobilapp som fungerar offline.",
        "Saknar möjlighet att massredigera behörigheter.",
    ),
}

EMERGING_PHRASES = {
    # Topics no shipped theme names; they grow in the latest quarters so the
    # digest's emerging-theme discovery has something real to find.
    "en": (
        "Single sign-on with Okta keeps logging people out, SSO needs work.",
        "We need SSO enforcement and SCIM user provisioning before we can roll out further.",
        "The SSO login loop with Azure AD is blocking our new hires.",
        "Invoice export to our accounting system drops VAT lines.",
    ),
    "sv": (
        "Inloggningen via SSO med Azure AD loggar ut användarna hela tiden.",
        "Fakturaexporten till ekonomisystemet tappar momsraderna.",
    ),
}

NEUTRAL_FILLERS = {
    "en": ("Overall fine.", "Thanks for asking.", "We use it every day.", "Mostly happy.", ""),
    "sv": ("Överlag bra.", "Tack för att ni frågar.", "Vi använder det dagligen.", ""),
}

CHURN_DETAILS = {
    "product_gap": (
        "Needed multi-entity reporting, which is still on the roadmap.",
        "Lacks the workflow automation their ops team requires.",
    ),
    "price_budget": (
        "Said the price increase at renewal was too expensive for the ROI they saw.",
        "Could not justify the cost after the team shrank.",
    ),
    "competitor": (
        "Switched to a cheaper all-in-one suite.",
        "Went with a competitor bundled with their CRM.",
    ),
    "poor_adoption": (
        "Never got past onboarding; only two users were active.",
        "Low usage after the rollout stalled.",
    ),
    "champion_left": (
        "Our champion left the company and the new VP did not see the value.",
        "Sponsor left; new stakeholder brought their own tools.",
    ),
    "support_experience": (
        "Frustrated by slow response on two P1 tickets.",
        "Outage in March and the support follow-up was poor.",
    ),
    "business_closed": ("The company went bankrupt.", "Business closed down its local office."),
    "m_and_a": (
        "Acquired by a group that standardises on another vendor.",
        "Merger with a larger company; tooling consolidated.",
    ),
    "no_budget": ("No budget this year.", "Budget freeze across the company."),
    "other": ("Other.", "Did not say."),
}
COMPETITORS = ("Gainsight", "ChurnZero", "Totango", "Vitally", "Planhat")
FREE_TEXT_ONLY_DETAILS = (
    "They told us it was too expensive for what they used.",
    "Switched to a competitor that came with their new CRM.",
    "Never really adopted it after onboarding.",
    "Reorganised and paused all tooling spend.",
)
