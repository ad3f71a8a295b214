"""What validation hands back: issues with a path, the exception for unusable documents, the result."""

from __future__ import annotations

from dataclasses import dataclass

from scenarios.spec import Scenario


@dataclass(frozen=True)
class Issue:
    path: str  # e.g. "injects[3].at"; "" for the document as a whole
    message: str
    at: tuple[int, int] | None = None  # (line, column) in the text, when the reader stopped at a known place

    def as_dict(self) -> dict:
        if self.at is None:
            return {"path": self.path, "message": self.message}
        return {"path": self.path, "message": self.message, "line": self.at[0], "column": self.at[1]}


class DocumentError(Exception):
    """The document cannot be read or is not a valid scenario; `errors` lists every reason."""

    def __init__(self, errors: list[Issue]) -> None:
        self.errors = list(errors)
        super().__init__("; ".join(f"{e.path or 'document'}: {e.message}" for e in self.errors[:5]))


@dataclass
class Result:
    errors: list[Issue]
    warnings: list[Issue]
    scenario: Scenario | None  # only when there are no errors

    @property
    def valid(self) -> bool:
        return not self.errors


def key_path(path: str, key: object) -> str:
    """`brand` + `name` -> `brand.name`; the document's own keys have no leading dot."""
    return f"{path}.{key}" if path else str(key)


def index_path(path: str, index: int) -> str:
    return f"{path}[{index}]"
