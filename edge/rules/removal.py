"""Door commands of purpose ``removal`` whose ref is a parcel: staff moving a locker parcel to the parcel room,
or disposing of it (RulesService.move_to_parcel_room / dispose).

The move or disposal is recorded when the door service has seen the door open (the sensor; on a board
without sensors, once the command is on the wire, which is all it will ever see), the way a staff remote
open completes a parcel (edge/services/pickup_followup.py StaffOpenHandler). A jam, a failure or a board
that does not answer leaves the parcel in its compartment, says so on its timeline and opens one staff
task per parcel. The compartment is freed by the generic handler when the door is seen closed again.
"""

from __future__ import annotations

from typing import Any

from edge.rules.service import RulesService, removal_intent
from edge.services.pickup_followup import stored_parcel_of
from edge.store.db import Tx

OPENED = ("opened", "already_open")
NOT_OPENED = ("jammed", "failed", "unknown")


class RemovalHandler:
    def __init__(self, service: RulesService, fallback: Any) -> None:
        self.service = service
        self.fallback = fallback

    def outcome_tx(self, tx: Tx, cmd: dict[str, Any], outcome: str) -> list[dict[str, Any]]:
        p = stored_parcel_of(tx, cmd)
        intent = removal_intent(tx, p["id"]) if p is not None else None
        if p is not None and intent is not None and intent.get("compartment") == cmd["compartment_id"]:
            actor = cmd.get("actor") or intent.get("actor") or "system"
            if outcome in OPENED:
                if intent.get("action") == "dispose" and intent.get("how"):
                    self.service.record_disposal_tx(tx, p, str(intent["how"]), actor, str(intent.get("note") or ""))
                elif intent.get("action") == "move" and intent.get("shelf_slot"):
                    self.service.record_move_tx(tx, p, str(intent["shelf_slot"]), actor, str(intent.get("reason") or ""))
            elif outcome in NOT_OPENED:
                self.service.removal_failed_tx(tx, p, intent, outcome)
        return list(self.fallback.outcome_tx(tx, cmd, outcome))

    def closed_tx(self, tx: Tx, cmd: dict[str, Any]) -> list[dict[str, Any]]:
        return list(self.fallback.closed_tx(tx, cmd))
