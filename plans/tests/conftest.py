import pytest

from core.vocab import Profile
from people.tests.factories import join_team


@pytest.fixture
def neighbour(person, make_user):
    """Jozef's neighbour, on his team as neighbour or volunteer: no access to the plan in the matrix."""
    user = make_user(Profile.NEIGHBOUR, "Jan Smets")
    join_team(person, user)
    return user
