"""Independent exact verification of root counts and real solutions (msolve)."""
