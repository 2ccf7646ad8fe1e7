"""The parcel vocabularies, defined once (DESIGN.md sections 2 and 5): categories, follow-up channels and
tracking milestones.

Everything that validates, lists or offers a category or a channel imports it from here;
tests/core/test_vocabularies.py fails when a module writes its own list. Values are the stored and
published strings (the MQTT contract and the database use them), so an enum member compares equal to
its string.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal


class Category(StrEnum):
    """What a parcel holds; fresh food and medicine get shorter clocks (section 6)."""

    NORMAL = "normal"
    FRESH = "fresh"
    MEDICINE = "medicine"
    VALUABLE = "valuable"
    OVERSIZE = "oversize"


class FollowUpChannel(StrEnum):
    """How staff followed up a tracking anomaly (section 2, Follow-up), in escalation order."""

    PHONE = "phone"
    ONLINE_CHAT = "online_chat"
    SOCIAL_MEDIA = "social_media"
    SENDER = "sender"
    CARRIER_COMPLAINT = "carrier_complaint"
    POSTAL_COMPLAINT = "postal_complaint"


class Milestone(StrEnum):
    """The normalised tracking milestone of a carrier event (section 5), in the order a parcel meets them."""

    LABEL_CREATED = "label_created"
    PICKED_UP = "picked_up"
    IN_TRANSIT = "in_transit"
    ARRIVED_AT_HUB = "arrived_at_hub"
    DEPARTED_HUB = "departed_hub"
    CUSTOMS_STARTED = "customs_started"
    CUSTOMS_HELD = "customs_held"
    CUSTOMS_CLEARED = "customs_cleared"
    OUT_FOR_DELIVERY = "out_for_delivery"
    DELIVERY_FAILED = "delivery_failed"
    AVAILABLE_FOR_PICKUP = "available_for_pickup"
    DELIVERED = "delivered"
    EXCEPTION = "exception"
    RETURN_STARTED = "return_started"
    RETURNED = "returned"
    UNKNOWN = "unknown"


#: the category strings, in the order forms offer them
CATEGORIES: tuple[str, ...] = tuple(c.value for c in Category)
#: the follow-up channel strings, in the order forms offer them
CHANNELS: tuple[str, ...] = tuple(c.value for c in FollowUpChannel)
#: the milestone strings, in section 5's order
MILESTONES: tuple[str, ...] = tuple(m.value for m in Milestone)

#: the same categories as a typing Literal, for pydantic request models whose published schema
#: (docs/openapi.json) inlines the enum; tests/core/test_vocabularies.py keeps it equal to Category
CategoryName = Literal["normal", "fresh", "medicine", "valuable", "oversize"]
