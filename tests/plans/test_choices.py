from caring.plans.choices import ActionStatus, DateKindChoice, Rag
from caring.plans.dates import DateKind
from caring.plans.rag import RAGS, STATUSES


def test_model_choices_mirror_the_pure_modules():
    assert set(DateKindChoice.values) == {kind.value for kind in DateKind}
    assert tuple(ActionStatus.values) == STATUSES
    assert set(Rag.values) - {""} == set(RAGS)
