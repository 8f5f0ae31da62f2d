import pytest

from reportgen.identifiers import anchor, slug


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Requires improvement", "requires_improvement"),
        ("Good", "good"),
        ("LBN - CSC", "lbn_csc"),
        ("  Inadequate!  ", "inadequate"),
    ],
)
def test_slug(text: str, expected: str) -> None:
    assert slug(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Our priorities for 2024/25", "our-priorities-for-2024-25"),
        ("  What's next?  ", "what-s-next"),
        ("Children & Young People", "children-young-people"),
        ("!!!", ""),
    ],
)
def test_anchor(text: str, expected: str) -> None:
    assert anchor(text) == expected
