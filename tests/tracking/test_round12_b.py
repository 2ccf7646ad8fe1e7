"""Round 12, packs12b (issue 15): fr/es/pt/nl phrases for shop, app and courier wording (order stage, dispatch,
collection stage, delivery, failure, customs exit, return to sender).

The sentences are written for the test (none is a corpus text: a test checks dev and the spent slices; the blind slice
is never opened). Every round-12 phrase cites dev sources, and each cited source carries a dev text the phrase matches.
"""

from __future__ import annotations

import pytest

from edge.tracking import corpus_eval as ce
from edge.tracking.classify import Classifier
from edge.tracking.packs import PACK_DIR, Phrase, load_pack
from tests.tracking.written import assert_each_cited_source_matches

LANGS = ("fr", "es", "pt", "nl")
MARK = "# round 12 (packs12b)"

CASES = [
    ('fr', 'Votre commande est enregistrée, nous la préparons', 'label_created'),
    ('fr', 'Bonne nouvelle : votre commande a bien été confirmée', 'label_created'),
    ('fr', "Nous avons bien reçu votre commande et la transmettons à l'entrepôt", 'label_created'),
    ('fr', 'Colis expédié', 'label_created'),
    ('fr', 'Colis signé par la destinataire à 14h02', 'delivered'),
    ('fr', 'Votre colis vous a été remis en main propre', 'delivered'),
    ('fr', 'Livraison effectuée avec succès', 'delivered'),
    ('fr', 'Livraison en échec : client injoignable', 'delivery_failed'),
    ('fr', 'Départ vers la plateforme de Lyon', 'departed_hub'),
    ('es', 'Tu pedido se está preparando en el almacén de Quito', 'label_created'),
    ('es', 'Hemos recibido tu pedido y pronto lo despacharemos', 'label_created'),
    ('es', 'El pedido salió hacia tu dirección de entrega', 'out_for_delivery'),
    ('es', 'Tu paquete ha sido enviado', 'label_created'),
    ('es', 'Preimposición registrada', 'label_created'),
    ('pt', 'Transportadora a caminho da coleta', 'label_created'),
    ('pt', 'Etiqueta impressa', 'label_created'),
    ('pt', 'Saiu da alfândega de Curitiba', 'customs_cleared'),
    ('pt', 'Objeto entregue ao remetente em Lisboa', 'returned'),
    ('pt', 'Recolha efetuada no armazém do remetente', 'picked_up'),
    ('pt', 'Avisado na loja CTT de Braga', 'available_for_pickup'),
    ('nl', 'Je bestelling is verzonden', 'label_created'),
    ('nl', 'We hebben je bestelling goed ontvangen', 'label_created'),
    ('nl', 'Het pakket werd zonet geleverd', 'delivered'),
    ('nl', 'Het pakket werd geleverd aan de receptie', 'available_for_pickup'),
]

# non-deliveries beside the new delivered, return and pickup wording: never `delivered`
NEVER_DELIVERED = [
    ('fr', 'Votre colis a été remis au transporteur'),
    ('fr', 'Votre commande sera livrée demain'),
    ('fr', 'Livraison en échec, nouvelle tentative demain'),
    ('fr', 'Colis non reçu par le destinataire'),
    ('es', 'Tu pedido aún no ha sido enviado'),
    ('es', 'El pedido salió hacia tu dirección de entrega'),
    ('pt', 'Encomenda entregue ao remetente após recusa'),
    ('pt', 'Entrega não conseguida: destinatário ausente'),
    ('pt', 'Avisado na estação: levante na loja'),
    ('nl', 'Je pakket is niet geleverd: niemand thuis'),
    ('nl', 'Je pakket wordt morgen geleverd'),
    ('nl', 'Je bestelling is nog niet verzonden'),
    ('fr', "Le colis n'a pas été reçu par le destinataire"),
    ('fr', 'Le colis doit être signé par le destinataire'),
    ('fr', 'Votre colis sera reçu par le client demain'),
    ('fr', 'Votre commande a été confirmée et remise au transporteur'),
]


@pytest.fixture(scope="module")
def clf() -> Classifier:
    return Classifier()


@pytest.mark.parametrize(("lang", "text", "want"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_round12_case(clf: Classifier, lang: str, text: str, want: str) -> None:
    got = clf.classify(text).milestone
    assert got == want, f"{lang}: {text!r} -> {got}"


@pytest.mark.parametrize(("lang", "text"), NEVER_DELIVERED, ids=[f"{c[0]}-{i}" for i, c in enumerate(NEVER_DELIVERED)])
def test_round12_non_delivery_is_never_delivered(clf: Classifier, lang: str, text: str) -> None:
    assert clf.classify(text).milestone != "delivered", f"{lang}: {text!r}"


def test_round12_cases_cover_the_four_languages() -> None:
    assert {c[0] for c in CASES} == set(LANGS) == {c[0] for c in NEVER_DELIVERED}


def _round12_phrases() -> list[tuple[str, Phrase]]:
    out: list[tuple[str, Phrase]] = []
    for lang in LANGS:
        path = PACK_DIR / f"{lang}.jsonl"
        lines = path.read_text(encoding="utf-8").splitlines()
        start = next(i for i, line in enumerate(lines) if line.startswith(MARK))
        pack = load_pack(path)
        wheres = {f"{path.name}:{n}" for n in range(start + 2, len(lines) + 1)}
        out += [(lang, ph) for ph in pack.phrases if ph.where in wheres]
    return out


def test_every_round12_phrase_matches_a_dev_text_of_each_source_it_cites() -> None:
    phrases = _round12_phrases()
    assert len(phrases) >= 15
    assert_each_cited_source_matches(ph for _lang, ph in phrases)  # or, in-sample, a text of the spent slice named


def test_no_round12_case_is_a_corpus_text() -> None:
    corpus: set[str] = set()
    for name in ["dev.jsonl", "frozen.jsonl"] + [f"frozen{i}.jsonl" for i in range(2, 10)]:
        corpus |= {str(r["text"]).casefold() for r in ce.load(ce.CORPUS / name, labelled_only=False)}
    texts = {t.casefold() for _, t, _ in CASES} | {t.casefold() for _, t in NEVER_DELIVERED}
    assert not texts & corpus
