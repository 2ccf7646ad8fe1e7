"""Storage rules at the edge: reminders, overdue, holds, unclaimed parcels, public notice and disposal.

Pure parts: `calendar` (working days), `schedule` (what is due when), `messages` (resident texts).
Stateful parts: `engine` (the idempotent sweep), `service` (holds, vacation, disposal),
`policy_service` (the versioned policy). `component` wires them into the daemon.
"""
