"""Signing in through the real login form, as the browser journeys do."""

from tests.factories import PASSWORD


def log_in(page, email, password=PASSWORD):
    page.goto("/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.click("main button[type=submit]")
    page.wait_for_url("**/")
