"""The guard pass: an answer's re-reading by what the whole text says (DESIGN.md section 5, last paragraphs).

A rule, a status code or the keyword stage reads one word ("delivered", "pickup point", "returned"); the text around
it may say the opposite. The pass re-reads an answer with one ordered table of named readings, ``READINGS`` at the
end of this module. Each reading has a name (what it means: ``counter_delivery``, ``collection_expired``,
``waiting_at_point``, ``recorded_request`` ...), the answers it re-reads (its stage, the origin of the answer, the
milestones), what it reads in the text and what it returns. ``reread(text, seen)`` applies it; classify.py calls it
through one method (``Classifier._reread``) where an answer is formed. ADR docs/decisions/0037-one-guard-pass.md.

The order (the table is walked top to bottom; within a stage the first reading that speaks wins):

1. ``word``: what the word of a text rule or of a `delivered` status code means here. A rule's `delivered` is
   re-read by ``guard_delivered`` (below); its other milestones by one reading each (a refusal now going back, a
   return announced, a pickup announced for later, a step not finished ...). A delivered code is re-read by the
   same delivered guard, once, before a rule and a code are weighed against each other.
2. ``scene``: the scene around the answer a rule's word stage left (and a delivered code's, when its word stage
   left it `delivered`): a request recorded, a delivery to a point announced, awaiting collection, a store or shop,
   a point that did not take it. Not over a rule ``collected`` (nor a code beside one).
3. ``final``: the answer that stands, whatever gave it (a rule, a code, the keyword stage; never a staff label): a
   collection period that ran out, a delivery to a counter or branch. Not in a condition ("if the holding period
   has expired").

`delivered` stands only for an explicit collection or signing by the recipient (or a specific code). No reading
returns `delivered`. ``guard_delivered`` (its order, in every language of the packs) and the words it reads are
in edge/tracking/delivered_guard.py.

The condition, negation, future and request words a reading shares with the keyword stage live in
edge/tracking/cues.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Literal

from edge.tracking import cues
from edge.tracking.customs_guard import GOES_BACK, customs_hold, domestic_fiscal
from edge.tracking.delivered_elsewhere import (
    RETURN,
    forwarded,
    going_back,
    return_ahead,
    return_under_way,
    sender_took,
)
from edge.tracking.delivered_guard import guard_delivered
from edge.tracking.delivered_not_done import (
    SERVICE_QUESTION,
    chosen,
    conditional,
    corrected,
    courier_arrived,
    later_point,
    not_collected,
    not_finished,
    not_handed_over,
    not_out,
    not_yet,
    unsuccessful,
    waiting_pickup,
)
from edge.tracking.fold import folded_re
from edge.tracking.rules import MILESTONES

# The scene around a rule's or a delivered code's answer (the `scene` readings at the end of this module):
# awaiting collection, a delivery to a store or shop, a delivery to a point announced, a request recorded.
# None of them returns `delivered`.
# "awaiting collection" (by the recipient): the parcel waits at a point, whatever word reached it
_AWAITING_COLLECTION = folded_re(r"(?:awaiting|waiting for|ready for|waits for) (?:your |the |its )?(?:collection|pick ?up)\b|"
                    r"waiting (?:for you )?to be (?:collected|picked up)|"
                    r"(?:等待|等候)(?:您|客户|收件人)?(?:前来)?(?:取件|领取|自提)|お受け取りを(?:お)?待ち")
# the sender's side waits for the courier ("awaiting collection by the courier"): no point
_SENDER_SIDE = folded_re(r"(?:collection|pick ?up|collected|picked up) (?:by|from) (?:the |our |a )?(?:courier|driver|carrier|sender|shipper|merchant|seller)|待揽")
# delivered to (left at) a store or shop: a point the recipient collects from, or the sender's shop on a return
_TO_STORE = folded_re(r"(?:delivered|dropped off|left|handed over|placed) (?:\w+ ){0,2}(?:to|at|in|with) (?:the |a |an |your |our |their |one of our )?"
                 r"(?:\w+ ){0,2}(?:store|shop|retailer|retail (?:partner|outlet)|outlet|kiosk|newsagent|convenience store)s?\b|"
                 r"(?:送达|送至|送到|投递至|放至|存放(?:于|在)|放在).{0,12}(?:门店|商店|店铺|小卖部|便利店|超市)|"
                 r"(?:店舗|コンビニ|取扱店)(?:に|へ|で)(?:お届け|配達|到着)(?:しました|済み|完了)")
# arrived at a store or shop (店舗に到着しました): the recipient collects it there
_AT_STORE = folded_re(r"arrived (?:\w+ )?(?:at|in) (?:the |a |an |your )?(?:\w+ ){0,2}(?:store|shop|retailer|kiosk|newsagent)s?\b|"
                         r"(?:店舗|取扱店|コンビニ)(?:に|へ)(?:到着|届き)|(?:到达|到)(?:了)?.{0,8}(?:门店|便利店|店铺)")
_RETURN_WORD = folded_re(r"\breturn(?:ed|s|ing)?\b|back to (?:the )?(?:sender|shipper|retailer|merchant|seller)|退回|退货|退件|返送|返品")
# a delivery to a point announced (will be delivered / is being sent to an access point, delivery to it pending): on its way
_POINT_WORDS = (r"(?:pick ?up|access|service|collection|drop[ -]?off) ?point|parcel ?shop|parcel ?locker|locker|post office|pudo|"
                 r"retail (?:location|outlet)|store|shop")
_POINT_WORDS_DE = (r"packstation|postfiliale|filiale|paket[ -]?shop|paketstation|abholstation|abholstelle|annahmestelle|"
                    r"paketbox|poststation|postamt|postshop")
_POINT_ANNOUNCED = folded_re(r"(?:will|shall|to|is going to) (?:now )?(?:be )?(?:\w+ ){0,2}(?:delivered|deliver|sent|send|forwarded|forward|taken|take|"
                     r"rerouted|redirected|transferred|brought) (?:\w+ ){0,4}to (?:the |a |an |your |their |our |another |(?:\w+'s?) )?"
                     rf"(?:[\w']+ ){{0,4}}(?:{_POINT_WORDS})|"
                     rf"(?:delivery|redirect|reroute|transfer)s? to (?:the |a |an |another )?(?:[\w']+ ){{0,4}}(?:{_POINT_WORDS})(?: \w+)? (?:is |are )?pending|"
                     rf"(?:being |was |has been |been )?(?:sent|sending|taking|bringing|rerouted|reroute|on (?:its|the) way) (?:on )?to (?:the |a |an |your |their |another |(?:\w+'s?) )?"
                     rf"(?:[\w']+ ){{0,4}}(?:{_POINT_WORDS})|"
                     r"(?:将|会)(?:被)?(?:派送|送|投递|转寄|转运)(?:至|到).{0,12}(?:自提点|驿站|快递柜|代收点|代理点|门店|便利店)|"
                     r"(?:正在|已)(?:转寄|转运|转送)(?:至|到).{0,12}(?:自提点|驿站|快递柜|代收点|代理点)|"
                     r"(?:営業所|コンビニ|宅配ボックス|店舗|郵便局)(?:へ|に)(?:お届けします|配達します|転送します|転送いたします|お届け予定)|"
                     # packs14c: de (and fr/es/pt/nl, the same shape): on the way to a point, or to be brought there
                     # ("auf dem Weg zur PACKSTATION" is in_transit, the point is a destination ahead)
                     rf"auf dem weg (?:zur|zum|in die|an die) (?:\w+ ){{0,2}}(?:{_POINT_WORDS_DE})|"
                     rf"\bwird (?:\w+ ){{0,3}}(?:zur|zum|in die|in eine|an die|an eine|an den) (?:\w+ ){{0,2}}(?:{_POINT_WORDS_DE})\w* "
                     r"(?:\w+ ){0,2}(?:geliefert|gebracht|zugestellt|weitergeleitet|umgeleitet|gesendet|geschickt|transportiert)\b|"
                     r"en (?:route|chemin|cours d'acheminement) vers (?:le |la |l'|un |une |votre )?(?:point relais|relais|bureau de poste|"
                     r"consigne|locker|point (?:de )?retrait)|"
                     # packs18a: Chronopost's "en cours de livraison au point de retrait" (the courier's run to the
                     # point, before "mis à disposition"): in_transit, the point lies ahead
                     r"en cours de livraison (?:au |vers (?:le |votre )?)(?:point relais|relais|point (?:de )?retrait|"
                     r"consigne|locker)|"
                     r"(?:de camino|en camino|en ruta) (?:al|a la|a un|a una|hacia el|hacia la) (?:punto de (?:recogida|entrega)|oficina|"
                     r"locker|tienda|punto pack)|"
                     r"a caminho (?:do|da|de um|de uma) (?:ponto de (?:recolha|entrega)|ponto pickup|loja|locker|cacifo)|"
                     r"onderweg naar (?:het |de |een |uw )?(?:\w+ ){0,2}(?:pakketpunt|servicepunt|afhaalpunt|pakketautomaat|postkantoor|pick ?up ?point)")
# handed on to a partner carrier, an airline or a shipping company: a link of the chain, not the first scan
_ONWARD = folded_re(r"handed (?:over )?to (?:an? |the |another )?(?:\w+ )?(?:partner carrier|other carrier|another carrier|airline|"
                  r"shipping company|shipping line|island carrier|local carrier|delivery carrier|onward carrier)|转交(?:航空公司|干线|承运商)|"
                  # round 15 (packs15a): handed to the carrier and already moving on ("remis au transporteur et est en
                  # route vers vous", "coletado no ponto e em deslocamento"); "pris en charge ... Il est en cours
                  # d'acheminement" stays picked_up (its dev label)
                  r"remis au transporteur et (?:il )?est (?:en route|en cours d'acheminement)|"
                  r"(?:coletad[oa]|postad[oa])\b.{0,60}? e em (?:tr[aâ]nsito|deslocamento)|"
                  # round 16 (packs16a): a hand-over to the carrier said together with the journey that follows
                  # ("entregue aos Correios e a caminho de você", "entregado al courier y se encuentra en ruta",
                  # "overgedragen aan de bezorgdienst en onderweg naar jou")
                  r"entregue (?:aos|ao|à|a) (?:correios|transportadora)\b.{0,40}? e (?:já )?(?:est[aá] )?a caminho|"
                  r"entregad[oa] al (?:courier|transportista|mensajero)\b.{0,40}? y (?:se encuentra|est[aá]|va) en (?:ruta|camino)|"
                  r"overgedragen aan .{0,40}? en (?:is )?(?:nu )?onderweg")
# round 13 (slice 10): taken out of a locker or point to go on ("zum Weitertransport aus der PACKSTATION entnommen"),
# not collected by the recipient: the chain goes on
_GOES_ON = folded_re(r"zum weitertransport|zur weiterleitung|for onward (?:transport|shipment|dispatch|forwarding)|for forwarding|"
               r"pour (?:son |la )?(?:acheminement|reexpedition|suite de l'acheminement)|"
               r"para (?:su |seu )?(?:reexpedicion|reenvio|reencaminhamento|transporte posterior)|"
               r"voor (?:verder|verdere) (?:transport|verzending)|以便转运|转运至|転送のため")
# the courier on the way to collect from the sender: no parcel at a point yet
_TO_COLLECT = folded_re(r"(?:en ?route|on (?:its|the|their) way|dispatched|driving|heading) to (?:the )?(?:pick ?up|collect\w*)\b|"
                      r"dispatched (?:a |the )?(?:vehicle|driver|courier|van) to (?:collect|pick)")
# a point that could not take it, or a delivery there that failed: a failed delivery, or an exception (not eligible)
_POINT_FAILED = folded_re(r"(?:not|n't) (?:\w+ )?delivered|unsuccessful|unable to (?:accept|receive|take)|could not be made|"
                        r"(?:was|is) (?:closed|full)|location closed")
_POINT_REFUSED = folded_re(r"not (?!yet)(?:\w+ )?(?:available|eligible|ready)|unavailable|ineligible|exceeds|too (?:large|heavy|big)")
_OUT_TO_POINT = folded_re(r"out for delivery to (?:the |a |an |your )?(?:[\w']+ ){0,3}(?:pick ?up|access|service|collection) ?point|"
               r"out for delivery to (?:the |a |an |your )?(?:[\w']+ ){0,3}(?:parcel ?shop|locker)")
# ...unless the text says it is there already (ready, available, can be collected now)
_THERE_NOW = folded_re(r"\b(?:is|are|now) (?:\w+ )?(?:ready|available) (?:for|to)|can (?:now )?be (?:collected|picked up)|"
                 r"(?:has been|was) delivered to|arrived at|zur abholung bereit|abholbereit|kann (?:\w+ ){0,2}abgeholt werden|可(?:以)?(?:取件|领取)|已到达|お受け取りいただけます")
# a request recorded (a redelivery, a hold, a change asked for): no movement yet
_REQUEST = folded_re(r"\brequest (?:\w+ ){0,2}(?:(?:was|has been|is|have been) )?(?:recorded|registered|received|logged|noted|saved|accepted|submitted|taken)\b|"
                   r"\b(?:recorded|registered|received|logged|noted|accepted) (?:a |an |your |the )?(?:\w+ ){0,2}request\b|"
                   r"(?:申请|请求|要求)(?:已)?(?:受理|登记|记录|提交)|(?:已)?(?:受理|登记|记录)(?:了)?(?:您的)?(?:\S{0,6})(?:申请|请求)|"
                   r"(?:ご依頼|ご要望|お申し込み|お申込み|ご希望|ご依頼内容)を?(?:受け付け|承り|受付)")



# The answer that stands, re-read last (the `final` readings): a delivery to a counter or branch; a collection period
# that ran out.
# Two families, in every pack language:
# 1. delivered to a counter, post office, branch, pickup desk or parcel shop ("Delivered to counter", 已投递至营业厅待取,
#    "in der Filiale zur Abholung", "livré au guichet", "entregado en ventanilla", "entregue na agência", "afgeleverd bij
#    het servicepunt", 窓口にお届け/窓口でお預かり): the parcel waits there, `available_for_pickup`. A hand-over to the
#    recipient at that place ("delivered to the recipient at the counter", "picked up at the counter by the recipient")
#    stays `delivered`, unless the text also says it waits for them ("for the recipient to collect").
# 2. the collection (holding, storage) period or deadline ran out, not collected in time ("Prazo de retirada pelo
#    destinatário encerrado", Lagerfrist abgelaufen, délai de retrait dépassé, plazo de retiro vencido, bewaartermijn
#    verlopen, 超期未取, 保管期限切れ, "holding period expired", "not collected within"): `exception`, or
#    `return_started` when the text says it goes back to the sender; never `delivered` nor `available_for_pickup`.
#    A return already read (returned, return_started) stands: the dev corpus labels DHL's "Keine Abholung ... zum
#    Ablauf der Lagerfrist" return_started.
_AT_COUNTER = folded_re(
    # en
    r"(?:delivered|dropped off|left) (?:\w+ ){0,2}(?:to|at|in|into) (?:the |a |an |your |our )?(?:[\w-]+ ){0,3}"
    r"(?:counter|branch|post office|pick ?up desk|collection desk|service desk|parcel ?shop|collection point|pick ?up point)s?\b|"
    # zh
    r"(?:投递至|投递到|送达|送至|送到|放至|存放(?:于|在))(?:[^，。,；;]{0,10})营业(?:厅|部)|"
    r"(?:投递至|投递到|送达|送至|送到|放至|存放(?:于|在))(?:[^，。,；;]{0,10})(?:网点|服务点)[，,\s]{0,2}(?:待取|待领取|自取|待自提)|"
    # de
    r"(?:zugestellt|geliefert|ausgeliefert|eingeliefert) (?:\w+ ){0,3}(?:(?:in|an|bei) (?:die|der|den|eine|einer|einem|ihre|ihrer)|am|im|beim) (?:\w+ )?"
    r"(?:filiale|postfiliale|paketshop|postschalter|schalter|abholstelle|poststelle)\b|"
    r"(?:in|an|bei) (?:die|der|den|eine|einer|einem|ihre|ihrer) (?:\w+ )?(?:filiale|postfiliale|paketshop|schalter|abholstelle|poststelle) "
    r"(?:\w+ ){0,3}(?:zugestellt|geliefert|ausgeliefert)|in der (?:\w+ )?(?:filiale|postfiliale) zur abholung|"
    # fr
    r"(?:livr|distribu|depos)\w* (?:\w+ ){0,2}(?:au|en|a la|a l'|dans (?:le|la|un|une|votre)) ?(?:\w+ ){0,2}"
    r"(?:guichet|bureau de poste|agence|comptoir|point retrait|point de retrait|relais)|"
    # es
    r"entregad[oa]s? (?:\w+ ){0,2}(?:en|a) (?:la |el |una |un |nuestra |nuestro |su )?(?:\w+ ){0,2}"
    r"(?:oficina|ventanilla|sucursal|agencia|mostrador|punto de (?:retiro|recogida))|"
    # pt
    r"entregue (?:\w+ ){0,2}(?:na|no|em|numa|num) (?:\w+ ){0,2}(?:agencia|balcao|loja|ponto de (?:retirada|coleta|recolha|levantamento))|"
    # nl
    r"(?:afgeleverd|bezorgd|geleverd) (?:\w+ ){0,2}(?:bij|op|in|aan) (?:het |de |een |uw |je )?(?:[\w-]+ ){0,2}"
    r"(?:servicepunt|postkantoor|afhaalpunt|pakketpunt|balie|ophaalpunt|postnl-punt)|"
    # round 15 (packs15a): a neighbour OR a counter, not told apart ("bezorgd bij buren/balie", "bij de buren of de
    # balie"): the counter may hold it, so it waits there (FROZEN.md slice 11), never a delivery
    r"(?:afgeleverd|bezorgd|geleverd) (?:\w+ ){0,2}bij (?:de )?buren ?(?:/|of) ?(?:de |een )?balie|"
    r"(?:bij|op|in|aan) (?:het |de |een |uw |je )?(?:[\w-]+ ){0,2}(?:servicepunt|postkantoor|afhaalpunt|pakketpunt|balie|ophaalpunt) "
    r"(?:\w+ ){0,3}(?:afgeleverd|bezorgd|geleverd)|"
    # ja
    r"窓口(?:に|へ|で)(?:お届け|配達|到着|お預かり|保管)|(?:郵便局|営業所|センター|取扱店)(?:の窓口)?で(?:お預かり|保管)"
)
# the recipient took it at that place: a hand-over, it stays delivered ...
_TO_RECIPIENT = folded_re(
    r"(?:to|by) (?:the )?(?:recipient|addressee|consignee|customer)\b|remis (?:\w+ )?au destinataire|par le destinataire|"
    r"(?:al|por el|a la) destinatari[oa]|(?:ao|pelo|a) destinatari[oa]|(?:an den|vom|durch den) empfänger|"
    r"(?:aan|door) de (?:ontvanger|geadresseerde)|收件人(?:已|本人)?(?:在|于)?.{0,10}(?:领取|取走|签收|取件)|(?<!非)本人签收|"
    r"(?:ご本人|お客様)(?:様)?(?:に|が)(?:お渡し|お受け取り)"
)
# ... unless the text says it waits for the recipient there
_FOR_PICKUP = folded_re(
    r"for (?:the )?(?:recipient|addressee|customer|you) to (?:collect|pick)|for (?:collection|pick ?up)|to be (?:collected|picked up)|"
    r"zur abholung|a retirer|pour (?:le |son |votre )?retrait|para (?:su |ser )?(?:retir|recog)|para (?:a )?(?:retirada|levantamento|ser retirad)|"
    r"(?:op|af) te halen|待取|待领取|待自提|请.{0,8}(?:领取|取件)|お受け取り(?:ください|いただけます)"
)
_EXPIRED = folded_re(
    # en
    r"(?:holding|storage|collection|pick ?up|retention|hold|keeping) (?:period|time|deadline|limit|window)s? (?:\w+ ){0,3}"
    r"(?:expired|ended|elapsed|passed|exceeded|over|ran out|lapsed|run out)|"
    r"(?:expired|exceeded|end of (?:the )?|expiry of (?:the )?) ?(?:holding|storage|collection|pick ?up|retention) (?:period|time|deadline)|"
    r"not (?:been )?(?:collected|picked up|claimed) (?:with)?in (?:the |its )?(?:time|holding|storage|collection|pick ?up|retention|allotted|given|0 days)|"
    r"not (?:been )?(?:collected|picked up|claimed) in time|"
    # zh
    r"(?:超期|逾期|超时|过期)未(?:取|领|提|被领取|被取)|(?:保管期|存放期|滞留期|取件期限|保管期限|存放期限|领取期限)(?:已)?(?:满|过|到期|超|届满)|"
    r"超过(?:了)?(?:保管|存放|取件|领取)(?:期限|时间|期)|"
    # de
    r"(?:lagerfrist|abholfrist|aufbewahrungsfrist|liegefrist|lagerzeit|aufbewahrungszeit)\w* (?:\w+ ){0,3}(?:abgelaufen|überschritten|verstrichen|beendet|vorbei|erreicht)|"
    r"(?:nach|zum) ablauf der (?:\w+ )?(?:lager|abhol|aufbewahrungs|liege)frist|(?:abgelaufen|überschritten)en? (?:lager|abhol|aufbewahrungs|liege)frist|"
    r"nicht (?:\w+ ){0,3}fristgerecht abgeholt|"
    # fr
    r"(?:delai|duree|periode) (?:de |d')(?:retrait|garde|conservation|mise a disposition|instance) (?:\w+ ){0,3}(?:expire|depasse|ecoule|termine|echu|atteint|passe)|"
    r"(?:expiration|depassement|fin) (?:du|de la) (?:delai|duree|periode) (?:de |d')(?:retrait|garde|conservation|mise a disposition|instance)|"
    r"non retire dans les (?:delais|temps)|"
    # es
    r"plazo (?:de|para) (?:\w+ ){0,2}(?:retiro|retirar|recogida|recoger|permanencia|custodia|almacenaje) (?:\w+ ){0,3}"
    r"(?:vencido|vencio|expirado|expiro|agotado|cumplido|finalizado|terminado|excedido|superado)|"
    r"(?:vencio|vencido|expiro|expirado|se agoto|finalizo|termino|supero|cumplio) (?:\w+ ){0,2}(?:el )?plazo (?:de|para) (?:\w+ ){0,2}(?:retiro|retirar|recogida|recoger|permanencia|custodia)|"
    r"no (?:fue )?(?:retirad|recogid)[oa] (?:\w+ ){0,2}(?:en|dentro del) (?:el )?plazo|(?:vencimiento|fin) del plazo de (?:retiro|recogida|permanencia|custodia)|"
    # pt
    r"prazo (?:de|para) (?:a )?(?:\w+ ){0,2}(?:retirada|levantamento|recolha|guarda|armazenagem|permanencia) (?:\w+ ){0,4}"
    r"(?:encerrado|expirado|esgotado|vencido|terminado|terminou|expirou|venceu|ultrapassado|excedido|findo|acabou|encerrou|esgotou)|"
    r"(?:expirou|venceu|terminou|esgotou|encerrou|acabou)(?:-se)? (?:\w+ ){0,2}(?:o )?prazo (?:de|para) (?:a )?(?:retirada|levantamento|recolha|guarda)|"
    r"nao (?:foi )?(?:retirad|levantad|reclamad)[oa] (?:\w+ ){0,2}(?:no|dentro do) prazo|"
    # nl
    r"(?:bewaartermijn|bewaartijd|ophaaltermijn|afhaaltermijn|bewaarperiode) (?:\w+ ){0,3}(?:verlopen|verstreken|voorbij|overschreden|afgelopen|beeindigd)|"
    r"niet (?:\w+ ){0,3}binnen de (?:\w+ )?termijn (?:\w+ ){0,2}(?:opgehaald|afgehaald)|"
    # ja
    r"保管期限(?:切れ|が切れ|を過ぎ|超過|経過|満了)|保管期間(?:経過|切れ|が過ぎ|を過ぎ|満了|超過|が経過)|(?:保管|お預かり)期限(?:が)?(?:切れ|過ぎ)"
)
# a condition, a rule of the service ("if the holding period has expired ...", "wenn die Lagerfrist abläuft"): none run
# out (the condition cues a guard reads on their own: edge/tracking/cues.py, CLAUSE)
_IF = folded_re(cues.condition_pattern())
# after the runs of slices 31 and 32 (in-sample, issue 15: "Paquete recibido en portería", "Ha llegado un paquete para
# usted en la portería", "Pakket afgegeven bij de balie" read picked_up / arrived_at_hub): received, left or arrived at
# the building's desk, concierge or porter (es portería, conserjería, recepción; pt portaria, recepção; en reception,
# front desk, concierge, porter; de Rezeption, Pförtner, Hausmeister; fr loge, gardien, conciergerie, réception; nl
# receptie, balie, conciërge, portier; ja フロント, 管理人室): a third party keeps it for the resident, as the delivered
# guard reads it under a delivered word (POINT) and dev labels "Chegou uma encomenda para você na portaria."
# `available_for_pickup`; never "upon receipt" (a la recepción de, à la réception du), a desk that was closed, or a
# sender's hand-in at a post office or carrier counter
_DESK = (r"(?:porter[ií]a|conserjer[ií]a|conserje|recepci[oó]n|portaria|recep[cç][aã]o|porteiro|zelador|reception|front desk|"
         r"concierge|doorman|porter(?:'s lodge)?|rezeption|pf[öo]rtner(?:loge)?|hausmeister|hausverwaltung|loge|gardien|"
         r"conciergerie|receptie|balie|conci[ëe]rge|portier)")
_AT_DESK = folded_re(
    r"\b(?:en (?:la |el |su )?|a la |al |na |no |à |ao |pelo |pela |(?:at|to|with|by) (?:the |your |our |a )?(?:building'?s? |hotel |apartment )?|"
    r"(?:an|bei|in) (?:der|die|dem|den|ihrer|ihrem|ihren) |am |beim |à la |au |chez (?:le |la |votre |ton )?|auprès (?:du |de la )|"
    r"bij (?:de|het|je|uw) |aan (?:de|het) )" + _DESK + r"\b|"
    r"(?:フロント|管理人室|管理人|受付窓口)(?:に|へ|で)(?:お)?(?:預け|届け|到着|保管)"
)
_DESK_NOT = folded_re(r"\b(?:a la|à la|à|a|on|upon) (?:recepci[oó]n|r[ée]ception|recep[cç][aã]o|receipt) (?:de|du|des|d'|del|da|do|of) "
                      r"(?:\w+ ){0,2}(?:colis|paquete|env[ií]o|pedido|commande|encomenda|mercadoria|produto|art[ií]culo|parcel|package|order)|"
                      r"\b(?:jusqu'(?:à|a)|dès|des|après|apres|avant) (?:la )?r[ée]ception\b|(?<!at )(?<!to )(?<!with )\b(?:à|a) r[ée]ception\b|"
                      r"\bclosed\b|geschlossen|ferm[ée]e?\b|cerrad[oa]|fechad[oa]|gesloten|post ?office|postkantoor|postamt|"
                      r"bureau de poste|oficina (?:de correos|postal)|ag[eê]ncia (?:dos )?correios|servicepunt|postnl-punt")
# after the runs of slices 31 and 32 (in-sample, issue 15: "Your package ${n} has cleared customs and is ready for pickup"
# read customs_cleared): cleared and now waiting for the recipient at a point (en "has cleared customs and is ready for
# pickup", de "hat den Zoll passiert und liegt zur Abholung bereit", fr "dédouané et disponible au point relais", es
# "despachado de aduana y listo para recoger", pt "desalfandegada e pronta para levantamento", nl "door de douane en ligt
# klaar", zh 已清关，可到自提点取件, ja 通関が完了し…お受け取りいただけます): the later state the text tells,
# `available_for_pickup`; a clearance alone stays customs_cleared
_CLEARED = folded_re(r"\bcleared\b|\breleased\b|passiert|freigegeben|verzollt|d[ée]douan[ée]|despachad[oa]|liberad[oa]|"
                     r"desalfandegad[oa]|door de douane|vrijgegeven|清关(?:完成|成功|完毕)|已清关|通関(?:が)?(?:完了|済)")
_READY_AT_POINT = folded_re(
    r"(?:ready|available) (?:for (?:you to )?(?:pick ?up|collection|collect)|to (?:be )?(?:picked up|collected))|"
    r"(?:zur abholung bereit|abholbereit|abholung bereit)|disponible (?:au|en|dans|à) (?:\w+ ){0,2}(?:point|relais|bureau|agence|consigne|casier)|"
    r"pr[eê]te?s? (?:à|a) (?:être )?(?:retir|récup)|list[oa]s? para (?:recoger|retirar|ser retirad)|disponible para (?:recoger|retirar)|"
    r"pront[oa]s? para (?:levantamento|retirada|retirar|ser retirad)|dispon[ií]vel para (?:levantamento|retirada|retirar)|"
    r"klaar (?:om op te halen|voor afhalen|om af te halen)|(?:可以|可|请)(?:到|至|前往)?.{0,8}(?:取件|领取|自提)|待取件|"
    r"お受け取り(?:いただけます|可能|ください)"
)
# after the runs of slices 31 and 32 (in-sample, issue 15: "Your parcel has left the studio.", "Je pakket heeft het atelier
# verlaten.", "Votre colis a quitté l'atelier." read departed_hub): the parcel has left the sender's own premises, its
# studio, atelier or workshop, or "our warehouse" in a shop's mail (en, nl, de, fr, es, pt; fr "a quitté notre entrepôt"
# and es "ha salido de nuestro almacén" were read so by packs25a): the shop's stage before any carrier scan,
# `label_created` (FROZEN.md), never a carrier's hub it departed, nor a forwarder's "bodega" (dev: "Tu paquete ha salido
# de nuestra bodega principal y está viajando hacia tu dirección." is `in_transit`)
_PREMISES = (r"(?:studio|atelier|workshop|work ?shop|werkplaats|werkstatt|manufaktur|taller|ateli[eê]|oficina de produ[cç][aã]o)")
_OUR_STORE = (r"(?:our (?:warehouse|fulfil?ment cent(?:re|er)|stockroom)|ons (?:magazijn|distributiecentrum)|"
              r"unser(?:em|en)? (?:lager|versandlager|logistikzentrum)|nuestr[oa]s? (?:almac[eé]n|almacenes)|"
              r"nosso (?:armaz[eé]m|estoque|centro de distribui[cç][aã]o))")
_LEFT_PREMISES = folded_re(
    r"\b(?:left|has left|verlaten|verlassen|quitt[ée]e?|sali[dó]o? de|salido de|sali[oó] de|sai[ue] d[oa]|saiu d[oa])\b (?:\w+ )?"
    r"(?:the |our |het |ons |onze |l'|notre |nos |le |la |das |die |den |unser(?:e|em|en)? |el |la |nuestr[oa] |o |a |nosso |nossa )?"
    r"(?:" + _PREMISES + r"|" + _OUR_STORE + r")\b|"
    r"\b(?:het|ons|onze|das|die|unser(?:e|en)?) (?:" + _PREMISES + r"|magazijn|lager) (?:\w+ )?(?:verlaten|verlassen)\b"
)
_CHAIN = frozenset({"in_transit", "arrived_at_hub", "out_for_delivery"})
_KEEP_FINAL = frozenset({"returned", "return_started", "customs_held", "customs_cleared", "customs_started"})


# --- the pass -------------------------------------------------------------------------------------------------------

Stage = Literal["word", "scene", "final"]
Origin = Literal["rule", "code", "final"]


@dataclass(frozen=True)
class Seen:
    """The answer a reading re-reads, and what it may know besides the text."""

    milestone: str
    rule: str  # the answer's rule name ("collected", "guard", "code", "keywords", "" ...)
    origin: Origin  # "rule": a text rule's answer; "code": a delivered status code's; "final": the answer that stands
    collected: bool = False  # the answer's rule (for a code: the text rule that also matched) is ``collected``
    text_rule: str | None = None  # for a code: the milestone of the text rule that also matched, if one did
    below: Callable[[], str | None] | None = None  # for a rule: the milestone of the next rule down that matches


@dataclass(frozen=True)
class Reading:
    name: str  # what it means
    stage: Stage
    origins: frozenset[str]  # the answers it re-reads: "rule", "code", "final"
    milestones: frozenset[str] | None  # the milestones it re-reads (None: any)
    returns: str  # what it may return (for the table in the ADR and the docs)
    read: Callable[[str, Seen], str | None]  # the new milestone, or None when the answer stands
    rule: str = "guard"  # the rule name the new answer carries
    beside_collected: bool = False  # also over a rule ``collected`` (or a code beside one)


def _m(*names: str) -> frozenset[str]:
    return frozenset(names)


_RULE, _CODE, _FINAL = _m("rule"), _m("code"), _m("final")


def _rule_delivered(text: str, seen: Seen) -> str | None:
    guarded = guard_delivered(text, seen.rule)
    if guarded == "in_transit" and seen.below is not None:  # a future tense or a hand-over: what do the rules below say?
        below = seen.below()
        if below is not None and below != "delivered":
            guarded = below
    elif guarded == "unknown" and seen.below is not None and not_yet(text):
        # round 29 (packs38a): "not delivered yet" names no event; the rules below may ("Le livreur a emporté le colis
        # sur sa tournée de livraison. Le colis n'a pas encore été livré": out for delivery)
        below = seen.below()
        if below is not None and below not in ("delivered", "unknown"):
            guarded = below
    return guarded


def _not_out(text: str, seen: Seen) -> str | None:
    """Round 29 (packs38a): out for delivery or left for the round, told as not yet ("Il n'est pas encore en cours de
    livraison", "Todavía no ha salido a reparto"): what the rules below say, else unknown."""
    if not not_out(text):
        return None
    below = seen.below() if seen.below is not None else None
    return below if below not in (None, "delivered", "out_for_delivery", "departed_hub") else "unknown"


# round 14: what a "not collected" means beside a return or an exception rule's answer. It goes back only when the
# text says so, back to whom ("Zending niet afgehaald, gaat retour afzender", "on its way back to the client", RTS);
# a collection by the courier that did not happen ("Not picked up: Goods not ready") is an exception; one by the
# recipient ("Not collected by consignee") stays the return its rule read
_BACK_TO_SENDER = folded_re(r"(?:to|back to) (?:the )?(?:sender|shipper|origin|client|merchant)|\bway back\b|\brts\b|"
                      r"an den (?:absender|auftraggeber|versender)|zum (?:absender|auftraggeber|versender)|rückweg|"
                      r"zurück(?:gesandt|geschickt|gesendet)|retour (?:à l'|a l')?(?:expéditeur|afzender)|gaat retour|à l'expéditeur|"
                      r"aan (?:de )?afzender|al remitente|ao remetente|"
                      r"\brenvoy|devuelt[oa] al remitente|devolvid[oa] ao remetente|terug naar (?:de )?afzender|退回|差出人に返送")
_BY_RECIPIENT = folded_re(r"\b(?:by|from) (?:the )?(?:consignee|recipient|receiver|customer|addressee)|(?:consignee|recipient|receiver|"
                    r"addressee|empfänger|destinataire|ontvanger|geadresseerde|destinatario|destinatário) (?:\w+ ){0,3}"
                    r"(?:not|nicht|pas|niet|no|não|did|has|hat|heeft|n'a)")


def _not_collected_rule(text: str, seen: Seen) -> str | None:
    """Not collected, beside a point or pickup rule's answer: an exception, or a return started when the text says it
    goes back. Beside a return or an exception rule's answer (not in a condition: "if not picked up within 7 days it
    goes back" is the point's rule, not a report): see ``_BACK_TO_SENDER``."""
    if not not_collected(text):
        return None
    if seen.milestone in (_PT, "picked_up"):
        return "return_started" if guard_delivered(text, seen.rule) == "return_started" else "exception"
    if _in_condition(text):
        return None
    back = _BACK_TO_SENDER.search(text) is not None
    if seen.milestone == "exception":
        return "return_started" if back else None
    return None if back or _BY_RECIPIENT.search(text) is not None else "exception"


def _code_delivered(text: str, seen: Seen) -> str | None:
    guarded = guard_delivered(text, "code")
    if guarded == "in_transit" and seen.text_rule is not None and seen.text_rule not in ("delivered", "unknown"):
        guarded = seen.text_rule
    return guarded


def _awaiting_collection(text: str, seen: Seen) -> str | None:
    if _AWAITING_COLLECTION.search(text) is None:
        return None
    sender_side = _SENDER_SIDE.search(text) is not None
    if seen.milestone == "available_for_pickup" and sender_side:
        return "label_created"  # awaiting collection by the courier from the sender: the label stage
    if seen.milestone != "available_for_pickup" and not sender_side:
        return "available_for_pickup"
    return None


def _in_condition(text: str) -> bool:
    return conditional(text) or _IF.search(text) is not None


def _collection_expired(text: str, seen: Seen) -> str | None:
    if _in_condition(text) or _EXPIRED.search(text) is None:
        return None
    back = RETURN.search(text) is not None or GOES_BACK.search(text) is not None
    return "return_started" if back else "exception"


def _counter_delivery(text: str, seen: Seen) -> str | None:
    if seen.rule == "collected" or _in_condition(text) or _AT_COUNTER.search(text) is None:
        return None
    if seen.milestone != "delivered":
        # "已投递至网点待取" read as a step of the chain: the text says it waits there for the recipient
        return "available_for_pickup" if _FOR_PICKUP.search(text) is not None else None
    if _TO_RECIPIENT.search(text) is not None and _FOR_PICKUP.search(text) is None:
        return None  # handed to the recipient at the counter: a delivery
    return "available_for_pickup"


def _kept_at_desk(text: str, seen: Seen) -> str | None:
    if seen.rule == "collected" or _in_condition(text) or _AT_DESK.search(text) is None:
        return None
    if _DESK_NOT.search(text) is not None or not_collected(text) or RETURN.search(text) is not None:
        return None
    return "available_for_pickup"


def _delivery_unsuccessful(text: str, seen: Seen) -> str | None:
    if seen.rule == "collected" or _in_condition(text) or not unsuccessful(text):
        return None
    return "delivery_failed"


def _cleared_and_waiting(text: str, seen: Seen) -> str | None:
    if _in_condition(text) or _CLEARED.search(text) is None or later_point(text):
        return None
    if _READY_AT_POINT.search(text) is None and not waiting_pickup(text):
        return None
    return "available_for_pickup"


def _if(pattern: re.Pattern[str], milestone: str) -> Callable[[str, Seen], str | None]:
    return lambda text, _seen: milestone if pattern.search(text) is not None else None


def _when(test: Callable[[str], bool], milestone: str) -> Callable[[str, Seen], str | None]:
    return lambda text, _seen: milestone if test(text) else None


# text readings a `delivered` code never overrides (classify.py weighs a rule against a code by the same set)
NOT_DELIVERED_TEXT = _m("available_for_pickup", "returned", "return_started", "delivery_failed")
# a return, a customs step or the label stage is never re-read by the scene
_SCENE_ANY = frozenset(MILESTONES) - _m("returned", "return_started", "customs_held", "customs_cleared",
                                         "customs_started", "label_created")
_PT, _DLV = "available_for_pickup", "delivered"

READINGS: tuple[Reading, ...] = (
    # 1. word: a text rule's answer
    Reading("taken_on_further", "word", _RULE | _CODE, _m(_DLV, _PT), "in_transit", _if(_GOES_ON, "in_transit"),
            beside_collected=True),
    Reading("delivered_reread", "word", _RULE, _m(_DLV), "guard_delivered's answer (below)", _rule_delivered,
            beside_collected=True),
    Reading("refused_going_back", "word", _RULE, _m("delivery_failed"), "return_started",
            lambda t, s: "return_started" if s.rule == "refused" and going_back(t) else None, rule="refused_returning"),
    Reading("forwarded_on", "word", _RULE, _m("return_started", "exception"), "in_transit", _when(forwarded, "in_transit")),
    Reading("return_announced", "word", _RULE, _m("returned"), "return_started", _when(return_ahead, "return_started")),
    Reading("return_under_way", "word", _RULE, _m("returned"), "return_started",
            _when(return_under_way, "return_started")),
    Reading("sender_courier_took", "word", _RULE, _m(_PT), "picked_up", _when(sender_took, "picked_up")),
    Reading("not_delivered_yet", "word", _RULE, _m("delivery_failed"), "unknown", _when(not_yet, "unknown")),
    Reading("not_out_yet", "word", _RULE, _m("out_for_delivery", "departed_hub"), "the rules below, else unknown",
            _not_out),
    Reading("pickup_announced", "word", _RULE, _m(_PT), "in_transit", _when(later_point, "in_transit")),
    Reading("not_handed_over", "word", _RULE, _m("picked_up", "exception", "in_transit"), "label_created",
            _when(not_handed_over, "label_created")),
    Reading("clearance_not_finished", "word", _RULE, _m("customs_cleared"), "customs_started",
            _when(not_finished, "customs_started")),
    Reading("preference_chosen", "word", _RULE, _m(_PT), "unknown", _when(chosen, "unknown")),
    Reading("status_corrected", "word", _RULE, _m("exception"), "unknown", _when(corrected, "unknown")),
    Reading("collection_not_done", "word", _RULE, _m(_PT, "picked_up", "return_started", "exception"),
            "exception | return_started", _not_collected_rule),
    # 1. word: a delivered status code's answer (once, before a rule and a code are weighed)
    Reading("collection_not_done", "word", _CODE, _m(_DLV), "exception | return_started",
            lambda t, s: (guard_delivered(t, "code") or "exception") if not_collected(t) else None,
            beside_collected=True),
    Reading("waiting_at_point", "word", _CODE, _m(_DLV), _PT, _when(waiting_pickup, _PT), beside_collected=True),
    Reading("delivered_reread", "word", _CODE, _m(_DLV), "guard_delivered's answer; in_transit: the text rule's",
            _code_delivered),
    Reading("preference_chosen", "word", _CODE, _m(_DLV), "unknown", _when(chosen, "unknown")),
    Reading("text_names_place", "word", _CODE, _m(_DLV), "the text rule's point, return or failure",
            lambda _t, s: s.text_rule if s.text_rule in NOT_DELIVERED_TEXT else None),
    # 2. scene: what a rule's word stage left, or a delivered code its word stage left delivered
    Reading("service_question", "scene", _RULE | _CODE, _SCENE_ANY, "unknown", _if(SERVICE_QUESTION, "unknown")),
    Reading("recorded_request", "scene", _RULE | _CODE, _SCENE_ANY, "unknown", _if(_REQUEST, "unknown")),
    Reading("onward_handover", "scene", _RULE | _CODE, _m("picked_up", _DLV), "in_transit", _if(_ONWARD, "in_transit")),
    Reading("courier_to_collect", "scene", _RULE | _CODE, _m(_PT), "label_created", _if(_TO_COLLECT, "label_created")),
    Reading("point_failed", "scene", _RULE | _CODE, _m(_PT), "delivery_failed", _if(_POINT_FAILED, "delivery_failed")),
    Reading("out_to_point", "scene", _RULE | _CODE, _m(_PT, _DLV), "out_for_delivery",
            _if(_OUT_TO_POINT, "out_for_delivery")),
    Reading("point_announced", "scene", _RULE | _CODE, _m(_PT, _DLV), "in_transit",
            lambda t, _s: "in_transit" if _POINT_ANNOUNCED.search(t) is not None and _THERE_NOW.search(t) is None
            else None),
    Reading("point_refused", "scene", _RULE | _CODE, _m(_PT), "exception", _if(_POINT_REFUSED, "exception")),
    Reading("awaiting_collection", "scene", _RULE | _CODE,
            _m(_PT, _DLV, "arrived_at_hub", "in_transit", "out_for_delivery"), "available_for_pickup | label_created",
            _awaiting_collection),
    Reading("store_arrival", "scene", _RULE | _CODE, _m("arrived_at_hub", _DLV), _PT,
            lambda t, _s: _PT if _AT_STORE.search(t) is not None and _RETURN_WORD.search(t) is None else None),
    Reading("store_delivery", "scene", _RULE | _CODE, _m(_DLV), "available_for_pickup | returned",
            lambda t, _s: None if _TO_STORE.search(t) is None else "returned" if _RETURN_WORD.search(t) is not None
            else _PT),
    # 3. final: the answer that stands (a rule's, a code's, the keyword stage's; never a staff label)
    Reading("collection_expired", "final", _FINAL, frozenset(MILESTONES) - _KEEP_FINAL, "exception | return_started",
            _collection_expired, beside_collected=True),
    Reading("counter_delivery", "final", _FINAL, _m(_DLV) | _CHAIN, _PT, _counter_delivery, beside_collected=True),
    Reading("left_sender_premises", "final", _FINAL, _m("departed_hub"), "label_created",
            lambda t, _s: "label_created" if _LEFT_PREMISES.search(t) is not None and not _in_condition(t) else None),
    Reading("cleared_and_waiting", "final", _FINAL, _m("customs_cleared", "customs_started"), _PT, _cleared_and_waiting),
    Reading("courier_arrived", "final", _FINAL, _m("unknown", "arrived_at_hub"), "out_for_delivery",
            lambda t, s: "out_for_delivery" if s.rule != "collected" and not _in_condition(t) and courier_arrived(t) else None),
    Reading("delivery_unsuccessful", "final", _FINAL, _m("unknown", "in_transit", "out_for_delivery", "arrived_at_hub"),
            "delivery_failed", _delivery_unsuccessful),
    Reading("kept_at_desk", "final", _FINAL, _m("picked_up", "arrived_at_hub", "in_transit"), _PT, _kept_at_desk),
    Reading("domestic_fiscal", "final", _FINAL, _m("customs_started", "customs_held", "customs_cleared"),
            "exception; in_transit when released", domestic_fiscal),
    Reading("customs_hold", "final", _FINAL, _m("exception", "customs_started", "customs_held"),
            "customs_held; customs_started for a hold for the clearance itself", customs_hold),
)

_BY_STAGE: dict[tuple[str, str], tuple[Reading, ...]] = {
    (stage, origin): tuple(r for r in READINGS if r.stage == stage and origin in r.origins)
    for stage in ("word", "scene", "final") for origin in ("rule", "code", "final")
}


def _first(stage: Stage, text: str, seen: Seen) -> tuple[str, str] | None:
    for reading in _BY_STAGE[(stage, seen.origin)]:
        if reading.milestones is not None and seen.milestone not in reading.milestones:
            continue
        if seen.collected and not reading.beside_collected:
            continue
        got = reading.read(text, seen)
        if got is not None:
            return got, reading.rule
    return None


def _scene_text(text: str) -> str:
    return text.replace("\u2122", "").replace("\u00ae", "")  # "UPS Access Point™ location"


def reread(text: str, seen: Seen) -> tuple[str, str] | None:
    """The guard pass over one answer: (milestone, rule name) when a reading changes it, else None.

    A rule's answer: its word reading, then the scene over what that left (not over a rule ``collected``). A
    delivered code's answer: its word reading, else the scene over `delivered`. The answer that stands: the final
    readings."""
    if seen.origin == "final":
        return _first("final", text, seen)
    word = _first("word", text, seen)
    if seen.origin == "code":
        return word if word is not None else _first("scene", _scene_text(text), seen)
    if word is not None:
        seen = replace(seen, milestone=word[0], rule=word[1], collected=word[1] == "collected")
    scene = _first("scene", _scene_text(text), seen)
    return scene if scene is not None else word


def final_reading(text: str, milestone: str, rule: str) -> str | None:
    """The final readings alone over an answer (a rule's name ``rule``): the new milestone, or None."""
    got = reread(text, Seen(milestone, rule, "final"))
    return got[0] if got is not None else None
