"""Trial 2026-12-07d (trial39): a Hong Kong property's resident list, as its management office writes it.

Before the fix the file below was refused whole: no unit column ("Flat"), "Flat 12B, Tower 2" is not a unit
(the comma), "Low door" / "Locker consent" are not columns (the space), and "繁體中文" is not a language; at
the kiosk, "12B" typed on the keyboard (no space or comma key) suggested none of the flats."""

from __future__ import annotations

import sqlite3

from edge.services import unit_csv
from edge.services.directory import suggest
from edge.services.parcels import check_unit

HK_FILE = """Flat,Resident,Mobile,Language,Email,Low door,Locker consent
"Flat 12B, Tower 2",Mr Chan Siu Keung,+852 9123 4567,English,chan.sk@example.hk,No,Yes
"Flat 12A, Tower 2",Ms Wong Mei Ling,9234 5678,Chinese,,No,Yes
"Flat 3C, Tower 1",Mrs Lam,6345 6789,English,lam3c@example.hk,Yes,Yes
"Flat 8F, Tower 3",Mr Cheung,9567 8901,繁體中文,,No,Yes
"Flat 15E, Tower 3",Dr Patel,6678 9012,English,patel@example.hk,No,No
""".encode()


def test_a_hong_kong_resident_list_imports() -> None:
    got = unit_csv.parse_file(HK_FILE)
    assert got.ignored == ["Resident"]
    by = {u.unit: u for u in got.units}
    assert list(by) == ["Flat 12B, Tower 2", "Flat 12A, Tower 2", "Flat 3C, Tower 1", "Flat 8F, Tower 3",
                        "Flat 15E, Tower 3"]
    assert by["Flat 12B, Tower 2"].phone == "+85291234567" and by["Flat 12B, Tower 2"].phone_tail == "4567"
    assert by["Flat 12A, Tower 2"].phone == "92345678" and by["Flat 12A, Tower 2"].lang == "zh-CN"
    assert by["Flat 8F, Tower 3"].lang == "zh-HK"  # 繁體中文: traditional Chinese, converted at output (ADR 0050)
    assert by["Flat 3C, Tower 1"].low_door is True and by["Flat 15E, Tower 3"].locker_consent is False


def test_a_flat_with_a_comma_is_a_unit_at_the_kiosk_too() -> None:
    assert check_unit(" Flat 12B, Tower 2 ") == "Flat 12B, Tower 2"


class _Tx:
    def __init__(self, units: list[str]) -> None:
        self.db = sqlite3.connect(":memory:")
        self.db.row_factory = sqlite3.Row
        self.db.execute("CREATE TABLE units (unit TEXT, phone_tail TEXT)")
        self.db.executemany("INSERT INTO units (unit) VALUES (?)", [(u,) for u in units])

    def all(self, sql: str, params: tuple[object, ...] = ()) -> list[dict[str, object]]:
        return [dict(r) for r in self.db.execute(sql, params)]


def test_the_kiosk_keyboard_finds_a_flat_by_its_number() -> None:
    """The kiosk's keyboard has letters, digits and '-', no space or comma: "12B" is all a courier can type."""
    tx = _Tx(["Flat 12A, Tower 2", "Flat 12B, Tower 1", "Flat 12B, Tower 2", "Flat 2B, Tower 1", "Flat 3C, Tower 1"])
    assert suggest(tx, "12B", 6) == ["Flat 12B, Tower 1", "Flat 12B, Tower 2"]  # type: ignore[arg-type]
    assert suggest(tx, "FLAT12BTOWER2", 6)[0] == "Flat 12B, Tower 2"  # type: ignore[arg-type]


def test_a_carrier_the_glossary_does_not_know_is_the_couriers_company() -> None:
    """A Kerry Express courier's 12-digit waybills were "FedEx" (联邦快递) in the residents' messages and the carrier
    report (FedEx's pattern), a Hongkong Post courier's "RR123456785HK" "National post (UPU S10)"."""
    from edge.services.directory import parcel_carrier_code

    assert parcel_carrier_code("800000000011", "Kerry Express") == "Kerry Express"
    assert parcel_carrier_code("RR123456785HK", "Hongkong Post") == "Hongkong Post"
    assert parcel_carrier_code("RR123456785HK", None) == "POST"
    assert parcel_carrier_code("SF1300000000001", "Kerry Express") == "SF"  # a prefixed number still says
    assert parcel_carrier_code("800000000011", "物业代收") == "FEDEX"  # the desk's intake: the number's pattern


def test_the_english_export_writes_words_the_import_reads_back() -> None:
    """The English units export wrote "zh-CN" and 0/1 where the Chinese one writes 中文 and 是/否."""
    rows = [{"unit": "Flat 12A, Tower 2", "phone": "92345678", "phone_tail": "5678", "lang": "zh-CN", "low_door": 0,
             "locker_consent": 1}]
    text = unit_csv.export(rows)
    assert text.splitlines()[1] == '"Flat 12A, Tower 2",92345678,5678,Chinese,no,yes,,'
    back = unit_csv.parse(text.encode())[0]
    assert (back.lang, back.low_door, back.locker_consent) == ("zh-CN", False, True)


def test_hong_kong_carriers_have_a_name_in_each_language() -> None:
    """After the fix above a Kerry Express courier's parcels read "Kerry Express" on the Chinese pages, in the Chinese
    residents' messages ("您的包裹（Kerry Express 800000000066）") and on the Chinese couriers page."""
    from edge import glossary
    from edge.services.directory import company_label, parcel_carrier_code

    carrier = parcel_carrier_code("800000000066", "Kerry Express")
    assert glossary.carrier_name(carrier, "zh") == "嘉里快递" and glossary.carrier_name(carrier, "en") == "Kerry Express"
    assert glossary.carrier_name(parcel_carrier_code("RR123456808HK", "香港郵政"), "en") == "Hongkong Post"
    assert company_label("Hongkong Post", "zh") == "香港邮政" and company_label("嘉里快遞", "en") == "Kerry Express"
    assert company_label("某某同城", "en") == "某某同城"  # a name the glossary does not know: as written


def test_units_are_listed_with_their_numbers_as_numbers() -> None:
    """The Units page and its export listed "Flat 12A", "Flat 12B", "Flat 15E", "Flat 1A", "Flat 21D", "Flat 30G",
    "Flat 3C", "Flat 8F" (as text); the kiosk's first suggestions likewise."""
    from edge.services.directory import list_units_tx

    tx = _Tx(["Flat 12A, Tower 2", "Flat 15E, Tower 3", "Flat 1A, Tower 1", "Flat 30G, Tower 2", "Flat 3C, Tower 1",
             "5-1201", "5-802"])
    got = [u["unit"] for u in list_units_tx(tx)]  # type: ignore[arg-type]
    assert got == ["5-802", "5-1201", "Flat 1A, Tower 1", "Flat 3C, Tower 1", "Flat 12A, Tower 2",
                   "Flat 15E, Tower 3", "Flat 30G, Tower 2"]
    assert [u["unit"] for u in list_units_tx(tx, "Flat", limit=2, offset=1)] == [  # type: ignore[arg-type]
        "Flat 3C, Tower 1", "Flat 12A, Tower 2"]
    assert suggest(tx, "", 3) == ["5-802", "5-1201", "Flat 1A, Tower 1"]  # type: ignore[arg-type]
