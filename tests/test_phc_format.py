"""PHCpack output blocks the parser once missed: '#deflations' headers and the outcome 'at infinity'."""

from pathlib import Path

from algeo.architecture import Architecture
from algeo.phc import parse_blackbox_output

GOLDEN = Path(__file__).parent / "golden" / "phc_deflation_and_infinity.txt"


def test_deflation_and_at_infinity_blocks_are_read():
    parsed = parse_blackbox_output(GOLDEN.read_text(), Architecture((2, 2, 2)).variable_names)
    assert parsed.declared_paths == 3 and len(parsed.paths) == 3  # every path accounted for
    assert [p.outcome for p in parsed.paths] == ["success", "failure", "at infinity"]
    assert parsed.paths[0].label == "complex regular" and parsed.paths[2].label == "at infinity"
