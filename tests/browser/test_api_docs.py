import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_swagger_ui_renders_offline_with_every_endpoint(page):
    failed = []
    page.on("requestfailed", lambda request: failed.append(request.url))

    page.goto("/api/docs/")
    page.wait_for_selector(".swagger-ui .opblock-summary-path")

    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/v1/organisations/" in [path.strip() for path in paths]
    assert "/api/v1/organisations/{id}/" in [path.strip() for path in paths]
    assert failed == []
