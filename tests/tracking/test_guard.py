"""The guarded `delivered`: locker, station, point, third-party and return texts in every language never
give `delivered`; a neighbour stays delivered; the signer and place are recorded for delivered_not_here."""

from __future__ import annotations

import json

import pytest

from edge.tracking.classify import Classifier
from edge.tracking.corpus_eval import DEV, load

NOT_DELIVERED = [
    # lockers, stations, agents, points (zh, en, fr, de, nl, es, pt, ja)
    ("客户 签收人: 蜂巢 已签收", "available_for_pickup"),
    ("已签收，签收人：菜鸟驿站", "available_for_pickup"),
    ("您的快件已放入丰巢快递柜，请凭取件码取件", "available_for_pickup"),
    ("快件已由【小区南门代收点】代收，请及时取件", "available_for_pickup"),
    ("Delivered, Parcel Locker", "available_for_pickup"),
    ("Delivered to DPD Pickup parcelshop", "available_for_pickup"),
    ("Delivered: Service Point", "available_for_pickup"),
    ("Delivered to the post office", "available_for_pickup"),
    ("Votre colis a été livré dans votre point relais", "available_for_pickup"),
    ("Die Sendung wurde in die Packstation eingelegt und zugestellt", "available_for_pickup"),
    ("Die Sendung wurde in der Filiale zugestellt", "available_for_pickup"),
    ("Zending is bezorgd bij het afhaalpunt", "available_for_pickup"),
    ("Entregado en oficina, disponible para recoger", "available_for_pickup"),
    ("Objeto entregue na Caixa de Correios Inteligente", "available_for_pickup"),
    ("配達完了（宅配ボックス）", "available_for_pickup"),
    # third parties keeping it for the resident (DESIGN.md section 5 rule 2)
    ("已签收，签收人：门卫", "available_for_pickup"),
    ("您的快件已签收，签收人：前台", "available_for_pickup"),
    ("快件已签收，他人代签", "available_for_pickup"),
    ("客户签收人: 他人签收 已签收", "available_for_pickup"),
    ("Votre colis a été livré au gardien", "available_for_pickup"),
    ("Delivered: Hand over/delivery to Agent", "available_for_pickup"),
    # back to the sender, or nowhere
    ("Le colis est livré à l'expéditeur suite à un retour", "returned"),
    ("Objeto entregue ao remetente", "returned"),
    ("Die Sendung wurde an den Absender zugestellt", "returned"),
    ("快件已退回，寄件人已签收", "returned"),
    ("L'adresse de votre colis est incomplète. Nous recherchons la partie non renseignée pour le livrer", "exception"),
    ("Not delivered: Not home", "delivery_failed"),
    ("The parcel could not be delivered as the consignee was absent.", "delivery_failed"),
    ("Die Sendung konnte nicht zugestellt werden", "delivery_failed"),
    ("Objeto não entregue - carteiro não atendido", "delivery_failed"),
    ("Votre colis sera livré prochainement", "in_transit"),
    ("Sendungsavise/-auftrag: Nachricht zugestellt", "unknown"),
    # found by the frozen slice (fixed after its one measurement)
    ("包裹已由第三方签收", "available_for_pickup"),
    ("包裹已由楼层管理员签收", "available_for_pickup"),
    ("Delivered to Return Center", "returned"),
    ("Pakket wordt vandaag bezorgd", "out_for_delivery"),
]


@pytest.mark.parametrize(("text", "milestone"), NOT_DELIVERED)
def test_never_delivered(text: str, milestone: str) -> None:
    c = Classifier().classify(text)
    assert c.milestone != "delivered", (text, c)
    assert c.milestone == milestone, (text, c)


@pytest.mark.parametrize("text", [
    "Delivered to neighbour", "The parcel has been delivered at the neighbour´s (see signature)",
    "Votre colis a été livré au gardien ou voisin", "Zustellung an Nachbarn", "已签收，签收人：本人",
    "客户签收人: 已签收，签收人凭取货码签收。", "Delivered - Left at front door. Signature Service not requested.",
    "Objeto entregue ao destinatário", "Zending is bezorgd", "お届け先にお届け済み", "Su envío está entregado.",
])
def test_real_deliveries_stay_delivered(text: str) -> None:
    assert Classifier().classify(text).milestone == "delivered", text


@pytest.mark.parametrize(("text", "signer", "place"), [
    ("已签收，签收人：门卫", "门卫", None),
    ("您的快递已签收, 签收人在【丰巢的索特传动设备西门丰巢柜2号柜(丰巢智能快递柜)】领取", None, "丰巢的索特传动设备西门丰巢柜2号柜(丰巢智能快递柜)"),
    ("Delivered to neighbour", "neighbour", None),
    ("Signed for by: J SMITH", "J SMITH", None),
    ("Available for pickup at the Main Street post office", None, "Main Street post office"),
])
def test_signer_and_place_are_recorded(text: str, signer: str | None, place: str | None) -> None:
    c = Classifier().classify(text)
    assert c.milestone in ("delivered", "available_for_pickup")
    assert (c.signer, c.place) == (signer, place), c
    d = c.as_dict()
    assert ("signer" in d) == bool(signer) and ("place" in d) == bool(place)


def test_what_no_rule_reads_stays_unknown_for_staff() -> None:
    # the learned fallback (decision 0047) never says delivered and abstains on what it cannot read
    clf = Classifier()
    # ("Paket übergeben an Empfänger" is a rule's since packs26b: spent slice 32 labels "Übergeben an Empfänger" delivered;
    # "colis remis" is a rule's since packs27a: spent slice 22 labels "Colis remis" delivered)
    for text in ("remise colis", "paquete recibido por el cliente", "Paket an Empfänger", "pacote recebido"):
        assert clf.classify(text).milestone != "delivered"
    assert clf.classify("@@@").milestone == "unknown"
    assert clf.classify("qwerty zxcv").rule == ""


def test_no_non_delivery_in_the_dev_corpus_reads_as_delivered_by_the_guarded_packs() -> None:
    """Not a score: a regression bound. The figure is in docs/tracking.md; it may only go down."""
    clf = Classifier()
    wrong = [r["text"] for r in load(DEV) if r["milestone"] != "delivered"
             and clf.classify(str(r["text"]), r.get("carrier")).milestone == "delivered"]  # type: ignore[arg-type]
    assert len(wrong) <= 5, json.dumps(wrong, ensure_ascii=False)


@pytest.mark.parametrize(("text", "want"), [
    ("El paquete será entregado mañana", "in_transit"),
    ("El paquete está en la ruta del repartidor, pendiente de ser entregado.", "out_for_delivery"),
    ("El paquete ha sido oficialmente entregado en Correos o recogido por sus transportistas.", "picked_up"),
    ("On vehicle for final delivery to recipient.", "out_for_delivery"),
    ("签收失败", "delivery_failed"),
    ("Die Sendung wird voraussichtlich heute zugestellt", "in_transit"),
    ("派送失败，收件人不在", "delivery_failed"),
])
def test_second_round_texts_that_say_delivered_but_are_not(text: str, want: str) -> None:
    assert Classifier().classify(text).milestone == want
