import pytest

from algeo.model.architecture import Architecture
from algeo.exceptions import InputError


def test_derived_numbers_of_a_deep_network():
    a = Architecture((3, 2, 4, 1))
    assert a.depth == 3
    assert a.shapes == ((2, 3), (4, 2), (1, 4))
    assert a.n_parameters == 6 + 8 + 4
    assert a.equation_degree == 5
    assert a.total_degree == 5 ** 18
    assert (a.rank_bound, a.outer_rank, a.is_filling) == (1, 1, True)


def test_non_filling_and_product_count():
    a = Architecture((3, 2, 3))
    assert (a.rank_bound, a.outer_rank, a.is_filling) == (2, 3, False)
    assert a.n_unregularized_products == 1 + 3 + 3


def test_variable_names_are_row_major_and_phc_safe():
    names = Architecture((2, 1, 2)).variable_names
    assert names == ("w1_1_1", "w1_1_2", "w2_1_1", "w2_2_1")
    assert not any(ch in name for name in names for ch in "eEiI")


@pytest.mark.parametrize("text, fragment", [
    ("2", "at least two widths"),
    ("2,0,2", "positive"),
    ("2,-1,2", "positive"),
    ("2,x,2", "not an integer"),
    ("", "not an integer"),
])
def test_bad_widths_name_the_field(text, fragment):
    with pytest.raises(InputError) as caught:
        Architecture.parse(text)
    assert caught.value.field == "widths"
    assert fragment in str(caught.value)
