"""Compartment sizes and choosing a door for a parcel."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

SIZES = ("S", "M", "L", "XL")
ORDER = {s: i for i, s in enumerate(SIZES)}
#: the reach range for the door and what is inside it (ADA 2010, section 308: 15-48 in), in mm
REACH_MM = (380, 1220)
#: nominal inside size of each compartment size, cm (width, height, depth): shown to couriers
SIZE_CM: dict[str, tuple[int, int, int]] = {"S": (40, 10, 50), "M": (40, 20, 50), "L": (40, 32, 50), "XL": (40, 50, 50)}
#: fewer accessible doors of a size than this share: check-config warns
MIN_ACCESSIBLE_SHARE = 0.05


@dataclass(frozen=True)
class Slot:
    id: str
    size: str
    height_cm: int

    @property
    def accessible(self) -> bool:
        return accessible(self.size, self.height_cm)


def accessible(size: str, bottom_cm: float) -> bool:
    """Can someone seated reach the door and its contents: its bottom and its top within REACH_MM?"""
    inside = SIZE_CM.get(size, SIZE_CM["XL"])[1]
    return REACH_MM[0] <= bottom_cm * 10 and (bottom_cm + inside) * 10 <= REACH_MM[1]


def accessible_warnings(slots: Iterable[Slot]) -> list[str]:
    """One line per size with fewer than MIN_ACCESSIBLE_SHARE of its doors within reach."""
    by: dict[str, list[Slot]] = {}
    for s in slots:
        by.setdefault(s.size, []).append(s)
    out = []
    for size in SIZES:
        doors = by.get(size, [])
        n = sum(1 for s in doors if s.accessible)
        if doors and n < MIN_ACCESSIBLE_SHARE * len(doors):
            lo, hi = REACH_MM
            out.append(f"size {size}: {n} of {len(doors)} doors are within reach ({lo}-{hi} mm from the floor to"
                       f" the door's bottom and top); at least {MIN_ACCESSIBLE_SHARE:.0%} should be")
    return out


def sizes_cm(cfg: object | None = None) -> dict[str, list[int]]:
    """Each size's inside width, height and depth in cm (what the courier's kiosk shows)."""
    return {k: list(v) for k, v in SIZE_CM.items()}


def choose(free: Iterable[Slot], want: str | None, *, low_door: bool = False) -> Slot | None:
    """The smallest free compartment that fits `want` (any size when None).

    Residents who need low doors get an accessible one when any fits; everyone else is given the
    higher doors first so the accessible ones stay free for those who need them.
    """
    need = ORDER.get(want or "S", 0)
    fits = [s for s in free if ORDER[s.size] >= need]
    if not fits:
        return None
    if low_door and any(s.accessible for s in fits):
        fits = [s for s in fits if s.accessible]

    def key(s: Slot) -> tuple[int, int, str]:
        return (ORDER[s.size], 0 if (s.accessible == low_door) else 1, s.id)

    return min(fits, key=key)


def free_sizes(free: Iterable[Slot]) -> dict[str, int]:
    out = dict.fromkeys(SIZES, 0)
    for s in free:
        out[s.size] += 1
    return out
