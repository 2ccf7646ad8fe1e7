"""After the runs of slices 33 and 34 (in-sample, issue 15): the guard's reading behind slice 34's one false
`delivered` (edge/tracking/delivered_elsewhere.py DISPUTED, read first by edge/tracking/delivered_guard.py).

A delivery the status claims and the recipient disputes: a contrast ("but", aber, mais, pero, mas, maar, 但/但是/可是,
のに, が、) followed in the same sentence by the parcel not received, not found or not there ("I never received it",
"nichts erhalten", "das Paket ist nicht da", "rien reçu", "no lo he recibido", "não recebi", "niets ontvangen", 没收到,
找不到, 見当たらない, 届いていない): an exception the desk has to chase, never a delivery (slice 34's
ヤマト運輸のネコポスで「配達完了」と表示されているのに、荷物がどこにも見当たらない read `delivered`). A delivery followed by
"if you have not received it, contact us" (no contrast), a delivery to a neighbour "but you were not home", and a
signing by someone else stay as they were. Over the 19,474 labelled rows of every set, this reading changes one
answer: that line, wrong to right.

Sentences written for this test, none a corpus line (checked below).
"""

from __future__ import annotations

from tests.tracking.written import delivered_code_check, phrase_checks

WANT = [
    ("en", "It shows as delivered but I never received it.", "exception"),
    ("en", "Tracking says delivered, but we can't find the box anywhere.", "exception"),
    ("de", "Laut Sendungsverfolgung zugestellt, aber das Paket ist nicht da.", "exception"),
    ("de", "Als zugestellt markiert, ich habe aber nichts erhalten.", "exception"),
    ("fr", "Le suivi indique livré mais je n'ai rien reçu.", "exception"),
    ("es", "Aparece como entregado pero no lo he recibido.", "exception"),
    ("pt", "Consta como entregue mas não recebi nada.", "exception"),
    ("nl", "Volgens de track & trace bezorgd, maar ik heb niets ontvangen.", "exception"),
    ("zh", "物流显示已签收，但是我没有收到快递。", "exception"),
    ("zh", "显示已签收但包裹找不到了。", "exception"),
    ("ja", "追跡では配達完了になっているのに荷物が届いていません。", "exception"),
    ("ja", "配達完了と表示されていますが、荷物が見当たりません。", "exception"),
    # ... while an invitation to call, a neighbour's delivery and someone else's signing stay as they were
    ("en", "Delivered to your front door. If you have not received it, please contact us.", "delivered"),
    ("de", "Zugestellt an den Nachbarn, aber Sie waren nicht da.", "delivered"),
    ("zh", "已签收，如未收到请联系快递员。", "delivered"),
    ("es", "Entregado pero el cliente no estaba, dejado con el vecino.", "delivered"),
]
NEVER_DELIVERED = [(lang, text) for lang, text, milestone in WANT if milestone == "exception"]

test_sentences_are_written_not_corpus, test_new_phrase_families, test_never_delivered = phrase_checks(
    WANT, NEVER_DELIVERED)

# under a specific delivered status code the dispute still reads as one: the code says what the recipient disputes
test_under_a_delivered_code = delivered_code_check([
    ("It shows as delivered but I never received it.", "exception"),
    ("物流显示已签收，但是我没有收到快递。", "exception"),
])
