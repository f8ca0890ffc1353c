"""Deep linear network architectures: widths, shapes and the numbers derived from them.

See docs/conventions.md and REFERENCE.md section 1.
"""

from __future__ import annotations

from dataclasses import dataclass
import math
from math import comb

from ..exceptions import InputError

__all__ = ["Architecture"]


@dataclass(frozen=True)
class Architecture:
    """Widths ``(d_0, d_1, ..., d_H)`` of a deep linear network with ``H`` weight matrices.

    ``W_l`` has shape ``(d_l, d_{l-1})``; ``d_0`` is the input width and ``d_H`` the
    output width.

    >>> a = Architecture((2, 2, 2))
    >>> a.depth, a.n_parameters, a.total_degree
    (2, 8, 6561)
    >>> a.rank_bound, a.is_filling
    (2, True)
    """

    widths: tuple[int, ...]

    def __post_init__(self) -> None:
        widths = tuple(self.widths)
        if len(widths) < 2:
            raise InputError(
                "widths",
                f"needs at least two widths (input and output), got {len(widths)}",
                "give d0,d1,...,dH, for example 2,2,2",
            )
        for position, width in enumerate(widths):
            if isinstance(width, bool) or not isinstance(width, int):
                raise InputError("widths", f"entry {position} is {width!r}, not an integer")
            if width <= 0:
                raise InputError(
                    "widths", f"entry {position} is {width}; every width must be a positive integer"
                )
        object.__setattr__(self, "widths", widths)

    @classmethod
    def parse(cls, text: str) -> "Architecture":
        """Parse ``"2,2,2"`` into an architecture, with a clear error on bad text."""
        parts = [part.strip() for part in str(text).split(",")]
        widths = []
        for position, part in enumerate(parts):
            try:
                widths.append(int(part))
            except ValueError:
                raise InputError(
                    "widths", f"entry {position} is {part!r}, not an integer", "example: 2,2,2"
                ) from None
        return cls(tuple(widths))

    @property
    def depth(self) -> int:
        """Number ``H`` of weight matrices (hidden layers are ``H - 1``)."""
        return len(self.widths) - 1

    @property
    def input_width(self) -> int:
        return self.widths[0]

    @property
    def output_width(self) -> int:
        return self.widths[-1]

    @property
    def shapes(self) -> tuple[tuple[int, int], ...]:
        """Shape ``(d_l, d_{l-1})`` of each weight matrix ``W_l``, ``l = 1..H``."""
        return tuple((self.widths[l + 1], self.widths[l]) for l in range(self.depth))

    @property
    def n_parameters(self) -> int:
        """Number ``N`` of unknowns, which is also the number of gradient equations."""
        return sum(rows * cols for rows, cols in self.shapes)

    @property
    def equation_degree(self) -> int:
        """Degree ``2H - 1`` of every gradient equation."""
        return 2 * self.depth - 1

    @property
    def total_degree(self) -> int:
        """Bezout bound ``CBB = (2H - 1)^N``."""
        return self.equation_degree ** self.n_parameters

    @property
    def rank_bound(self) -> int:
        """``r = min(d_0, ..., d_H)``, the largest rank of the end-to-end matrix."""
        return min(self.widths)

    @property
    def outer_rank(self) -> int:
        """``q = min(d_0, d_H)``."""
        return min(self.input_width, self.output_width)

    @property
    def is_filling(self) -> bool:
        """True when ``r = q``: the end-to-end map fills the space of ``d_H x d_0`` matrices."""
        return self.rank_bound == self.outer_rank

    @property
    def n_unregularized_products(self) -> int:
        """``sum_{k <= r} C(q, k)``: distinct end-to-end matrices of critical points for generic data."""
        return sum(comb(self.outer_rank, k) for k in range(self.rank_bound + 1))

    @property
    def variable_names(self) -> tuple[str, ...]:
        """Names ``w{l}_{i}_{j}`` (1-based), row-major within each ``W_l``, layers in order."""
        return tuple(
            f"w{l + 1}_{i + 1}_{j + 1}"
            for l, (rows, cols) in enumerate(self.shapes)
            for i in range(rows)
            for j in range(cols)
        )

    def __str__(self) -> str:
        return ",".join(str(width) for width in self.widths)

    @property
    def total_degree_text(self) -> str:
        """The Bezout bound as ``"3^20000 (about 10^9542)"``: its decimal form may be too long to print.

        >>> Architecture((100, 100, 100)).total_degree_text
        '3^20000 (about 10^9542)'
        >>> Architecture((2, 2, 2)).total_degree_text
        '3^8 = 6561'
        """
        base, exponent = self.equation_degree, self.n_parameters
        if exponent * math.log10(base) < 15:
            return f"{base}^{exponent} = {base ** exponent}"
        return f"{base}^{exponent} (about 10^{int(exponent * math.log10(base))})"

    def check_budget(self, *, max_unknowns: int) -> None:
        """Raise :class:`BudgetExceededError` when the system has more unknowns than ``max_unknowns``.

        Cheap: runs before any symbolic work, so a hopeless architecture is refused at once.
        """
        from ..exceptions import BudgetExceededError

        if self.n_parameters > max_unknowns:
            raise BudgetExceededError(
                f"widths {self}: {self.n_parameters} unknowns exceed the budget of {max_unknowns}; the "
                f"total-degree bound on the number of paths is {self.total_degree_text}, and the largest "
                f"systems solved completely so far have about 16 unknowns (raise --max-unknowns if you mean it)"
            )


