"""After the runs of slices 35 and 36 (in-sample, issue 15): a status that pairs the delivery claimed with its
denial and no contrast word between them (edge/tracking/delivered_elsewhere.py DISPUTED, second form): slice 35's
"Bezorgd, niet ontvangen" read `delivered`; it is the recipient disputing the delivery, an exception the desk has
to chase. The same in every pack language. A delivery followed by something else after the comma (not signed for,
thanks) stays `delivered`.

Sentences written for this test, none a corpus line (checked below).
"""

from __future__ import annotations

from tests.tracking.written import delivered_code_check, phrase_checks

WANT = [
    ("en", "Status: delivered, not received by the customer", "exception"),
    ("de", "Sendung zugestellt, nicht erhalten laut Empfänger", "exception"),
    ("fr", "Colis livré, non reçu par le client", "exception"),
    ("es", "Pedido entregado, no recibido por el cliente", "exception"),
    ("pt", "Pedido entregue, não recebido pelo cliente", "exception"),
    ("nl", "Pakket afgeleverd, nooit ontvangen door de klant", "exception"),
    ("zh", "订单已签收，未收到货物", "exception"),
    ("ja", "配達完了、届いていない（お客様申告）", "exception"),
    # ... while a delivery followed by something else stays as it was
    ("en", "Delivered, no signature required", "delivered"),
    ("zh", "已签收，感谢使用顺丰速运", "delivered"),
]
NEVER_DELIVERED = [(lang, text) for lang, text, milestone in WANT if milestone == "exception"]

test_sentences_are_written_not_corpus, test_new_phrase_families, test_never_delivered = phrase_checks(
    WANT, NEVER_DELIVERED)

test_under_a_delivered_code = delivered_code_check([
    ("Status: delivered, not received by the customer", "exception"),
    ("订单已签收，未收到货物", "exception"),
])
