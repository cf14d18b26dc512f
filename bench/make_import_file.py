"""Write a deterministic import file of synthetic entries, for measuring the import.

    python bench/make_import_file.py [--count 1000] [--seed 1] [--translated-every 5] OUT.json

Entries are marked with provenance "synthetic". The same arguments always give the same
file (byte for byte). Every `--translated-every`-th entry carries a translation.
"""

import argparse
import json
import random
from pathlib import Path

LANGUAGES = ("en", "fr", "es", "ar")
MODELS = (
    "regional-cooperation",
    "regional-funds",
    "public-private-partnerships",
    "south-south-cooperation",
    "exchange-of-experience",
    "service-provider-training",
    "sdg-crpd-frameworks",
)
QUESTIONS = ("q1", "q2", "q3", "q4", "q5", "q6")
REGIONS = (
    "africa",
    "americas",
    "asia-pacific",
    "europe-central-asia",
    "middle-east-north-africa",
    "global",
)
COMPONENTS = (
    "data-collection-needs-assessment",
    "physical-rehabilitation",
    "psychological-psychosocial-support",
    "socio-economic-inclusion",
    "referral-mechanisms",
)
MECHANISMS = ("national-budget", "regional-fund", "bilateral-oda-dedicated", "in-kind")
COUNTRIES = ("SN", "CO", "KH", "TH", "AL", "PE", "UG", "IQ", "LY", "BA", "MZ", "AF", "JO", "TJ")
CURRENCIES = ("USD", "EUR", "XOF", "COP", "THB")
WORDS = (
    "rehabilitation survivors funding regional cooperation prosthetics training peer support "
    "network ministry budget partnership livelihoods referral assessment inclusion community "
    "accessibility disability rights accountability donors sustainability"
).split()


def sentence(rng, words=12):
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def entry(rng, number, translated):
    language = LANGUAGES[number % len(LANGUAGES)]
    year = rng.randint(1998, 2024)
    questions = rng.sample(QUESTIONS, rng.randint(1, 3))
    record = {
        "title": f"Synthetic practice {number:05d}",
        "slug": f"synthetic-practice-{number:05d}",
        "summary": sentence(rng, 25),
        "language": language,
        "provenance": "synthetic",
        "answers": {q: f"<p>{sentence(rng, 40)}</p><p>{sentence(rng, 30)}</p>" for q in questions},
        "body": sentence(rng, 50),
        "organisation": f"Synthetic organisation {rng.randint(1, 50)}",
        "year": year,
        "year_end": year + rng.randint(0, 5),
        "cooperation_model": rng.sample(MODELS, rng.randint(1, 2)),
        "region": [rng.choice(REGIONS)],
        "country": rng.sample(COUNTRIES, rng.randint(1, 3)),
        "va_component": rng.sample(COMPONENTS, 2),
        "tags": rng.sample(WORDS, 2),
        "funding": [
            {
                "source": f"Donor {rng.randint(1, 30)}",
                "recipient": f"Recipient {rng.randint(1, 30)}",
                "amount": rng.randint(10, 5000) * 1000,
                "currency": rng.choice(CURRENCIES),
                "year_start": year,
                "year_end": year + 1,
                "mechanism": rng.choice(MECHANISMS),
            }
        ],
        "outcomes": sentence(rng, 20),
        "sources": [{"title": "Synthetic source", "url": f"https://example.org/s/{number}"}],
    }
    if translated:
        other = LANGUAGES[(number + 1) % len(LANGUAGES)]
        record["translations"] = {
            other: {
                "title": f"Synthetic practice {number:05d} ({other})",
                "summary": sentence(rng, 25),
                "answers": {q: sentence(rng, 40) for q in questions},
            }
        }
    return record


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--translated-every", type=int, default=5)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    every = args.translated_every
    records = [
        entry(rng, number, translated=bool(every) and number % every == 0)
        for number in range(1, args.count + 1)
    ]
    args.out.write_text(json.dumps(records, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    translated = sum("translations" in record for record in records)
    print(f"Wrote {len(records)} entries ({translated} with a translation) to {args.out}")


if __name__ == "__main__":
    main()
