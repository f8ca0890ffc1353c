"""Hypotheses shared by the Eckart-Young checks (``ed-degree``, ``critical-values``)."""

from __future__ import annotations

from ..model.data import exact_rank
from .instances import Instance
from .strata import SigmaSpectrum, sigma_spectrum

__all__ = ["eckart_young_hypothesis"]


def eckart_young_hypothesis(instance: Instance) -> tuple[SigmaSpectrum | None, str]:
    """Exact check of ``XX^T`` invertible and ``sigma_1 > ... > sigma_q > 0``; returns the spectrum or why not."""
    dx = instance.architecture.input_width
    rank = exact_rank(instance.dataset.X)
    if rank < dx:
        return None, (f"XX^T is singular (rank X = {rank} < d_0 = {dx}; use at least d_0 samples): "
                      "the Eckart-Young picture of REFERENCE.md section 4 assumes XX^T invertible")
    spectrum = sigma_spectrum(instance.dataset, instance.architecture.outer_rank)
    if not spectrum.generic:
        return None, f"data not generic: {spectrum.reason} (decided exactly over QQ)"
    return spectrum, ""
