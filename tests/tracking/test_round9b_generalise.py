"""Round 9, packs9b half (issue 15): general forms that must hold on sentences from carriers the rules never saw.

Every sentence here is written for the test: none is a corpus text (dev or any frozen slice), which the last test
checks. Each family must read its meaning, and no non-delivery may come out `delivered`.
"""

from __future__ import annotations

import pytest

from edge.tracking import corpus_eval as ce
from edge.tracking.classify import Classifier

# --- Spanish, German, French, Dutch, Portuguese (packs9b) -------------------------------------------------------
ROMANCE_GERMANIC = [
    # negation with words between, and the periphrastic futures and modals: never a delivery
    ("fr", "Votre commande ne sera pas livrée ce soir", "delivery_failed"),
    ("fr", "Le paquet n'a toujours pas été livré", "delivery_failed"),
    ("fr", "Votre envoi va être livré en fin de semaine", "in_transit"),
    ("fr", "Le colis doit être livré avant jeudi", "in_transit"),
    ("fr", "Votre paquet devrait être distribué mardi", "in_transit"),
    ("fr", "Votre commande sera remise en main propre au destinataire", "in_transit"),
    ("es", "Su envío no será entregado hasta el lunes", "delivery_failed"),
    ("es", "El paquete va a ser entregado por la tarde", "in_transit"),
    ("es", "Tu compra debe ser entregada antes del viernes", "in_transit"),
    ("es", "Su pedido todavía no ha sido entregado", "unknown"),
    ("pt", "A encomenda não será entregue no sábado", "delivery_failed"),
    ("pt", "O pacote vai ser entregue na próxima semana", "in_transit"),
    ("pt", "Seu objeto deverá ser entregue até quarta-feira", "in_transit"),
    ("nl", "Het pakketje moet morgen bezorgd worden", "in_transit"),
    ("de", "Das Päckchen wird demnächst geliefert", "in_transit"),
    # a forecast of the day is in transit; the courier on the way is out for delivery
    ("de", "Deine Bestellung kommt heute zwischen 10 und 13 Uhr", "in_transit"),
    ("de", "Der Paketbote ist jetzt unterwegs zu Ihnen", "out_for_delivery"),
    ("fr", "Bonne nouvelle, votre paquet arrive aujourd'hui", "in_transit"),
    ("fr", "Le livreur est en chemin avec votre commande", "out_for_delivery"),
    ("es", "Buenas noticias: tu compra llega hoy", "in_transit"),
    ("es", "Tu envío salió para reparto esta mañana", "out_for_delivery"),
    ("nl", "Goed nieuws, je bestelling komt vandaag", "in_transit"),
    ("pt", "A sua encomenda chega amanhã", "in_transit"),
    ("pt", "O estafeta já está a caminho da sua morada", "out_for_delivery"),
    # failed attempts worded by the carrier in the first person or impersonally
    ("de", "Leider konnten wir Ihr Päckchen heute nicht zustellen", "delivery_failed"),
    ("de", "Zustellung heute nicht möglich", "delivery_failed"),
    ("fr", "Nous n'avons pas pu remettre votre colis ce matin", "delivery_failed"),
    ("fr", "La livraison de votre commande a échoué", "delivery_failed"),
    ("es", "No hemos podido entregar su paquete hoy", "delivery_failed"),
    ("es", "Entrega fallida por ausencia", "delivery_failed"),
    ("nl", "Het is ons niet gelukt... het lukt vandaag helaas niet om je pakje te bezorgen", "delivery_failed"),
    ("pt", "A entrega não pôde ser realizada hoje", "delivery_failed"),
    ("pt", "Tentativa de entrega sem sucesso às 14h", "delivery_failed"),
    # announced or planned deliveries
    ("de", "Die Lieferung ist für Donnerstag geplant", "in_transit"),
    ("fr", "Livraison prévue demain matin", "in_transit"),
    ("es", "Entrega prevista el martes", "in_transit"),
    ("pt", "Previsão de entrega: 3 dias úteis", "in_transit"),
    ("nl", "Verwachte bezorging tussen 18:00 en 21:00", "in_transit"),
    # the sender's side before the carrier has it
    ("de", "Der Händler hat Ihre Sendung angekündigt", "label_created"),
    ("de", "Ihr Päckchen wird für den Versand vorbereitet", "label_created"),
    ("fr", "Le vendeur prépare actuellement votre commande", "label_created"),
    ("fr", "Votre paquet a été annoncé par l'expéditeur", "label_created"),
    ("es", "Recogida programada para mañana", "label_created"),
    ("es", "Pedido confirmado, lista para despacho", "label_created"),
    ("nl", "Je bestelling wordt nu ingepakt", "label_created"),
    ("pt", "Pronto para despacho", "label_created"),
    ("pt", "Pedido em processamento no armazém do vendedor", "label_created"),
    # the carrier takes it: a named carrier or the courier at the sender
    ("de", "Das Paket wurde an GLS übergeben", "picked_up"),
    ("fr", "Votre colis a été remis à Chronopost", "picked_up"),
    ("fr", "Enlèvement effectué chez le vendeur", "picked_up"),
    ("es", "La recolección fue exitosa", "picked_up"),
    ("es", "El mensajero ha recogido el paquete", "picked_up"),
    ("nl", "Het pakket is ontvangen door DPD", "picked_up"),
    ("pt", "A sua encomenda foi enviada à transportadora", "picked_up"),  # round 23: a bare shop "foi enviada" mail is label_created (FROZEN.md)
    # a collection announced but not handed over is still the label stage (round 8's guard)
    ("nl", "Pakket aangemeld maar nog niet ontvangen door de vervoerder", "label_created"),
    ("fr", "Votre colis est prêt à être expédié, il va être remis à Colissimo", "label_created"),
    # deliveries: a neighbour, in person, the recipient collecting, the app's words
    ("de", "Ihr Päckchen wurde an Ihren Nachbarn übergeben", "delivered"),
    ("de", "Zustellung war erfolgreich", "delivered"),
    ("de", "Du hast dein Paket in der Filiale abgeholt", "delivered"),
    ("fr", "Votre paquet a été remis à votre voisin", "delivered"),
    ("fr", "Vous avez bien retiré votre paquet", "delivered"),
    ("nl", "Je hebt je pakje opgehaald bij het servicepunt", "delivered"),
    ("nl", "Het pakket is overhandigd aan de geadresseerde", "delivered"),
    ("pt", "O seu pacote chegou!", "delivered"),
    # a pickup point's keeper is a point; a point that refuses or is full is an exception
    ("fr", "Votre colis a été remis à l'accueil de la résidence", "available_for_pickup"),
    ("fr", "Colis refusé par le commerçant du point relais", "exception"),
    ("fr", "La consigne est pleine, dépôt impossible", "exception"),
    ("nl", "Je pakket is beschikbaar op het afhaalpunt", "available_for_pickup"),
    ("de", "Die Lagerfrist in der Filiale ist abgelaufen", "exception"),
    # address problems, refusals, cancellations, damage
    ("de", "Wegen eines Adressfehlers konnte das Paket nicht geliefert werden", "exception"),
    ("de", "Das Etikett ist nicht lesbar", "exception"),
    ("fr", "L'adresse indiquée est incomplète", "exception"),
    ("es", "La dirección es incorrecta", "exception"),
    ("nl", "Zending niet bezorgd, verkeerde postcode", "exception"),
    ("pt", "Endereço insuficiente para a entrega", "exception"),
    ("es", "Envío rechazado por el destinatario en la puerta", "delivery_failed"),
    ("pt", "Encomenda recusada pelo destinatário", "delivery_failed"),
    ("nl", "De zending is geweigerd door de ontvanger", "delivery_failed"),
    ("fr", "Votre commande a été annulée par le marchand", "exception"),
    ("nl", "De verzending is geannuleerd", "exception"),
    ("nl", "Pakket vernietigd na beschadiging", "exception"),
    ("de", "Die Ware wurde entsorgt", "exception"),
    # returns, customs, hubs
    ("nl", "Het pakket gaat retour naar de webwinkel", "return_started"),
    ("nl", "Retourzending is afgeleverd bij de webwinkel", "returned"),
    ("fr", "Votre paquet a été renvoyé à votre vendeur", "returned"),
    ("es", "Tu paquete está regresando al remitente", "return_started"),
    ("pt", "Encomenda retornando ao vendedor", "return_started"),
    ("de", "Die Verzollung wurde abgeschlossen", "customs_cleared"),
    ("fr", "Votre colis est en cours de dédouanement", "customs_started"),
    ("pt", "Pacote retido na alfândega de Curitiba", "customs_held"),
    ("pt", "Liberado pela alfândega", "customs_cleared"),
    ("nl", "Invoeraangifte is afgerond", "customs_cleared"),
    ("de", "Ankunft im Verteilzentrum Hamburg", "arrived_at_hub"),
    ("de", "Das Paket ist im Zustelldepot eingegangen", "arrived_at_hub"),
    ("de", "Der Flug ist abgeflogen", "departed_hub"),
    ("es", "El avión despegó hacia Madrid", "departed_hub"),
    ("pt", "Saiu da unidade de tratamento", "departed_hub"),
    ("nl", "Pakket is op transport gezet naar het depot", "departed_hub"),
    ("es", "Tu compra está en nuestro almacén", "arrived_at_hub"),
    # second batch, written after the first had been fixed and run once before any fix of its own (62/73 right, 0
    # false delivered): politeness forms and the carrier speaking in the first person plural
    ("de", "Wir haben Ihr Paket beim Absender abgeholt", "picked_up"),
    ("de", "Ihre Sendung wurde vom Paketdienst übernommen", "picked_up"),
    ("de", "Ihre Sendung ist im Zielland angekommen", "arrived_at_hub"),
    ("de", "Ihr Paket liegt in Ihrer Postfiliale bereit", "available_for_pickup"),
    ("de", "Ihr Paket wurde in Ihren Briefkasten gelegt", "delivered"),
    ("de", "Wir haben Ihr Paket bei Ihrem Nachbarn abgegeben", "delivered"),
    ("de", "Ihr Paket wurde vor der Haustür abgestellt", "delivered"),
    ("de", "Ihr Paket befindet sich im Zustellfahrzeug", "out_for_delivery"),
    ("de", "Die Sendung wurde zur Abholung in die Filiale gebracht", "available_for_pickup"),
    ("de", "Ihr Paket wird zurück an den Absender geschickt", "return_started"),
    ("de", "Wir haben Sie leider nicht angetroffen", "delivery_failed"),
    ("de", "Die Sendung hat das Start-Paketzentrum verlassen", "departed_hub"),
    ("de", "Die Sendung ist auf dem Weg ins Zielland", "in_transit"),
    ("de", "Die Sendung ist leider verloren gegangen", "exception"),
    ("de", "Ihr Paket ist beschädigt angekommen", "exception"),
    ("de", "Die Sendung wird beim Zoll festgehalten, bitte Unterlagen nachreichen", "customs_held"),
    ("de", "Annahme der Sendung wurde verweigert", "delivery_failed"),
    ("de", "Ihr Versandetikett wurde erstellt", "label_created"),
    ("fr", "Nous avons récupéré votre colis chez l'expéditeur", "picked_up"),
    ("fr", "Votre colis poursuit son acheminement", "in_transit"),
    ("fr", "Votre colis est arrivé dans notre agence", "arrived_at_hub"),
    ("fr", "Votre colis a quitté notre agence de Lyon", "departed_hub"),
    ("fr", "Votre colis vous attend dans votre point relais", "available_for_pickup"),
    ("fr", "Votre colis est disponible en consigne", "available_for_pickup"),
    ("fr", "Votre colis a été déposé dans votre boîte aux lettres", "delivered"),
    ("fr", "Votre colis a été livré à votre voisin M. Martin", "delivered"),
    ("fr", "Vous étiez absent lors de notre passage", "delivery_failed"),
    ("fr", "Avis de passage déposé, destinataire absent", "delivery_failed"),
    ("fr", "Votre colis est en cours de retour vers l'expéditeur", "return_started"),
    ("fr", "Votre colis a été endommagé pendant le transport", "exception"),
    ("fr", "Votre colis est bloqué", "exception"),
    ("fr", "Votre colis est bloqué en douane, des documents sont nécessaires", "customs_held"),
    ("fr", "Votre étiquette a été créée", "label_created"),
    ("fr", "Votre colis est chez le livreur, il sera livré aujourd'hui", "out_for_delivery"),
    ("es", "Hemos recogido tu paquete en la tienda", "picked_up"),
    ("es", "Tu envío ha llegado a nuestras instalaciones", "arrived_at_hub"),
    ("es", "Tu envío ha salido de nuestras instalaciones", "departed_hub"),
    ("es", "Tu paquete te espera en el punto de recogida", "available_for_pickup"),
    ("es", "Ya puedes recoger tu envío en la oficina", "available_for_pickup"),
    ("es", "Hemos entregado tu paquete", "delivered"),
    ("es", "Tu envío ha sido entregado a un vecino", "delivered"),
    ("es", "No había nadie en el domicilio", "delivery_failed"),
    ("es", "Destinatario ausente, se dejó aviso", "delivery_failed"),
    ("es", "Tu paquete ha sufrido un retraso", "exception"),
    ("es", "El paquete llegó dañado", "exception"),
    ("es", "Tu envío está en trámite aduanero", "customs_started"),
    ("es", "Hemos recibido los datos de tu envío", "label_created"),
    ("es", "El repartidor llevará tu paquete hoy", "out_for_delivery"),
    ("pt", "Recebemos a sua encomenda", "unknown"),
    ("pt", "A sua encomenda chegou ao centro de distribuição", "arrived_at_hub"),
    ("pt", "O objeto saiu do centro de distribuição", "departed_hub"),
    ("pt", "A sua encomenda está à sua espera no ponto de recolha", "available_for_pickup"),
    ("pt", "Entregámos a sua encomenda", "delivered"),
    ("pt", "A sua encomenda foi entregue ao vizinho", "delivered"),
    ("pt", "Não havia ninguém em casa", "delivery_failed"),
    ("pt", "Destinatário ausente na morada", "delivery_failed"),
    ("pt", "A sua encomenda sofreu um atraso", "exception"),
    ("pt", "A sua encomenda aguarda pagamento de direitos aduaneiros", "customs_held"),
    ("pt", "Os dados do envio foram recebidos", "label_created"),
    ("pt", "A sua encomenda está com o estafeta", "out_for_delivery"),
    ("nl", "We hebben je pakket opgehaald bij de afzender", "picked_up"),
    ("nl", "Je pakket is aangekomen in ons sorteercentrum", "arrived_at_hub"),
    ("nl", "Je pakket heeft het sorteercentrum verlaten", "departed_hub"),
    ("nl", "Je pakket ligt klaar om op te halen", "available_for_pickup"),
    ("nl", "We hebben je pakket bij de buren afgegeven", "delivered"),
    ("nl", "Je pakket is in je brievenbus bezorgd", "delivered"),
    ("nl", "We hebben je niet thuis getroffen", "delivery_failed"),
    ("nl", "Er was niemand thuis", "delivery_failed"),
    ("nl", "Je pakket is vertraagd", "exception"),
    ("nl", "Je pakket is beschadigd", "exception"),
    ("nl", "Je pakket wordt teruggestuurd naar de afzender", "return_started"),
    ("nl", "We hebben de gegevens van je zending ontvangen", "label_created"),
    ("nl", "De bezorger heeft je pakket bij zich", "out_for_delivery"),
    # non-deliveries that carry delivery words (a probe of 26 such sentences found 5 read delivered; these are they,
    # and two neighbours of them)
    ("fr", "Colis prêt à être remis au destinataire", "in_transit"),
    ("de", "Zustellung an Nachbarn erlaubt", "unknown"),
    ("fr", "Livraison chez un voisin autorisée", "unknown"),
    ("nl", "Afleveren bij de buren toegestaan", "unknown"),
    ("pt", "Retirada na agência a partir de amanhã", "unknown"),
    ("es", "Entrega a un vecino autorizada", "unknown"),
    ("pt", "Objeto disponível para retirada na agência", "available_for_pickup"),
    # third batch (43, first run 38 right, five replaced afterwards as they were corpus texts; one false delivery found, 'disponível para retirada na agência', a round-7
    # phrase that took the noun 'retirada' for the participle): status words in capitals, dates, tracking numbers
    ("es", "Se ha entregado tu pedido", "delivered"),
    ("es", "PAQUETE ENTREGADO AL DESTINATARIO EL 12/03", "delivered"),
    ("es", "Tu pedido JD0123456789 está en reparto", "out_for_delivery"),
    ("es", "Intento de entrega: no se encontró al destinatario", "delivery_failed"),
    ("es", "Tu paquete continúa en tránsito hacia Valencia", "in_transit"),
    ("es", "El envío será devuelto al remitente", "return_started"),
    ("es", "Tu paquete está disponible para retirar en sucursal", "available_for_pickup"),
    ("es", "El envío presenta una incidencia", "exception"),
    ("es", "Envío creado, pendiente de recogida por el transportista", "label_created"),
    ("fr", "COLIS LIVRÉ LE 12/03", "delivered"),
    ("fr", "Colis distribué le 12/03 à 10h32", "delivered"),
    ("fr", "Votre colis 6A12345678901 est en cours de livraison aujourd'hui", "out_for_delivery"),
    ("fr", "Destinataire injoignable, nouvelle tentative demain", "delivery_failed"),
    ("fr", "Un incident est survenu lors de l'acheminement", "exception"),
    ("fr", "Votre colis est arrivé dans votre point de retrait", "available_for_pickup"),
    ("fr", "Votre colis sera retourné à l'expéditeur", "return_started"),
    ("fr", "Votre colis est en transit vers le site de livraison", "in_transit"),
    ("de", "SENDUNG ZUGESTELLT AM 12.03.", "delivered"),
    ("de", "Die Sendung wurde am 12.03. um 10:32 Uhr zugestellt", "delivered"),
    ("de", "Ihr Paket 00340434161234567890 ist in Zustellung", "out_for_delivery"),
    ("de", "Zustellversuch nicht erfolgreich, Benachrichtigungskarte hinterlassen", "delivery_failed"),
    ("de", "Ihr Paket kann ab morgen 10 Uhr in der Packstation 123 abgeholt werden", "available_for_pickup"),
    ("de", "Die Sendung wird an den Versender zurückgeschickt", "return_started"),
    ("de", "Es gibt ein Problem mit Ihrer Sendung", "exception"),
    ("de", "Der Absender hat das Paket angemeldet, es ist aber noch nicht bei uns", "label_created"),
    ("de", "Die Sendung wird zum Zielpaketzentrum transportiert", "in_transit"),
    ("nl", "PAKKET BEZORGD OM 10:32", "delivered"),
    ("nl", "Je pakket is om 10:32 bezorgd", "delivered"),
    ("nl", "Je pakket 3SABCD1234567 is onderweg met de bezorger", "out_for_delivery"),
    ("nl", "Niemand thuis, we proberen het morgen opnieuw", "delivery_failed"),
    ("nl", "Je pakket ligt voor je klaar bij de Primera", "available_for_pickup"),
    ("nl", "Je pakket wordt teruggestuurd naar de webwinkel", "return_started"),
    ("nl", "Er is iets misgegaan met je pakket", "exception"),
    ("nl", "Je pakket wordt gesorteerd", "in_transit"),
    ("pt", "ENTREGUE AO DESTINATÁRIO", "delivered"),
    ("pt", "Objeto entregue em 12/03 às 10:32", "delivered"),
    ("pt", "Objeto saiu para entrega ao destinatário em São Paulo", "out_for_delivery"),
    ("pt", "O carteiro não foi atendido na morada", "delivery_failed"),
    ("pt", "Objeto disponível para retirada na agência", "available_for_pickup"),
    ("pt", "O objeto será devolvido ao remetente", "return_started"),
    ("pt", "Houve um problema com a sua encomenda", "exception"),
    ("pt", "Objeto em trânsito para a unidade de distribuição", "in_transit"),
    ("pt", "Etiqueta emitida, aguardando postagem", "label_created"),
]


