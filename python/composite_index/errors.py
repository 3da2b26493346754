"""Exceptions raised by composite_index.

Every error of the Rust crate (its ``Error`` enum) is raised as one of four
classes, all subclasses of :class:`CompositeIndexError`:

==================  ==========================================================
class               Rust variants
==================  ==========================================================
``SpecError``       ``SpecParse``, ``UnsupportedSpecVersion``, ``UnknownCode``,
                    ``Pipeline``
``DataError``       ``Io``, ``Csv``, ``Table``, ``NonNumeric``, ``InfiniteValue``,
                    ``DuplicateUnit``, ``EmptyUnitCode``, ``DuplicateColumn``,
                    ``UnknownColumn``, ``MissingColumn``, ``DimensionMismatch``
``FrameworkError``  ``Framework`` (with every problem in ``problems``)
``MethodError``     ``InvalidParameter``, ``DegenerateColumn``, ``Domain``,
                    ``Custom``
==================  ==========================================================

The fields of the Rust variant are attributes of the exception, under the same
names (``unit``, ``column``, ``row``, ``indicator``, ``node``, ``method``,
``parameter``, ``code``, ``kind``, ``context``, ``step``, ``stage``...), and
``variant`` is the name of the Rust variant. Attributes a variant does not have
are ``None``, so ``e.unit`` never raises. The text of the parser or of the
problem is ``reason``; ``str(e)`` is the full message, as the command line
prints it. A spec that does not parse (``SpecParse``) has the ``line`` and
``column_number`` of the problem when the parser names them. An error in one
edition of a panel (Rust ``InEdition``) is raised as the class of the error in
that edition, with its fields and the edition's ``time``.

>>> import composite_index as ci
>>> try:
...     ci.IndexSpec.from_toml("spec_version = 1\\nframework = 3")
... except ci.SpecError as e:
...     print(e.variant, e.line)
SpecParse 2
"""

from __future__ import annotations

from typing import Any, List, Optional

__all__ = [
    "CompositeIndexError",
    "SpecError",
    "DataError",
    "FrameworkError",
    "MethodError",
    "FrameworkProblem",
]


class CompositeIndexError(Exception):
    """Base class of every error of the crate.

    Attributes are the fields of the Rust error variant (``None`` when the
    variant has no such field); ``variant`` names the variant.
    """

    variant: str = "Other"
    unit: Optional[str] = None
    indicator: Optional[str] = None
    node: Optional[str] = None
    column: Optional[str] = None
    row: Optional[int] = None
    line: Optional[int] = None
    column_number: Optional[int] = None
    code: Optional[str] = None
    kind: Optional[str] = None
    context: Optional[str] = None
    path: Optional[str] = None
    method: Optional[str] = None
    parameter: Optional[str] = None
    target: Optional[str] = None
    child: Optional[str] = None
    value: Any = None
    step: Optional[int] = None
    stage: Optional[str] = None
    reason: Optional[str] = None
    what: Optional[str] = None
    expected: Optional[int] = None
    found: Optional[int] = None
    supported: Optional[int] = None
    first_row: Optional[int] = None
    second_row: Optional[int] = None
    codes: Optional[List[str]] = None
    time: Optional[float] = None

    def __init__(self, message: str, **fields: Any) -> None:
        super().__init__(message)
        self.message = message
        for key, value in fields.items():
            setattr(self, key, value)
        self._fields = sorted(fields)

    def fields(self) -> dict:
        """The structured context of the error as a dict (variant and fields)."""
        return {k: getattr(self, k) for k in self._fields}

    def __repr__(self) -> str:
        inner = ", ".join(f"{k}={getattr(self, k)!r}" for k in self._fields if k != "variant")
        return f"{type(self).__name__}[{self.variant}]({inner})"


class SpecError(CompositeIndexError):
    """A specification that does not parse, names an unknown code, has an
    unsupported version or a step that cannot be where it is."""


class DataError(CompositeIndexError):
    """Data that cannot be read or checked: malformed tables, non-numeric or
    infinite cells, duplicate or empty unit codes, missing or unknown columns,
    sizes that disagree, files that cannot be opened."""


class MethodError(CompositeIndexError):
    """A method that cannot run: a parameter out of its domain, a degenerate
    column (constant, too few values), a value outside an aggregation's domain
    (e.g. zero in a geometric mean), a failing custom method."""


class FrameworkProblem:
    """One problem of a framework (Rust ``FrameworkProblem``).

    ``kind`` is the Rust variant (``MissingParent``, ``Cycle``,
    ``IndicatorNotInData``...); its fields are attributes (``code``,
    ``parent``, ``codes``, ``stated``, ``computed``, ``weight``...).
    """

    kind: str = "Other"
    code: Optional[str] = None
    parent: Optional[str] = None
    indicator: Optional[str] = None
    codes: Optional[List[str]] = None
    suggestion: Optional[str] = None

    def __init__(self, message: str, **fields: Any) -> None:
        self.message = message
        for key, value in fields.items():
            setattr(self, key, value)
        self._fields = sorted(fields)

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        inner = ", ".join(f"{k}={getattr(self, k)!r}" for k in self._fields if k != "kind")
        return f"FrameworkProblem[{self.kind}]({inner})"


class FrameworkError(CompositeIndexError):
    """A framework that failed validation; ``problems`` lists every problem
    found (not only the first) as :class:`FrameworkProblem` objects, and
    ``codes`` the nodes they concern."""

    problems: List[FrameworkProblem] = []
