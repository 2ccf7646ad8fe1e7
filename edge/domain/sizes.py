"""Compartment sizes and choosing a door for a parcel."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

SIZES = ("S", "M", "L", "XL")
ORDER = {s: i for i, s in enumerate(SIZES)}
#: doors whose bottom edge is between these heights (cm) count as reachable from a wheelchair
ACCESSIBLE_CM = (15, 120)


@dataclass(frozen=True)
class Slot:
    id: str
    size: str
    height_cm: int

    @property
    def accessible(self) -> bool:
        return ACCESSIBLE_CM[0] <= self.height_cm <= ACCESSIBLE_CM[1]


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