@pytest.fixture(scope="module")
def clf() -> Classifier:
    return Classifier(fallback=False)  # the round's rules (the learned fallback guesses behind them)


@pytest.mark.parametrize(("lang", "text", "want"), ROMANCE_GERMANIC,
                         ids=[f"{c[0]}-{c[2]}-{i}" for i, c in enumerate(ROMANCE_GERMANIC)])
def test_round9_romance_germanic_family_reads_its_meaning(clf: Classifier, lang: str, text: str, want: str) -> None:
    got = clf.classify(text).milestone
    assert got == want, f"{lang}: {text!r} -> {got}"


def test_round9_romance_germanic_cases_cover_their_languages() -> None:
    assert {c[0] for c in ROMANCE_GERMANIC} == {"de", "fr", "es", "nl", "pt"}


def test_no_round9_romance_germanic_non_delivery_reads_delivered(clf: Classifier) -> None:
    wrong = [t for _, t, want in ROMANCE_GERMANIC if want != "delivered" and clf.classify(t).milestone == "delivered"]
    assert not wrong


def test_no_round9_case_is_a_corpus_text() -> None:
    corpus = set()
    later = {path for n, (path, _) in ce.SLICES.items() if n >= 8}
    for path in sorted(ce.CORPUS.glob("*.jsonl")):
        if path in later:
            continue  # slices collected after round 9 were not there to check against
        corpus |= {str(r["text"]).casefold() for r in ce.load(path, labelled_only=False)}
    assert not {t.casefold() for _, t, _ in ROMANCE_GERMANIC} & corpus
