"""Real deliveries the guard read wrong (fix36, issue 15), on written sentences:

- delivered *to* the address the recipient gave ("the address you gave us", "die von Ihnen angegebene Adresse",
  "l'adresse que vous avez indiquée", "la dirección que indicaste", "o endereço informado"): `delivered`, not the
  address problem `exception`; an address given that is incomplete or wrong stays a problem;
- handed or given to a neighbour ("handed to your neighbour", "an Ihren Nachbarn übergeben", "afgegeven bij de buren",
  "remis à votre voisin"): `delivered` (DESIGN.md section 5: delivery to a neighbour stays delivered), not the
  carrier's first scan `picked_up`; a hand-over that did not happen stays non-delivered;
- delivered to a neighbour and the recipient told by SMS/e-mail ("nous vous avons prévenu par SMS"): `delivered`, not a
  delivered message (`unknown`); a delivered SMS itself stays `unknown`;
- delivered to a neighbour and a card left telling where it is: `delivered`, not a failed attempt.

Sentences written for this test, none a corpus line (checked below).
"""

from __future__ import annotations

from tests.tracking.written import phrase_checks

WANT = [
    # the address the recipient gave, delivered to
    ("en", "Your parcel was delivered to the address you gave us", "delivered"),
    ("en", "We delivered your order to the address you provided at checkout.", "delivered"),
    ("en", "The package has been delivered to the address you entered.", "delivered"),
    ("de", "Ihr Paket wurde an die von Ihnen angegebene Adresse zugestellt.", "delivered"),
    ("fr", "Votre colis a été livré à l'adresse que vous avez indiquée.", "delivered"),
    ("es", "Tu paquete fue entregado en la dirección que indicaste.", "delivered"),
    ("pt", "Seu pacote foi entregue no endereço informado.", "delivered"),
    # handed or given to a neighbour
    ("en", "Your parcel has been handed to your neighbour", "delivered"),
    ("en", "Your package was given to a neighbor this afternoon.", "delivered"),
    ("en", "The driver handed your parcel over to your next-door neighbour.", "delivered"),
    ("de", "Ihr Paket wurde an Ihren Nachbarn übergeben.", "delivered"),
    ("nl", "Uw pakket is afgegeven bij de buren.", "delivered"),
    ("fr", "Votre colis a été remis à votre voisin.", "delivered"),
    # delivered to a neighbour, the recipient told by SMS / e-mail
    ("fr", "Votre colis a été livré chez votre voisin, nous vous avons prévenu par SMS", "delivered"),
    ("fr", "Colis livré chez un voisin ; nous vous avons informé par e-mail.", "delivered"),
    ("en", "Delivered to your neighbour at number 8, we have notified you by SMS.", "delivered"),
    # delivered to a neighbour, a card left telling where it is
    ("en", "Delivered to your neighbour at number 14; we left a card", "delivered"),
    ("en", "Your parcel was left with your neighbour and we left a card through your door.", "delivered"),
    ("en", "Handed to a neighbour, the driver left a card to tell you which one.", "delivered"),
]

NEVER_DELIVERED = [
    # an address given that is a problem, no delivery
    ("en", "The address you gave us is incomplete, your parcel could not be delivered."),
    ("de", "Die von Ihnen angegebene Adresse ist falsch, die Sendung konnte nicht zugestellt werden."),
    ("fr", "L'adresse que vous avez indiquée est incomplète, colis non livré."),
    # a hand-over to a neighbour that did not happen
    ("de", "Ihr Paket konnte leider nicht an den Nachbarn übergeben werden."),
    ("en", "Your parcel could not be handed to your neighbour."),
    ("en", "We were unable to give your package to a neighbour, we left a card."),
    ("fr", "Votre colis n'a pas pu être remis à votre voisin."),
    # a hand-over to a neighbour still to come, possible or asked: none done
    ("en", "Your parcel will be handed to your neighbour tomorrow."),
    ("en", "If nobody is home, your package may be given to a neighbour."),
    ("en", "Can your parcel be handed over to your neighbour?"),
    ("en", "Your parcel is being handed to a neighbour."),
    # a card without a delivery: a failed attempt
    ("en", "Nobody was home, we left a card with the depot's opening hours."),
    # a locker, a point, a third party holding it, a return
    ("en", "Your parcel was handed to the neighbourhood parcel locker."),
    ("zh", "您的快件已由门卫代签，请及时领取"),
    ("zh", "快件已放前台，请凭取件码领取"),
    ("en", "Handed to your neighbour for return to sender."),
    # a delivered message, not the parcel
    ("en", "Your SMS was delivered."),
    ("fr", "Le SMS a été livré, nous vous avons prévenu par e-mail."),
    ("en", "We have notified you by SMS: your parcel will be delivered to your neighbour tomorrow."),
]

test_sentences_are_written_not_corpus, test_new_phrase_families, test_never_delivered = phrase_checks(
    WANT, NEVER_DELIVERED)
