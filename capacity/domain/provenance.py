"""Where a number came from: the decision record, worked out from it, an assumption, or the user.

Every number in a scenario carries a :class:`Provenance`. The register of all
of them (:class:`ProvenanceEntry`) is what finance audits against the record.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from capacity.errors import InvalidValue


class ProvenanceKind(StrEnum):
    SOURCE = "source"  # stated in a document; text is the reference ("para 14", "Business plan")
    ASSUMPTION = "assumption"  # stated nowhere; text gives the reasoning
    DERIVED = "derived"  # worked out from a document's figures; text gives the working
    INPUT = "input"  # a bare value typed by the user, with no claim either way


_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


def check_id(value: str) -> None:
    """Ids name output folders, sheets and files: letters, digits, ``-``, ``_`` and ``.`` only."""
    if not _ID.fullmatch(value) or len(value) > 60:
        raise InvalidValue(
            "id",
            f"{value!r} is not a usable id: use up to 60 letters, digits, '-', '_' or '.', "
            "starting with a letter or digit",
        )


@dataclass(frozen=True)
class Provenance:
    kind: ProvenanceKind
    text: str = ""

    def __post_init__(self) -> None:
        # Any organisation's references are welcome ("Business plan 2024/25"); the shipped
        # data's stricter rule, a paragraph for every record figure, is a test on that data.
        if self.kind is not ProvenanceKind.INPUT and not self.text.strip():
            what = {
                ProvenanceKind.SOURCE: "the document it comes from",
                ProvenanceKind.DERIVED: "the working",
            }.get(self.kind, "why")
            raise InvalidValue(self.kind.value, f"is empty; give {what}")


INPUT = Provenance(ProvenanceKind.INPUT)


@dataclass(frozen=True)
class ProvenanceEntry:
    """One number of the scenario and where it came from.

    Parameters
    ----------
    place
        Key path, e.g. ``work[vs-tender].load``.
    value
        The value as written (a range is shown as ``0.4-0.5``).
    provenance
        Its source or assumption.
    file
        The file it was read from.
    """

    place: str
    value: str
    provenance: Provenance
    file: str = ""
