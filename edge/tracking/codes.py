"""Carrier/aggregator status codes -> milestones, for feeds that carry them.

A code is given as ``"provider:code"`` (``"kuaidi100:304"``, ``"kdniao:311"``, ``"aftership:Delivered_003"``,
``"17track:InTransit_PickedUp"``) or bare with the provider passed separately. Bare word codes in
AfterShip/17TRACK shape (``InTransit_003``, ``Exception_Returned``) are recognised without a provider;
bare numbers are not (Kuaidi100's 4 is 退签, Kdniao's 4 is 问题件), so they need the provider. TrackingMore's
sub-statuses (``transit002``, ``exception009``: a status word and three digits) are recognised bare too.

Each table maps a code to (milestone, specific). `specific` codes say as much as a text would;
coarse codes (Kuaidi100 0 "在途", AfterShip "InTransit") only fill in when the text says nothing.
"""

from __future__ import annotations

import re

# Kuaidi100 state / 高级状态 (subscription push and real-time query API)
KUAIDI100: dict[str, tuple[str, bool]] = {
    "0": ("in_transit", False), "1001": ("arrived_at_hub", True), "1002": ("in_transit", True),
    "1": ("picked_up", False), "101": ("label_created", True), "102": ("label_created", True), "103": ("picked_up", True),
    "5": ("out_for_delivery", True), "501": ("available_for_pickup", True),
    "3": ("delivered", False), "301": ("delivered", True), "302": ("delivered", True),
    "303": ("available_for_pickup", True), "304": ("available_for_pickup", True),
    "6": ("return_started", True), "4": ("returned", True), "401": ("exception", True),
    "14": ("delivery_failed", True), "7": ("in_transit", True),
    "2": ("exception", False), "201": ("exception", True), "202": ("exception", True), "203": ("delivery_failed", True),
    "204": ("delivery_failed", True), "205": ("available_for_pickup", True), "206": ("delivery_failed", True),
    "207": ("exception", True), "208": ("exception", True), "209": ("exception", True),
    "8": ("customs_started", False), "10": ("customs_started", True), "11": ("customs_started", True),
    "12": ("customs_cleared", True), "13": ("customs_held", True),
}

# Kdniao State / StateEx (即时查询 / 轨迹订阅)
KDNIAO: dict[str, tuple[str, bool]] = {
    "0": ("unknown", False), "1": ("picked_up", True), "2": ("in_transit", False),
    "201": ("arrived_at_hub", True), "202": ("out_for_delivery", True), "211": ("available_for_pickup", True),
    "3": ("delivered", False), "301": ("delivered", True), "302": ("delivered", True),
    "304": ("available_for_pickup", True), "311": ("available_for_pickup", True),
    "4": ("exception", False), "401": ("label_created", True), "402": ("exception", True), "403": ("exception", True),
    "404": ("return_started", True), "405": ("delivery_failed", True), "406": ("returned", True),
    "407": ("return_started", True), "412": ("available_for_pickup", True),
    # the rest of the StateEx list (index:8590212550, a Kdniao client's StateExDesc): 418 快件取出 says not by whom
    "204": ("arrived_at_hub", True), "205": ("arrived_at_hub", True), "206": ("departed_hub", True),
    "413": ("exception", True), "414": ("exception", True), "415": ("exception", True), "416": ("delivery_failed", True),
    "417": ("exception", True), "418": ("exception", False), "419": ("out_for_delivery", False),
    "420": ("exception", True), "421": ("exception", True), "422": ("exception", True), "423": ("exception", True),
    "5": ("in_transit", False), "6": ("customs_started", False), "601": ("customs_started", True),
    "602": ("customs_started", True), "603": ("customs_cleared", True), "604": ("customs_held", True),
    "10": ("label_created", True),
}

