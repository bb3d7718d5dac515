"""What the browser tests rely on in pytest-django's live_server."""

import pytest

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("path", ["/static/admin/css/base.css", "/static/actors/actor_form.css"])
def test_live_server_serves_static_files(page, path):
    response = page.request.get(path)

    assert (response.status, response.headers["content-type"]) == (200, "text/css")
