"""PHCpack's end-game threshold on ``rco``, for solution lists that carry no label.

Standard library only: the phcpy worker (:mod:`algeo.phc._phcpy_worker`) runs as a
script and imports this module without importing the algeo package (which loads
sympy: about half a second per child process).
"""

#: PHCpack's end-game threshold on the inverse condition number, used when a list carries no label
#: (linear systems solved directly; phcpy's solution strings).
UNLABELLED_RCO_THRESHOLD = 1e-12


def label_from_rco(rco: float) -> str:
    """``"regular (rco)"`` above the threshold, else ``"singular (rco)"``.

    >>> label_from_rco(1e-3), label_from_rco(1e-15)
    ('regular (rco)', 'singular (rco)')
    """
    return "regular (rco)" if rco > UNLABELLED_RCO_THRESHOLD else "singular (rco)"
