"""The delivered guard: what a text around a `delivered` word says happened instead (DESIGN.md section 5).

``guard_delivered(text, rule)`` is the guard pass's first reading of a rule's or a code's `delivered`
(edge/tracking/guard.py, stage ``word``). The words it reads live by what they say, compiled over the folded form of
the text: what did not or not yet happen in delivered_not_done.py, where the parcel went instead in
delivered_elsewhere.py; the pass's other readings share their small predicates (a return ahead, not yet, a sender's
collection, a condition ...). The order, in every language of the packs:

- a negation ("not delivered", "could not be delivered", "nicht zugestellt", "não entregue", 未妥投) is
  `delivery_failed`;
- the sender/return words (returned to sender, livré à l'expéditeur, entregue ao remetente, 退回) are
  `returned`;
- a locker, station, agent or pickup point word, or a third party who keeps the parcel for the resident
  (门卫, 前台, 代签, 他人签收, "delivered to agent", Packstation, point relais, afhaalpunt, locker) is
  `available_for_pickup`, unless the text also says the recipient collected it (rule ``collected``);
- a hand-over to the post or the carrier is `picked_up`; a delivered message, SMS or payment is `unknown`;
- a neighbour, a family member, the recipient's own mailbox or safe place stays `delivered`.
"""

from __future__ import annotations

from edge.tracking import delivered_elsewhere as elsewhere
from edge.tracking import delivered_not_done as not_done


def too_big_for_box(text: str, rule: str) -> tuple[bool, str | None]:
    """Too big for the letterbox: (True, what the rest of the text reads as without it: None when a drop told there
    stands, a neighbour or a door; `available_for_pickup` at a point; else `unknown`); (False, None) otherwise."""
    found = elsewhere.TOO_BIG_FOR_BOX.search(text)
    if found is None:
        return False, None
    rest = text[:found.start()] + " ; " + text[found.end():]
    if elsewhere.DROP_TOLD.search(rest):
        return True, guard_delivered(rest, rule)
    return True, "available_for_pickup" if elsewhere.POINT.search(rest) else "unknown"


