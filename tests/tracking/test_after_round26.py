"""After round 26 (in-sample for no slice: packs26a's report left it): a Dutch depot the recipient is told to collect
from ("afgeleverd bij het depot, je kunt het daar ophalen") is a point, `available_for_pickup`, where it read
`delivered`; packs26a's hand-in at a carrier depot with nothing to collect stays `arrived_at_hub`, and a neighbour's
delivery stays `delivered` (edge/tracking/delivered_elsewhere.py POINT and TO_HUB).

Sentences written for this test, none a corpus line (checked below).
"""

from __future__ import annotations

from tests.tracking.written import phrase_checks

WANT = [
    ("nl", "Pakket afgeleverd bij het depot, je kunt het daar ophalen.", "available_for_pickup"),
    ("nl", "Je pakket is bezorgd bij het depot in Utrecht; je kunt het daar afhalen met je ID.", "available_for_pickup"),
    ("nl", "Het pakket is afgeleverd in het depot en ligt klaar om op te halen.", "available_for_pickup"),
    # ... while a hand-in at the carrier's depot, with nothing to collect, and a neighbour's delivery stay as they were
    ("nl", "Je zending is afgeleverd bij het depot van de vervoerder in Zwolle.", "arrived_at_hub"),
    ("nl", "Je pakket is bij de buren op nummer 12 bezorgd.", "delivered"),
]
NEVER_DELIVERED = [(lang, text) for lang, text, milestone in WANT[:3]]

test_sentences_are_written_not_corpus, test_new_phrase_families, test_never_delivered = phrase_checks(
    WANT, NEVER_DELIVERED)
