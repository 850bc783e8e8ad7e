"""The suite's own rules: in CI nothing is skipped."""

import pytest

from tests.conftest import skips_fail_in_ci

NODE = "tests/browser/test_api_docs.py::test_api_docs_render"
REASON = "Skipped: Chromium is not installed (apt-get install -y chromium) for browser tests"


def report(outcome, longrepr, **extra):
    return pytest.TestReport(
        NODE,
        ("tests/browser/test_api_docs.py", 5, "test_api_docs_render"),
        {},
        outcome,
        longrepr,
        "setup",
        **extra,
    )


def test_a_skip_fails_in_ci_and_says_why():
    skipped = report("skipped", ("tests/conftest.py", 120, REASON))

    skips_fail_in_ci(skipped, environ={"CI": "true"})

    assert (skipped.outcome, skipped.longrepr) == (
        "failed",
        f"Every test must run in CI, and this one was skipped: {REASON}",
    )


def test_a_skip_stays_a_skip_on_a_developer_machine():
    skipped = report("skipped", ("tests/conftest.py", 120, REASON))

    skips_fail_in_ci(skipped, environ={"CI": "false"})

    assert (skipped.outcome, skipped.longrepr) == ("skipped", ("tests/conftest.py", 120, REASON))


def test_an_expected_failure_stays_expected_in_ci():
    expected = report("skipped", ("tests/conftest.py", 120, "xfail"), wasxfail="known bug")

    skips_fail_in_ci(expected, environ={"CI": "true"})

    assert expected.outcome == "skipped"


def test_a_pass_is_left_alone_in_ci():
    passed = report("passed", None)

    skips_fail_in_ci(passed, environ={"CI": "true"})

    assert (passed.outcome, passed.longrepr) == ("passed", None)
