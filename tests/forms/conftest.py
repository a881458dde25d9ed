import pytest

from iness.models import OutgoingMail, Person, StatusChange
from proposals.models import Proposal
from registrations.models import Registration

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def database_snapshot() -> dict[str, list[dict]]:
    """Every row a public form can create or change, field by field."""
    return {
        model.__name__: list(model.objects.order_by("pk").values())
        for model in (Person, Registration, Proposal, OutgoingMail, StatusChange)
    }


@pytest.fixture
def unchanged(db):
    """`with unchanged(): ...` fails unless the block leaves every such row as it was."""
    import contextlib

    @contextlib.contextmanager
    def check():
        before = database_snapshot()
        yield
        assert database_snapshot() == before, "a row was created or changed"

    return check
