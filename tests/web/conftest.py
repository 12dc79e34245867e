import io

import pytest
from django.core.management import call_command

from tests.web.pagecheck import check_page

PASSWORD = "a-long-demo-password"


@pytest.fixture
def demo(db):
    call_command("demo", password=PASSWORD, stdout=io.StringIO())


class CheckedClient:
    """A test client whose every HTML page is checked (see pagecheck.py)."""

    def __init__(self, client):
        self.client = client

    def _checked(self, response):
        if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
            response.soup = check_page(response.content.decode())
        return response

    def get(self, *args, **kwargs):
        return self._checked(self.client.get(*args, **kwargs))

    def post(self, *args, **kwargs):
        response = self.client.post(*args, **kwargs)
        if response.status_code in (200, 400):
            response.soup = check_page(response.content.decode())
        return response

    def sign_in(self, username):
        assert self.client.login(username=username, password=PASSWORD)
        return self


@pytest.fixture
def browser_client(client):
    return CheckedClient(client)
