"""Results of ``solve(..., regularization="none")``: continuation paths and classified products."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .solve_result import SolveResult, expect_kind
from .statuses import ContinuationStatus, Decision, Purity

__all__ = ["ContinuationPath", "Product", "UnregularizedSolveResult"]


@dataclass(frozen=True)
class ContinuationPath:
    """One path ``Lambda = tau Lambda_0``, ``tau: 1 -> 0``, from a regularized critical point."""

    index: int
    start_point: int  # index into SolveResult.points (the Lambda_0 critical points)
    status: ContinuationStatus
    detail: str
    steps: int
    rejected_steps: int
    s_reached: float
    end_norm: float
    residual: float | None = None  # max |G_0| after refinement on the exact unregularized system
    newton_step: float | None = None
    step_converged: bool | None = None  # False: singular end point, Newton converged only linearly
    jacobian_rank: int | None = None
    jacobian_gap: float | None = None
    coordinates_text: tuple[tuple[str, str], ...] | None = None
    product: int | None = None
    rank: int | None = None
    stratum_residual: float | None = None  # part of grad l tangent to the rank stratum (relative)
    stratum_check: Decision | None = None  # YES: critical on its stratum, as it must be
    #: the refined end point as ``mpmath.mpc`` at the working precision: what the theorem checks
    #: read (never ``coordinates_text``, which is for JSON only)
    refined: tuple | None = field(default=None, compare=False, repr=False)

    def to_json(self) -> dict:
        data = {k: getattr(self, k) for k in ("index", "start_point", "detail", "steps", "rejected_steps",
                                               "s_reached", "end_norm", "residual", "newton_step", "step_converged",
                                               "jacobian_rank", "jacobian_gap", "product", "rank",
                                               "stratum_residual")}
        data["status"] = self.status.value
        data["stratum_check"] = self.stratum_check.value if self.stratum_check else None
        data["coordinates_text"] = [list(pair) for pair in self.coordinates_text] if self.coordinates_text else None
        return data

    @classmethod
    def from_json(cls, data: dict) -> "ContinuationPath":
        """The path :meth:`to_json` wrote."""
        fields = {k: data[k] for k in cls.__dataclass_fields__ if k != "refined"}
        fields["status"] = ContinuationStatus(data["status"])
        fields["stratum_check"] = Decision(data["stratum_check"]) if data["stratum_check"] else None
        text = data["coordinates_text"]
        fields["coordinates_text"] = tuple(tuple(pair) for pair in text) if text else None
        if text:  # the refined values back from their text, at its precision (the JSON keeps no more)
            import mpmath

            with mpmath.workdps(max(len(part) for pair in text for part in pair) + 5):
                fields["refined"] = tuple(mpmath.mpc(mpmath.mpf(re), mpmath.mpf(im)) for re, im in text)
        return cls(**fields)


@dataclass(frozen=True)
class Product:
    """A distinct end-to-end matrix ``Wbar`` of unregularized critical points, classified."""

    index: int
    matrix_text: tuple[tuple[str, ...], ...]  # real parts at the working precision
    max_imaginary: float
    rank: int | None
    singular_values: tuple[float, ...]
    largest_singular_value_called_zero: float | None
    smallest_singular_value_called_nonzero: float | None
    loss: float | None
    loss_text: str | None
    is_global: bool | None
    stratum_index: int | None  # Morse index of l on the rank-e stratum
    stratum_degenerate: bool | None  # extra zero eigenvalues beyond the GL(e) directions
    stratum_hessian_eigenvalues: tuple[float, ...] | None
    purity: Purity
    purity_residual: float | None
    is_local_minimum_on_M_r: bool | None
    index_set: tuple[int, ...]  # 1-based indices of U's singular directions
    distance_to_U_I: float  # ||Wbar - U_I (XX^T)^{-1/2}||_F
    eckart_young_loss_difference: float | None  # loss - (1/2 sum_{i not in I} sigma_i^2 + const)
    paths: tuple[int, ...]  # continuation paths that ended here
    start_points: tuple[int, ...]  # regularized critical points whose paths ended here

    def to_json(self) -> dict:
        data: dict[str, Any] = {k: getattr(self, k) for k in self.__dataclass_fields__ if k != "purity"}
        data["purity"] = self.purity.value
        data["matrix_text"] = [list(row) for row in self.matrix_text]
        for key in ("singular_values", "stratum_hessian_eigenvalues", "index_set", "paths", "start_points"):
            data[key] = list(data[key]) if data[key] is not None else None
        return data

    @classmethod
    def from_json(cls, data: dict) -> "Product":
        """The product :meth:`to_json` wrote."""
        fields = {k: data[k] for k in cls.__dataclass_fields__}
        fields["purity"] = Purity(data["purity"])
        fields["matrix_text"] = tuple(tuple(row) for row in data["matrix_text"])
        for key in ("singular_values", "stratum_hessian_eigenvalues", "index_set", "paths", "start_points"):
            fields[key] = tuple(data[key]) if data[key] is not None else None
        return cls(**fields)


@dataclass(frozen=True)
class UnregularizedSolveResult(SolveResult):
    """A :class:`SolveResult` for ``Lambda = 0``: ``points`` and ``paths`` are the ``Lambda_0`` run;
    ``continuation`` and ``products`` are the unregularized answer."""

    continuation: tuple[ContinuationPath, ...] = ()
    products: tuple[Product, ...] = ()
    filling: bool = False

    def to_json(self) -> dict:
        data = super().to_json()
        data["algeo_result"] = "solve_unregularized"
        data["filling"] = self.filling
        data["continuation"] = [p.to_json() for p in self.continuation]
        data["products"] = [p.to_json() for p in self.products]
        return data

    @classmethod
    def from_json(cls, data: dict) -> "UnregularizedSolveResult":
        """The result :meth:`to_json` wrote (``algeo solve --regularization none --json``)."""
        expect_kind(data, "solve_unregularized")
        return cls(**cls._fields_from_json(data), filling=data["filling"],
                   continuation=tuple(ContinuationPath.from_json(p) for p in data["continuation"]),
                   products=tuple(Product.from_json(p) for p in data["products"]))

    def summary(self) -> str:
        extra = self.counts.extra
        base = super().summary().splitlines()
        lambda_seed = self.provenance.get("unregularized", {}).get("lambda_0_seed", self.provenance["seed"])
        lines = base[:1] + [
            f"• start: generic Lambda_0 (seed {lambda_seed}): {self.counts.complex} finite critical points "
            f"from {self.counts.paths} paths",
            f"• continuation Lambda = tau Lambda_0, tau -> 0: {extra['continuation_converged']} converged, "
            f"{extra['continuation_diverged']} diverged, {extra['continuation_failed']} failed",
            f"• {extra['products']} distinct end-to-end matrices ({'filling' if self.filling else 'non-filling'}; "
            f"generic theory {extra['products_generic_theory']}): {extra['pure']} pure, {extra['spurious']} spurious, "
            f"{extra['undecided']} undecided; local minima of l on M_r: {extra['local_minima_on_M_r']}",
        ]
        for p in self.products:
            rank = "?" if p.rank is None else p.rank
            index = "-" if p.stratum_index is None else p.stratum_index
            loss = "complex" if p.loss is None else f"{p.loss:.6g}"
            lines.append(f"    product {p.index}: I = {{{','.join(map(str, p.index_set))}}} rank {rank} loss {loss} "
                         f"{p.purity.value} stratum index {index}{' global' if p.is_global else ''} "
                         f"(|Wbar - U_I| = {p.distance_to_U_I:.1e}, {len(p.paths)} paths)")
        lines += [line for line in base[1:] if line.startswith(("!", "✗", "• seed"))]
        return "\n".join(lines)
