"""Round 18 (packs18a): pt/fr/es air-cargo, collection-problem and unaccented Chronopost wording added to the packs.

New phrase families: pt LATAM Cargo wording, "carga recepcionada" (`picked_up`, an air-cargo acceptance),
"embarque confirmado" (`departed_hub`), "carga desembarcada" (`arrived_at_hub`) while "aguardando desembarque" is
`in_transit`, "recepção documental" (`label_created`), a collection that failed, was empty or met an absent, closed
or wrong address ("coleta não efetuada", "coleta vazia", "ausente (coleta)") `exception` (FROZEN.md: pickup failures
are exception, never a delivery attempt), "ocorrência na entrega/coleta" and an unknown recipient or a changed
address `exception`, "carga conferida" `in_transit`, a bare "Entrega parcial" `delivered`; fr "retourne a l
expediteur" without accents or apostrophe `return_started`, "Dispersion" `in_transit` (a bare code name, not tested here: any written form of it is the corpus line), "Envoi différé" and es
"entrega aplazada" `delivery_failed` (as "Livraison reportée" in the dev part), "Envío devuelto" `returned`; and a
guard reading: fr "en cours de livraison au point de retrait / relais" is `in_transit` (the point lies ahead, as
"en route vers le point relais"), while "mis à disposition au point de retrait" stays `available_for_pickup`.

Sentences written for this test, none a corpus line (checked below). Beside each family: what must not take it (a
locker, point, third-party or return text never `delivered`; a future or conditional never a past milestone;
"não entregue" / "no entregado" / "non livré" / "niet bezorgd" never `delivered`).
"""

from __future__ import annotations

import pytest

from edge.tracking.classify import Classifier
from tests.tracking.written import phrase_checks

WANT = [
    # pt: air cargo accepted, on the flight, unloaded, waiting to unload, documents received
    ("pt", "Sua carga recepcionada no terminal de Guarulhos", "picked_up"),
    ("pt", "Embarque confirmado em Guarulhos", "departed_hub"),
    ("pt", "Carga desembarcada no aeroporto de Recife", "arrived_at_hub"),
    ("pt", "Volume aguardando desembarque em Brasília", "in_transit"),
    ("pt", "Recepção documental concluída pela transportadora", "label_created"),
    # pt: a collection that did not happen is an exception, never a failed delivery
    ("pt", "Coleta não efetuada no endereço do remetente", "exception"),
    ("pt", "Coleta vazia: nenhum volume para retirar", "exception"),
    ("pt", "Remetente ausente (coleta)", "exception"),
    ("pt", "Estabelecimento fechado (coleta)", "exception"),
    ("pt", "Registrada uma ocorrência na coleta do seu pedido", "exception"),
    ("pt", "Ocorrência na entrega: fale com a transportadora", "exception"),
    # pt: recipient unknown, moved away; the cargo checked; a partial delivery
    ("pt", "Destinatário desconhecido no endereço informado", "exception"),
    ("pt", "O cliente mudou de endereço", "exception"),
    ("pt", "Carga conferida no centro de distribuição", "in_transit"),
    ("pt", "Entrega parcial realizada", "delivered"),
    # fr: unaccented return, dispersion, a deferred delivery; the run to the point
    ("fr", "Colis retourne a l expediteur", "return_started"),
    ("fr", "Livraison différée", "delivery_failed"),
    ("fr", "Votre colis est en cours de livraison au point relais", "in_transit"),
    ("fr", "Colis en cours de livraison vers votre point de retrait", "in_transit"),
    # es: a postponed delivery, a shipment back with the sender
    ("es", "Tu entrega aplazada por el transportista", "delivery_failed"),
    ("es", "Envio devuelto", "returned"),
]

NEVER_DELIVERED = [
    # pt: a partial delivery that did not happen, at a point, or to come; a collection or cargo word is no delivery
    ("pt", "Entrega parcial não efetuada"),
    ("pt", "Entrega parcial no ponto de retirada, aguardando o cliente"),
    ("pt", "Será feita uma entrega parcial amanhã"),
    ("pt", "Objeto não entregue - carga desembarcada"),
    ("pt", "Carga recepcionada para devolução ao remetente"),
    ("pt", "Coleta não efetuada: destinatário ausente"),
    # fr: on the way to the point, unaccented return, negated
    ("fr", "Le colis est en cours de livraison au point de retrait choisi"),
    ("fr", "Votre envoi retourne a l expediteur"),
    ("fr", "Colis non livré : livraison différée"),
    # es: postponed, returned, not delivered
    ("es", "Entrega aplazada: no entregado hoy"),
    ("es", "Tu envío devuelto al remitente por ausencia"),
    ("es", "Si no estás, el envío será devuelto"),
]


test_sentences_are_written_not_corpus, test_new_phrase_families, test_never_delivered = phrase_checks(WANT, NEVER_DELIVERED)


@pytest.fixture(scope="module")
def clf() -> Classifier:
    return Classifier()


@pytest.mark.parametrize("text", [
    "Colis mis à disposition au point de retrait",
    "Votre colis est disponible dans votre point relais",
])
def test_a_point_reached_stays_available(clf: Classifier, text: str) -> None:
    # the point-ahead reading must not reach a parcel that is already waiting at the point
    assert clf.classify(text).milestone == "available_for_pickup"


@pytest.mark.parametrize("text", [
    "Aguardando desembarque no aeroporto",
    "Aguardando desembarque",
])
def test_waiting_to_unload_is_no_arrival(clf: Classifier, text: str) -> None:
    assert clf.classify(text).milestone == "in_transit"


@pytest.mark.parametrize("text", ["Cliente desconhecido no local", "Destinatário desconhecido no local"])
def test_correios_unknown_at_address_stays_a_return(clf: Classifier, text: str) -> None:
    # Correios' "desconhecido no local" starts the return (pt pack); the new unknown-recipient phrase stops before it
    assert clf.classify(text).milestone == "return_started"
