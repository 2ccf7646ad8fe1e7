"""Language packs and per-carrier code tables: each loads, each phrase/code cites a source, bad files are
refused at load with the file and line, and the code tables say what their sources say."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from edge.tracking.classify import Classifier
from edge.tracking.codes import code_milestone
from edge.tracking.packs import (
    CODE_DIR,
    LANGUAGES,
    PACK_DIR,
    PackError,
    load_code_table,
    load_pack,
    load_packs,
)
from edge.tracking.rules import MILESTONES


def test_one_pack_per_language_each_phrase_with_milestone_and_source() -> None:
    packs = {p.lang: p for p in load_packs()}
    assert set(LANGUAGES) <= set(packs)
    for lang in LANGUAGES:
        assert packs[lang].phrases, lang
        for ph in packs[lang].phrases:
            assert ph.milestone in MILESTONES and ph.source.strip(), ph.where


@pytest.mark.parametrize(("line", "why"), [
    ('{"rule": "delivered", "milestone": "teleported", "pattern": "x", "source": "s"}', "unknown milestone"),
    ('{"rule": "delivered", "milestone": "delivered", "pattern": "(unclosed", "source": "s"}', "broken regex"),
    ('{"rule": "pickup_point", "milestone": "delivered", "pattern": "x", "source": "s"}', "means 'available_for_pickup'"),
    ('{"rule": "nosuchrule", "milestone": "delivered", "pattern": "x", "source": "s"}', "unknown rule"),
    ('{"rule": "delivered", "milestone": "delivered", "pattern": "x"}', "no source"),
    ('{"rule": "delivered", "milestone": "delivered", "pattern": "x", ', "not a JSON object"),
])
def test_bad_pack_is_refused_with_file_and_line(tmp_path: Path, line: str, why: str) -> None:
    good = '{"rule": "delivered", "milestone": "delivered", "pattern": "livré", "source": "s"}'
    path = tmp_path / "xx.jsonl"
    path.write_text("# a comment\n" + good + "\n\n" + line + "\n", encoding="utf-8")
    with pytest.raises(PackError) as err:
        load_pack(path)
    assert str(err.value).startswith("xx.jsonl:4:") and why in str(err.value)


def test_bad_code_table_is_refused_with_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "acme.json"
    path.write_text('{"carrier": "ACME", "source": "s", "codes": {\n "A1": {"milestone": "delivered"},\n'
                    ' "B2": {"milestone": "lost_in_space"}\n}}', encoding="utf-8")
    with pytest.raises(PackError, match=r"acme.json:3: code 'B2': unknown milestone"):
        load_code_table(path)
    (tmp_path / "nosrc.json").write_text('{"carrier": "X", "codes": {}}', encoding="utf-8")
    with pytest.raises(PackError, match="no source"):
        load_code_table(tmp_path / "nosrc.json")


def test_every_code_table_cites_its_source_and_loads() -> None:
    for path in sorted(CODE_DIR.glob("*.json")):
        obj = json.loads(path.read_text(encoding="utf-8"))
        assert obj["source"].strip(), path.name
        carrier, table = load_code_table(path)
        assert table, path.name


# (carrier, code, what the source says, milestone) - read off the cited source files
CODE_CASES = [
    ("FedEx", "HL", "Hold at Location", "available_for_pickup"),
    ("FedEx", "HP", "Ready for Recipient Pickup", "available_for_pickup"),
    ("FedEx", "DL", "Delivered", "delivered"),
    ("FedEx", "CD", "Clearance Delay", "customs_held"),
    ("FedEx", "PL", "Plane Landed", "arrived_at_hub"),
    ("FedEx", "RS", "Return to Shipper", "return_started"),
    ("DHL Paket", "DLVRD.NGHBR", "Delivered: Delivery to neighbor", "delivered"),
    ("DHL Paket", "DLVRD.SERPT", "Delivered: Service Point", "available_for_pickup"),
    ("DHL Paket", "DLVRD.ACCPK", "Delivered: Collected from automated site", "delivered"),
    ("DHL Paket", "HLDCC.LDPCK", "Held for consignee collection: Held in automated collection site", "available_for_pickup"),
    ("DHL Paket", "NTDEL.NHOME", "Not delivered: Not home", "delivery_failed"),
    ("DHL Paket", "RSDCP.OARRV", "Released from clearance processing: On arrival", "customs_cleared"),
    ("Colissimo", "LIVCFM", "Votre colis est livré", "delivered"),
    ("Colissimo", "LIVREO", "Le colis est livré à l'expéditeur suite à un retour", "returned"),
    ("Colissimo", "LIVGAR", "Votre colis a été livré au gardien", "available_for_pickup"),
    ("Correios", "BDE-1", "Objeto entregue ao destinatário", "delivered"),
    ("Correios", "BDE-77", "Objeto disponível em locker", "available_for_pickup"),
    ("Correios", "BDE-23", "Objeto entregue ao remetente", "returned"),
]


@pytest.mark.parametrize(("carrier", "code", "meaning", "milestone"), CODE_CASES)
def test_code_tables_against_their_sources(carrier: str, code: str, meaning: str, milestone: str) -> None:
    c = Classifier().classify("status update", carrier, code)
    assert (c.milestone, c.rule) == (milestone, "code"), meaning


def test_dhl_table_meanings_are_the_source_rows() -> None:
    table = json.loads((CODE_DIR / "dhl_paket.json").read_text(encoding="utf-8"))["codes"]
    assert table["DLVRD.NGHBR"]["meaning"] == "Delivered: Delivery to neighbor"
    assert len(table) > 250


def test_a_specific_carrier_code_decides_before_the_text() -> None:
    clf = Classifier()
    assert clf.classify("Delivered", "FedEx", "HL").milestone == "available_for_pickup"
    assert clf.classify("Delivered", "FedEx").milestone == "delivered"
    assert clf.classify("已签收", "FedEx", "fedex:DE").milestone == "delivery_failed"


def test_aftership_exception_010_and_011_the_right_way_round() -> None:
    # AfterShip: Exception_010 "on its way back to the sender", Exception_011 "returned to the sender"
    assert code_milestone("aftership:Exception_010") == ("return_started", True)
    assert code_milestone("aftership:Exception_011") == ("returned", True)
    assert Classifier().classify("status", code="Exception_011").milestone == "returned"


@pytest.mark.parametrize(("text", "milestone"), [
    ("Votre colis est entre nos mains.", "picked_up"),
    ("Die Sendung wurde erfolgreich zugestellt", "delivered"),
    ("Zending is gesorteerd", "in_transit"),
    ("Envío en reparto para su entrega", "out_for_delivery"),
    ("Objeto saiu para entrega ao destinatário", "out_for_delivery"),
    ("荷物受付", "picked_up"),
    ("快件已由济南历城区翡翠雅郡北区西门店代收，请及时取件", "available_for_pickup"),
    ("Plane Landed", "arrived_at_hub"),
])
def test_each_language_pack_reads_its_wording(text: str, milestone: str) -> None:
    assert Classifier().classify(text).milestone == milestone


def test_pack_dir_files_are_jsonl_per_language() -> None:
    assert {p.stem for p in PACK_DIR.glob("*.jsonl")} == set(LANGUAGES)
