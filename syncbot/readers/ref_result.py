"""What the reference parser finds in a dependency text: the local keys it names, whether it says there are
none, references shaped like the document's keys that name no unit, inverse edges (`Blocks: Y`) and external
references as written.  A module of its own so that the parser (:mod:`refs`), the reading of one clause
(:mod:`ref_scan`) and the key index's memo of answers share it without importing one another."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Refs:
    keys: list[str]  # local keys this unit depends on, in the order written
    explicit_none: bool  # the text says there are none (`None`, `Nothing — we own this`)
    unknown: list[str]  # references shaped like this document's keys that name no unit
    inverse: list[str] = field(default_factory=list)  # local keys that depend on this unit (`Blocks: Y`)
    external: list[str] = field(default_factory=list)  # another document's or repository's units, as written

    @property
    def prerequisites(self) -> list[str]:
        """What the unit waits for, as a reader stores it: local keys, then unknown and external ones."""
        return [*self.keys, *self.unknown, *self.external]
