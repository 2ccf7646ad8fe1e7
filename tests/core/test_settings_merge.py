"""Partial settings are merged into the defaults, never replace them (issue 13)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from edge.config import parse_config
from edge.policy import Policy
from edge.tracking.settings import KINDS, TrackingSettings


def test_overriding_one_playbook_keeps_every_other_kind() -> None:
    default = TrackingSettings()
    s = TrackingSettings.model_validate({"playbooks": {"stalled": {
        "owner": "resident", "next_action": "ask the sender", "message_zh": "请联系卖家", "message_en": "Ask the sender"}}})
    assert s.playbooks["stalled"].owner == "resident"
    for kind in KINDS:
        if kind != "stalled":
            assert s.playbooks[kind] == default.playbooks[kind], kind
            assert s.playbook(kind).message_en


def test_a_partial_playbook_keeps_that_kinds_other_fields() -> None:
    default = TrackingSettings().playbooks["stalled"]
    s = TrackingSettings.model_validate({"playbooks": {"stalled": {"owner": "resident"}}})
    pb = s.playbooks["stalled"]
    assert pb.owner == "resident"
    assert (pb.next_action, pb.message_zh, pb.message_en, pb.followup_hours) == (
        default.next_action, default.message_zh, default.message_en, default.followup_hours)


def test_a_new_kind_needs_a_whole_playbook_and_unknown_keys_are_refused() -> None:
    s = TrackingSettings.model_validate({"playbooks": {"damaged": {
        "owner": "front_desk", "next_action": "photograph it", "message_zh": "破损", "message_en": "Damaged"}}})
    assert "damaged" in s.playbooks and set(KINDS) <= set(s.playbooks)
    with pytest.raises(ValidationError, match="owner"):
        TrackingSettings.model_validate({"playbooks": {"damaged": {"next_action": "x"}}})
    with pytest.raises(ValidationError, match="bogus"):
        TrackingSettings.model_validate({"playbooks": {"stalled": {"bogus": 1}}})


def test_partial_cross_border_and_priority_clocks_keep_their_own_defaults() -> None:
    default = TrackingSettings()
    s = TrackingSettings.model_validate({"cross_border": {"stalled_red_h": 200}, "priority": {"late_red_h": 6}})
    assert s.cross_border.stalled_red_h == 200
    assert s.cross_border.no_first_scan_h == default.cross_border.no_first_scan_h == 48
    assert s.cross_border.stalled_yellow_h == default.cross_border.stalled_yellow_h
    assert s.priority.late_red_h == 6
    assert s.priority.no_first_scan_h == default.priority.no_first_scan_h == 12
    assert s.priority.delivery_failed_red_after == 1


def test_site_config_tracking_table_is_merged() -> None:
    cfg = parse_config({"site": {"id": "s1"},
                        "banks": [{"id": "A", "compartments": [{"id": "A-01", "size": "S"}]}],
                        "tracking": {"playbooks": {"late": {"owner": "resident"}}}})
    assert cfg.tracking is not None
    assert cfg.tracking.playbooks["late"].owner == "resident"
    assert cfg.tracking.playbooks["customs_held"] == TrackingSettings().playbooks["customs_held"]


def test_round_trip_of_a_merged_document_is_stable() -> None:
    s = TrackingSettings.model_validate({"playbooks": {"stalled": {"owner": "resident"}}})
    assert TrackingSettings.model_validate(s.model_dump()) == s


def test_policy_category_given_in_part_keeps_its_defaults() -> None:
    p = Policy.model_validate({"fresh": {"overdue_hours": 20}})
    assert p.clock("fresh").overdue_hours == 20
    assert p.clock("fresh").reminder_hours == [4.0]
    assert p.clock("medicine").reminder_hours == [12.0]
