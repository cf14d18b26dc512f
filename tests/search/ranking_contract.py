"""The ranking contract (practices/search/ranking.py): a small corpus and the order every
engine must give it. Used by the database engines' tests (tests/search/test_ranking.py, on
SQLite and on PostgreSQL) and by the live Elasticsearch tests (tests/elasticsearch).

The entries are published in the order listed, so the newest comes last: where the
expected order differs from newest first, it is the fields that decide.
"""

#: A classification whose labels share no word with the queries below.
NEUTRAL = {"cooperation_model": ["public-private-partnerships"], "guiding_question": ["q2"]}

CORPUS = [
    # "regional fund": one entry per rank the fields give.
    ("title phrase, older", "en", {"title": "Regional fund for survivors"}),
    (
        "names phrase",
        "en",
        {"title": "Cooperation programme", "organisation": "Regional Fund Secretariat"},
    ),
    (  # the label "(b) Regional funds"
        "labels phrase",
        "en",
        {"title": "Peer support", "cooperation_model": ["regional-funds"]},
    ),
    ("body phrase", "en", {"title": "Annual report", "summary": "A regional fund was created."}),
    ("title words apart", "en", {"title": "EU-funded regional conference"}),
    (
        "body words apart",
        "en",
        {"title": "Workshop", "summary": "Regional partners met; the fund paid the venue."},
    ),
    ("no match", "en", {"title": "Unrelated", "summary": "Nothing to see."}),
    ("title phrase, newer", "en", {"title": "Regional fund for training"}),
    # one word: title, then names, then body, whatever the dates
    ("ITF in the title", "en", {"title": "ITF support to clinics"}),
    (
        "ITF in the names",
        "en",
        {"title": "Demining aid", "organisation": "ITF Enhancing Human Security"},
    ),
    ("ITF in the body", "en", {"title": "Survivor grants", "summary": "Paid through ITF."}),
    # Spanish and Arabic
    ("es title", "es", {"title": "Fondo regional de rehabilitación"}),
    (
        "es body",
        "es",
        {"title": "Informe anual", "summary": "Un fondo regional apoyó a los centros."},
    ),
    ("ar title", "ar", {"title": "صندوق إقليمي للأطراف الاصطناعية"}),
    ("ar body", "ar", {"title": "تقرير سنوي", "summary": "أنشئ صندوق إقليمي لدعم المراكز."}),
]

#: (reader language, query, the expected order of the entries found, by their keys).
CASES = [
    (
        "en",
        "regional fund",
        [
            "title phrase, newer",
            "title phrase, older",
            "names phrase",
            "labels phrase",
            "body phrase",
            "title words apart",
            "body words apart",
        ],
    ),
    (
        "en",
        '"regional fund"',
        [
            "title phrase, newer",
            "title phrase, older",
            "names phrase",
            "labels phrase",
            "body phrase",
        ],
    ),
    ("en", "ITF", ["ITF in the title", "ITF in the names", "ITF in the body"]),
    ("es", "fondos regionales", ["es title", "es body"]),
    ("ar", "صندوق إقليمي", ["ar title", "ar body"]),
]


def build_corpus(make_practice):
    """Publish the corpus; its pages by key."""
    pages = {}
    for key, language, fields in CORPUS:
        pages[key] = make_practice(language=language, **{**NEUTRAL, **fields})
    return pages