# AfterShip tags and subtags
AFTERSHIP: dict[str, tuple[str, bool]] = {
    "Pending": ("unknown", False), "InfoReceived": ("label_created", True), "InfoReceived_001": ("label_created", True),
    "InTransit": ("in_transit", False), "InTransit_001": ("in_transit", False), "InTransit_002": ("picked_up", True),
    "InTransit_003": ("arrived_at_hub", True), "InTransit_004": ("arrived_at_hub", True),
    "InTransit_005": ("customs_cleared", True), "InTransit_006": ("customs_started", True),
    "InTransit_007": ("departed_hub", True), "InTransit_008": ("in_transit", False), "InTransit_009": ("in_transit", True),
    "OutForDelivery": ("out_for_delivery", True), "OutForDelivery_001": ("out_for_delivery", True),
    "OutForDelivery_003": ("out_for_delivery", True), "OutForDelivery_004": ("out_for_delivery", True),
    "AttemptFail": ("delivery_failed", True), "AttemptFail_001": ("delivery_failed", True),
    "AttemptFail_002": ("delivery_failed", True), "AttemptFail_003": ("delivery_failed", True),
    "AvailableForPickup": ("available_for_pickup", True), "AvailableForPickup_001": ("available_for_pickup", True),
    "Delivered": ("delivered", False), "Delivered_001": ("delivered", True), "Delivered_002": ("delivered", True),
    "Delivered_003": ("delivered", True), "Delivered_004": ("delivered", True),
    "Exception": ("exception", False),
    # Exception_010 "on its way back to the sender", Exception_011 "returned to the sender" (issue 15: were swapped)
    "Exception_010": ("return_started", True), "Exception_011": ("returned", True),
    "Expired": ("unknown", False),
    # round 7, AfterShip's Delivery Sub-statuses page (aftership.com/docs/tracking/2026-07/enum/delivery-sub-statuses)
    # and its March 2026 additions (support.aftership.com, learn-about-delivery-sub-statuses): Delivered_005 "delivered
    # to a neighbor" is coarse (a neighbour lets the text decide); a customer who moved or refused is a failed
    # delivery; a customs delay or missing regulatory documents is customs_held; other delays are exceptions
    "Delivered_005": ("delivered", False),
    "Exception_001": ("exception", False), "Exception_002": ("delivery_failed", True),
    "Exception_003": ("delivery_failed", True), "Exception_004": ("customs_held", True),
    "Exception_005": ("exception", True), "Exception_016": ("exception", True), "Exception_017": ("exception", True),
    "Exception_018": ("customs_held", True),
}

# 17TRACK v2 status / sub_status
TRACK17: dict[str, tuple[str, bool]] = {
    "NotFound": ("unknown", False), "InfoReceived": ("label_created", True),
    "InTransit": ("in_transit", False), "InTransit_PickedUp": ("picked_up", True), "InTransit_Other": ("in_transit", False),
    "InTransit_Departure": ("departed_hub", True), "InTransit_Arrival": ("arrived_at_hub", True),
    "InTransit_CustomsProcessing": ("customs_started", True), "InTransit_CustomsReleased": ("customs_cleared", True),
    "InTransit_CustomsRequiringInformation": ("customs_held", True),
    "AvailableForPickup": ("available_for_pickup", True), "AvailableForPickup_Other": ("available_for_pickup", True),
    "OutForDelivery": ("out_for_delivery", True), "OutForDelivery_Other": ("out_for_delivery", True),
    "DeliveryFailure": ("delivery_failed", True), "Delivered": ("delivered", False), "Delivered_Other": ("delivered", False),
    "Exception": ("exception", False), "Exception_Returning": ("return_started", True),
    "Exception_Returned": ("returned", True), "Exception_Lost": ("exception", True), "Exception_Damage": ("exception", True),
    "Exception_Delayed": ("exception", True), "Exception_Rejected": ("delivery_failed", True),
    "Exception_NoBody": ("exception", True), "Expired": ("unknown", False),
    # round 9, the rest of the v2 sub_status list with 17TRACK's own Chinese meanings (index:41324915225, a 17TRACK
    # webhook client's _17trackSubStatus): Exception_NoBody is "在派送之前发现的收件人信息异常" (found before any
    # delivery: a recipient-data problem, not a failed attempt); a security, customs or fee problem before delivery is
    # coarse (the text tells customs from the rest); a failure at the door keeps its DeliveryFailure_ family
    "NotFound_Other": ("unknown", False), "NotFound_InvalidCode": ("unknown", False), "Expired_Other": ("unknown", False),
    "DeliveryFailure_Other": ("delivery_failed", True), "DeliveryFailure_NoBody": ("delivery_failed", True),
    "DeliveryFailure_Security": ("delivery_failed", True), "DeliveryFailure_Rejected": ("delivery_failed", True),
    "DeliveryFailure_InvalidAddress": ("delivery_failed", True),
    "Exception_Other": ("exception", False), "Exception_Security": ("exception", False),
    "Exception_Destroyed": ("exception", True), "Exception_Cancel": ("exception", True),
}

