"""Published generic root counts (Bharadwaj & Hosten, arXiv 2301.12651, Tables 3.1 and 3.2; m = 1).

Keyed by widths ``(d_x, d, ..., d, d_y)``. Values: ``(CBB, BKK, N_C, N_C*)``, where BKK is
the stable mixed volume. The one printed row the exact count contradicts (widths
1,1,1,1: printed N_C 16, exact 17, REFERENCE.md section 2) is stored with the exact
value and listed in :data:`CORRECTED`.
"""

from __future__ import annotations

__all__ = ["PUBLISHED_M1", "CORRECTED", "published_counts"]

# Table 3.1 (one hidden layer): d, d_x, d_y, N, CBB, BKK, BC, BC*, N_C, N_C*
_TABLE_3_1 = """
1 1 1 2 9 5 5 4 5 4
1 2 1 3 27 9 5 4 5 4
1 3 1 4 81 13 5 4 5 4
1 1 2 3 27 9 9 8 9 8
1 2 2 4 81 33 9 8 9 8
1 3 2 5 243 73 9 8 9 8
1 1 3 4 81 13 13 12 13 12
1 2 3 5 243 73 13 12 13 12
1 3 3 6 729 245 13 12 13 12
2 1 1 4 81 25 25 16 9 0
2 2 1 6 729 81 25 16 9 0
2 3 1 8 6561 169 25 16 9 0
2 1 2 6 729 81 81 64 33 16
2 2 2 8 6561 1089 81 64 33 16
2 3 2 10 59049 5329 81 64 33 16
2 1 3 8 6561 169 169 144 73 48
2 2 3 10 59049 5329 169 144 73 48
2 3 3 12 531441 60025 169 144 73 48
3 1 1 6 729 125 125 64 13 0
3 2 1 9 19683 729 125 64 13 0
3 3 1 12 531441 2197 125 64 13 0
3 1 2 9 19683 729 729 512 73 0
3 2 2 12 531441 35937 729 512 73 0
3 3 2 15 14348907 389017 729 512 73 0
3 1 3 12 531441 2197 2197 1728 245 64
3 2 3 15 14348907 389017 2197 1728 245 64
"""

# Table 3.2 (two hidden layers): d, d_x, d_y, N, CBB, BKK, N_C, N_C*
_TABLE_3_2 = """
1 1 1 3 125 17 17 16
1 2 1 4 625 33 17 16
1 3 1 5 3125 49 17 16
1 1 2 4 625 33 33 32
1 2 2 5 3125 129 33 32
1 3 2 6 15625 289 33 32
2 1 1 8 390625 1857 129 64
2 2 1 10 9765625 23937 129 64
2 3 1 12 244140625 109249 129 64
2 1 2 10 9765625 23937 641 384
2 2 2 12 244140625 780801 641 384
3 1 1 15 30517578125 667921 977 256
"""


def _rows():
    table = {}
    for line in _TABLE_3_1.strip().splitlines():
        d, dx, dy, n, cbb, bkk, _bc, _bcs, nc, ncs = map(int, line.split())
        table[(dx, d, dy)] = {"N": n, "CBB": cbb, "BKK": bkk, "N_C": nc, "N_C*": ncs, "source": "Table 3.1"}
    for line in _TABLE_3_2.strip().splitlines():
        d, dx, dy, n, cbb, bkk, nc, ncs = map(int, line.split())
        table[(dx, d, d, dy)] = {"N": n, "CBB": cbb, "BKK": bkk, "N_C": nc, "N_C*": ncs, "source": "Table 3.2"}
    return table


#: ``widths -> {"N", "CBB", "BKK", "N_C", "N_C*", "source"}`` for m = 1 and generic data, Lambda.
PUBLISHED_M1: dict[tuple[int, ...], dict] = _rows()

#: Rows where the printed value is contradicted by an exact count: widths -> note.
CORRECTED = {(1, 1, 1, 1): "printed N_C = 16; exact count (Groebner basis over QQ) is 17: the origin is a solution"}


def published_counts(widths, n_samples: int) -> dict | None:
    """The published generic counts for these widths when ``n_samples == 1``, else ``None``."""
    if n_samples != 1:
        return None
    return PUBLISHED_M1.get(tuple(widths))