def guard_delivered(text: str, rule: str) -> str | None:
    """The milestone a `delivered` reading must become, or None when it may stand."""
    if not_done.NOT_COLLECTED.search(text):
        return "return_started" if elsewhere.RETURN.search(text) or "zuruck" in text else "exception"
    if not_done.NOT_YET.search(text):
        return "unknown"  # not delivered yet: no attempt, no place (round 8)
    if not_done.not_to_carrier(text):
        return "label_created"  # not handed to the carrier yet: the shop's label stage (round 29, packs38a)
    if not_done.conditional(text):
        return "unknown"  # a delivery in a condition, a promise or a question: none reported (round 9)
    if not_done.SERVICE_QUESTION.search(text):
        return "unknown"  # a customer's question about a service: none reported (round 26, packs26b)
    if not_done.definition(text):
        return "unknown"  # when a delivery counts as done, defined: no event (after the runs of slices 29/30)
    too_big, rest_reads = too_big_for_box(text, rule)
    if too_big:
        return rest_reads  # too big for the letterbox: what the rest says (after the runs of slices 29/30, in-sample)
    if not_done.CANCELLED_DELIVERY.search(text):
        return "unknown"  # a delivery record cancelled: never delivered (after slices 25/26, in-sample)
    if not_done.CHOSEN_OR_MAYBE.search(text):
        return "unknown"  # a choice or a hypothetical: no delivery reported (after slices 25/26, in-sample)
    failed = not_done.failed_condition(text)
    if failed is not None:
        return failed  # a condition of failure and what happens then: no delivery done (round 21, packs21a)
    if elsewhere.DISPUTED.search(text):
        return "exception"  # claimed delivered, disputed: not received, not found (after the runs of slices 33/34)
    if elsewhere.UNASKED.search(text) or elsewhere.ELSEWHERE.search(text):
        return "exception"  # signed or left without the recipient told, or at another address (after slices 25/26)
    if not_done.delivery_explained(text):
        return "unknown"  # a delivery to come explained (after the run of slice 28, in-sample)
    if not_done.UNSUCCESSFUL.search(text):
        return "delivery_failed"  # a delivery told not to have succeeded (after the runs of slices 31/32, in-sample)
    if not_done.NEGATION.search(text) or not_done.NEG_ROMANCE.search(text) or not_done.NEG_REFLEXIVE.search(text) or not_done.INSTEAD_OF.search(text):
        return "delivery_failed"
    if not_done.TWO_OUTCOMES.search(text):
        return "unknown"  # a status name explained by two outcomes: neither reported (after slices 23/24, in-sample)
    if not_done.ALLOWED.search(text):
        return "unknown"  # a delivery preference allowed, no delivery (round 9)
    if not_done.waiting_pickup(text):
        return "available_for_pickup"  # waiting at a point for the recipient, never delivered (round 10, packs10b)
    if elsewhere.SENDER_POINT.search(text):
        return "picked_up"
    if elsewhere.DATA.search(text):
        return "label_created"  # data or information delivered: the sender's record, not the parcel (round 8)
    if not_done.AWAITING.search(text):
        return "unknown"  # a wait for the signature, not a signing (round 8)
    if not_done.UNDER_WAY.search(text) and not elsewhere.SIGNED.search(text):
        return "out_for_delivery"  # a place reached, the courier delivering now (round 8)
    if rule != "collected" and not_done.courier_arrived(text):
        return "out_for_delivery"  # the courier has arrived, nothing handed over yet (after the runs of slices 31/32)
    if elsewhere.PROBLEM.search(text) and rule != "collected":
        return "exception"
    if elsewhere.ON_VEHICLE.search(text) and not_done.FORECAST.search(text):
        return "out_for_delivery"  # on the delivery vehicle and expected today (after slices 23/24, in-sample)
    if not_done.FUTURE.search(text) or not_done.FUTURE_PERIPHRASTIC.search(text) or not_done.WILL_ADVERB.search(text):
        return "in_transit"
    if elsewhere.HANDOVER.search(text):
        return "in_transit"
    if rule != "collected" and elsewhere.TO_COURIER_CO.search(text):
        return "picked_up"  # the shop's hand-over to the courier company (after slices 23/24, in-sample)
    if rule != "collected" and elsewhere.TO_POST.search(text):
        return "picked_up"  # handed to the post or the carrier by the sender: its first scan (round 16, packs16a)
    if rule != "collected" and elsewhere.RETURN.search(text) and elsewhere.TO_HUB.search(text):
        return "returned"  # a return delivered to the sender's warehouse or returns centre (round 9)
    if rule != "collected" and elsewhere.TO_HUB.search(text) and not elsewhere.FOR_COLLECTION.search(text):
        if elsewhere.SENDER_PACKED.search(text):
            return "picked_up"  # packed by the sender and handed to the sorting centre (after the runs of slices 29/30)
        return "arrived_at_hub"  # delivered to a hub or sorting centre: a link of the chain (round 8)
    if rule != "collected" and elsewhere.TO_DESTINATION.search(text):
        return "arrived_at_hub"  # 送达目的地: the destination area reached (after the runs of slices 29/30, in-sample)
    if rule != "collected" and elsewhere.TO_CARRIER.search(text):
        return "in_transit"  # delivered to the carrier, airline, destination operator or country (round 8)
    if elsewhere.NOTICE.search(not_done.TOLD_YOU.sub(" ", text)) and rule != "collected" and not not_done.WISH_DONE.search(text):
        return "unknown"  # a message or a payment was delivered, not the parcel
    if elsewhere.return_under_way(text):
        return "return_started"  # a return under way now, not done (after the runs of slices 31/32, in-sample)
    if elsewhere.RETURN.search(text):
        return "returned"
    if rule != "collected" and elsewhere.TO_SHOP.search(text) and not elsewhere.SHOP_PICKUP.search(text):
        return "returned"  # delivered back to the shop or merchant (after slices 23/24, in-sample)
    if rule != "collected" and elsewhere.POINT.search(text) and (not elsewhere.OWN.search(text) or elsewhere.own_among_points(text)):
        return "available_for_pickup"
    return None
