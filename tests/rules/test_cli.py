"""`lockerd rules preview`: shows what would happen, changes nothing."""

from __future__ import annotations

import json
from typing import Any
from typing import Any as Site

import pytest

from edge.cli.main import main


def counts(site: Site) -> tuple[int, int, int]:
    return (
        len(site.q("SELECT * FROM rule_actions")),
        len(site.q("SELECT * FROM events")),
        len(site.q("SELECT * FROM notifications")),
    )


def test_preview_lists_due_actions_without_doing_them(site: Site, capsys: pytest.CaptureFixture[str]) -> None:
    fresh = site.add_parcel(category="fresh")
    site.add_parcel(category="normal")
    site.sweep()
    before = counts(site)
    data_dir = str(site.store.path.parent)
    now = "2026-06-01T01:00:00Z"
    assert main(["rules", "preview", "--at", "2026-06-01T14:00:00+08:00", "--data-dir", data_dir, "--now", now]) == 0
    out = capsys.readouterr().out
    assert "reminder:1" in out and "overdue" not in out and "Total: reminder 1" in out
    assert counts(site) == before
    assert main(["rules", "preview", "--at", "2026-07-15T00:00:00Z", "--data-dir", data_dir, "--now", now,
                 "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    mine = [r["action"] for r in rows if r["parcel_id"] == fresh]
    assert mine == ["reminder:1", "overdue", "move_to_parcel_room", "notice", "disposal_due"]
    assert [r for r in rows if r["action"] == "disposal_due"][0]["projected"] is True
    assert [r["due_at"] for r in rows] == sorted(r["due_at"] for r in rows)
    assert counts(site) == before


def test_preview_after_partial_progress_shows_only_what_is_left(site: Site, capsys: Any) -> None:
    site.add_parcel()
    site.advance(30)
    site.sweep()
    data_dir = str(site.store.path.parent)
    assert main(["rules", "preview", "--at", "2026-06-04T02:00:00Z", "--data-dir", data_dir, "--json"]) == 0
    actions = [json.loads(line)["action"] for line in capsys.readouterr().out.splitlines()]
    assert actions == ["reminder:2", "overdue", "move_to_parcel_room"]


@pytest.mark.parametrize(
    "argv",
    [
        ["rules", "preview", "--at", "tomorrow", "--data-dir", "/nonexistent"],
        ["rules", "preview", "--at", "2026-01-01T00:00:00", "--data-dir", "/nonexistent"],  # no zone
        ["rules", "preview", "--at", "2026-01-01T00:00:00Z", "--data-dir", "/nonexistent"],  # no database
    ],
)
def test_preview_bad_input_is_a_clear_error(argv: list[str], capsys: Any) -> None:
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert err.startswith("lockerd rules:") and "Traceback" not in err


def test_preview_with_a_bad_config(tmp_path: Any, capsys: Any) -> None:
    bad = tmp_path / "site.toml"
    bad.write_text('[site]\nid = "x"\ntimezone = "Mars/Olympus"\n')
    assert main(["rules", "preview", "--at", "2026-01-01T00:00:00Z", "--config", str(bad)]) == 1
    assert "timezone" in capsys.readouterr().err
