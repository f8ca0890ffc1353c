"""Certificates written to JSON and read back: the box stays exact."""

from __future__ import annotations

import json
from fractions import Fraction

from algeo.results.certificate import Box, NotProvenReason, PointCertificate, Realness


def test_certificate_round_trips_with_its_exact_box():
    box = Box(((Fraction(1, 3), Fraction(0)), (Fraction(-7, 2 ** 70), Fraction(0))), Fraction(1, 2 ** 80))
    proven = PointCertificate(index=3, unique=True, box=box, realness=Realness.REAL, distinct=True,
                              same_root_as=None, hessian_index=1, reasons=())
    failed = PointCertificate(index=4, unique=False, box=None, realness=Realness.NOT_PROVEN, distinct=False,
                              same_root_as=2, hessian_index=None,
                              reasons=(NotProvenReason.NEWTON_STEP_TOO_LARGE, NotProvenReason.KRAWCZYK_FAILED))
    not_real = PointCertificate(index=5, unique=True, box=box, realness=Realness.NOT_REAL, distinct=True,
                                same_root_as=None, hessian_index=None, reasons=())
    for certificate in (proven, failed, not_real):
        assert PointCertificate.from_json(json.loads(json.dumps(certificate.to_json()))) == certificate
    assert Box.from_json(box.to_json()).radius == Fraction(1, 2 ** 80)
