"""Verification: Newton refinement and Krawczyk certificates on the exact system, exact and modular root
counts (msolve, Singular), and the published counts."""
