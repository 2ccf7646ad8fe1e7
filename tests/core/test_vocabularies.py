"""The category and follow-up channel vocabularies are defined once, in edge/domain/vocab.py."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import get_args

from edge.domain.vocab import CATEGORIES, CHANNELS, Category, CategoryName, FollowUpChannel

REPO = Path(__file__).resolve().parents[2]
HOME = REPO / "edge" / "domain" / "vocab.py"
VOCABULARIES = {"category": set(CATEGORIES), "channel": set(CHANNELS)}


def _literal_lists(tree: ast.AST) -> list[tuple[int, set[str]]]:
    """(line, strings) of every literal tuple/list/set (a Literal["a", "b"] subscript holds a tuple)."""
    out: list[tuple[int, set[str]]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.List | ast.Tuple | ast.Set):
            strings = {e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)}
            out.append((node.lineno, strings))
    return out


def offenders(paths: list[Path]) -> list[str]:
    found = []
    for path in paths:
        if path == HOME:
            continue
        for line, strings in _literal_lists(ast.parse(path.read_text(), str(path))):
            for name, vocab in VOCABULARIES.items():
                if len(strings & vocab) >= 3:
                    found.append(f"{path.relative_to(REPO)}:{line} writes its own {name} list")
    return found


def test_no_module_writes_its_own_category_or_channel_list() -> None:
    paths = [p for d in ("edge", "cloudsync", "drivers", "kiosk") for p in (REPO / d).rglob("*.py")]
    assert not offenders(paths)


def test_the_check_catches_a_copy(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text('from typing import Literal\nA = ("normal", "fresh", "medicine")\n'
                   'B: Literal["phone", "sender", "online_chat"]\n')
    global REPO
    saved, REPO = REPO, tmp_path
    try:
        assert len(offenders([bad])) == 2
    finally:
        REPO = saved


def test_the_literal_spelling_equals_the_enum() -> None:
    assert get_args(CategoryName) == tuple(Category) == CATEGORIES
    assert tuple(FollowUpChannel) == CHANNELS
    assert Category.FRESH == "fresh"


def test_importers_share_the_one_definition() -> None:
    import edge.operations.models
    import edge.services.parcels
    import edge.tracking.followups
    import edge.tracking.service
    import edge.web.console.queries
    import edge.web.console.routes_parcels

    # the MQTT command table takes its categories from the operation models (edge/operations/models.py)
    assert edge.operations.models.CategoryName is CategoryName
    for mod in (edge.services.parcels, edge.tracking.service, edge.web.console.queries):
        assert mod.CATEGORIES is CATEGORIES
    assert edge.tracking.followups.CHANNELS is CHANNELS
    assert edge.web.console.routes_parcels.FOLLOW_UP_CHANNELS is CHANNELS


def test_milestones_and_parcel_states_are_defined_once() -> None:
    import edge.tracking.rules
    import edge.web.console.queries
    from edge.domain.parcel import PARCEL_STATES
    from edge.domain.vocab import MILESTONES, Milestone

    assert edge.tracking.rules.MILESTONES is MILESTONES and tuple(Milestone) == MILESTONES
    assert MILESTONES[0] == "label_created" and MILESTONES[-1] == "unknown" and len(MILESTONES) == 16
    assert edge.web.console.queries.PARCEL_STATES is PARCEL_STATES
