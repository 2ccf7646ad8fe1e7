"""Trial 2026-12-07d (trial39): the public notice of a Hong Kong site masked "Flat 3C, Tower 1" as
"************** 1", the same for every flat of Tower 1: nobody could tell which parcel was theirs."""

from __future__ import annotations

from edge.rules.messages import mask_unit


def test_a_hong_kong_flat_keeps_its_building_and_the_end_of_its_number() -> None:
    assert mask_unit("Flat 3C, Tower 1") == "Flat *C, Tower 1"
    assert mask_unit("Flat 12B, Tower 2") == "Flat **B, Tower 2"
    assert mask_unit("Flat 21D, Tower 1") != mask_unit("Flat 3C, Tower 1")


def test_the_mainland_form_is_unchanged() -> None:
    assert mask_unit("12-0803") == "12-**03"
    assert mask_unit("5-801") == "5-*01"
