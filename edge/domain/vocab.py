"""The parcel vocabularies, defined once (DESIGN.md section 2): categories and follow-up channels.

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


#: the category strings, in the order forms offer them
CATEGORIES: tuple[str, ...] = tuple(c.value for c in Category)
#: the follow-up channel strings, in the order forms offer them
CHANNELS: tuple[str, ...] = tuple(c.value for c in FollowUpChannel)

#: the same categories as a typing Literal, for pydantic request models whose published schema
#: (docs/openapi.json) inlines the enum; tests/core/test_vocabularies.py keeps it equal to Category
CategoryName = Literal["normal", "fresh", "medicine", "valuable", "oversize"]
