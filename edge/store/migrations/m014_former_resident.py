"""A former resident's parcel keeps its resident's contact (brief fix42, item 1; ADR 0051).

When a unit's directory entry changes to another resident (the unit removed, or its phone tail changed) while
a parcel stored for the one before is still held, the parcel keeps that resident's phone, e-mail and language
(`parcels.former_contact`, JSON), so its reminders, overdue and notice messages go to them, not to the unit's
new resident. A message to such a contact carries it (`messages.to_phone`, `to_email`, `former` = 1) instead
of the unit's directory entry. The contact is purged with the parcel's other personal data (edge/retention.py).
"""

SQL = """
ALTER TABLE parcels ADD COLUMN former_contact TEXT;
ALTER TABLE messages ADD COLUMN former INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN to_phone TEXT;
ALTER TABLE messages ADD COLUMN to_email TEXT;
"""
