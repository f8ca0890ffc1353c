"""Writing results: atomically, indented when small, compact when large."""

import json


def test_large_results_are_written_compact_and_small_ones_indented(tmp_path):
    from algeo.results.solve_result import COMPACT_ABOVE, write_json_atomically

    small, large = {"points": [{"a": 1}] * 3}, {"points": [{"a": 1}] * (COMPACT_ABOVE + 1)}
    write_json_atomically(small, tmp_path / "small.json")
    write_json_atomically(large, tmp_path / "large.json")
    assert "\n " in (tmp_path / "small.json").read_text()
    text = (tmp_path / "large.json").read_text()
    assert text.count("\n") == 1 and json.loads(text) == large