# TrackingMore status and sub-status (trackingmore.com/docs/logistics_status.php, its Chinese page with every
# sub-status: 待揽件, 到达分拣中心, 客户自提, 投递到快递柜或由物业门卫代收, 超时未自提, 收件人拒收, 包裹正在退回途中 ...).
# delivered004 (a locker or the doorman took it) is a point or third party, never `delivered`; delivered002 (客户自提)
# is the recipient's own collection; "pickup" is out for delivery or at the local office, so it is coarse.
TRACKINGMORE: dict[str, tuple[str, bool]] = {
    "pending": ("unknown", False), "notfound": ("unknown", False), "transit": ("in_transit", False),
    "pickup": ("out_for_delivery", False), "delivered": ("delivered", False), "undelivered": ("delivery_failed", True),
    "exception": ("exception", False), "expired": ("unknown", False),
    "notfound001": ("label_created", True), "notfound002": ("unknown", False),
    "transit001": ("in_transit", False), "transit002": ("arrived_at_hub", True), "transit003": ("arrived_at_hub", True),
    "transit004": ("arrived_at_hub", True), "transit005": ("customs_cleared", True),
    "delivered001": ("delivered", True), "delivered002": ("delivered", True), "delivered003": ("delivered", True),
    "delivered004": ("available_for_pickup", True),
    "exception004": ("exception", True), "exception005": ("exception", False), "exception006": ("customs_held", True),
    "exception007": ("exception", True), "exception008": ("exception", True), "exception009": ("delivery_failed", True),
    "exception010": ("returned", True), "exception011": ("return_started", True),
}

PROVIDERS: dict[str, dict[str, tuple[str, bool]]] = {
    "kuaidi100": KUAIDI100, "kdniao": KDNIAO, "aftership": AFTERSHIP, "17track": TRACK17, "trackingmore": TRACKINGMORE,
}

# Aggregator tables kept as data, each entry citing its source (round 10): edge/tracking/data/codes/<name>.json with
# "aggregator": "<name>" (Shopify FulfillmentEventStatus, EasyPost tracker status, Shippo tracking status). Their
# codes are matched case-blind (Shopify's REST API sends in_transit, its GraphQL API IN_TRANSIT), only with the
# provider named or prefixed ("shopify:DELIVERED"): a bare "delivered" is every aggregator's word.
FILE_PROVIDERS = ("shopify", "easypost", "shippo")
_FILE_TABLES: dict[str, dict[str, tuple[str, bool]]] = {}


def _file_table(provider: str) -> dict[str, tuple[str, bool]] | None:
    if provider not in FILE_PROVIDERS:
        return None
    table = _FILE_TABLES.get(provider)
    if table is None:
        from edge.tracking.packs import CODE_DIR, load_code_table  # packs does not import this module

        table = _FILE_TABLES[provider] = load_code_table(CODE_DIR / f"{provider}.json")[1]
    return table

_AFTERSHIP_SUB = re.compile(r"^[A-Za-z]+_\d{3}$")
_TRACKINGMORE_SUB = re.compile(r"^(?:notfound|transit|pickup|delivered|undelivered|exception|expired)\d{3}$")


def code_milestone(code: object, provider: str | None = None) -> tuple[str, bool] | None:
    """(milestone, specific) for a status code, or None when the code is not known."""
    if code is None or isinstance(code, bool):
        return None
    text = str(code).strip()
    if not text:
        return None
    if ":" in text:
        provider, text = text.split(":", 1)
        text = text.strip()
    if provider:
        name = provider.strip().lower()
        table = PROVIDERS.get(name)
        if table is None:
            by_file = _file_table(name)
            return None if by_file is None else by_file.get(text.upper())
        if table is TRACKINGMORE:  # its page writes "not found001"; the API sends "notfound001"
            return table.get(text.lower().replace(" ", ""))
        hit = table.get(text)
        if hit is None and table is TRACK17 and text.startswith("DeliveryFailure_"):
            return ("delivery_failed", True)
        return hit
    if text.isdigit():
        return None
    if _AFTERSHIP_SUB.match(text):
        return AFTERSHIP.get(text)
    squeezed = text.lower().replace(" ", "")
    if _TRACKINGMORE_SUB.match(squeezed):
        return TRACKINGMORE.get(squeezed)
    hit = TRACK17.get(text) or AFTERSHIP.get(text)
    if hit is None and text.startswith("DeliveryFailure_"):
        return ("delivery_failed", True)
    return hit
