"""Suite-wide fixtures and the CI rule: on CI (CI=true) a skipped test is a failure, because CI installs
everything the suite needs."""

import os
import time

import pytest

IN_CI = os.environ.get("CI", "").lower() == "true"


def require(condition: bool, reason: str) -> None:
    """Skip with a clear reason on a developer's machine; fail on CI."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"CI must provide this: {reason}")
    pytest.skip(reason)


def _on_postgresql() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgres` (row locks, many concurrent writers) run only when DATABASE_URL is
    PostgreSQL. Elsewhere they are left out, with the reason printed; CI runs the suite on both databases, so
    they always run there."""
    if _on_postgresql():
        return
    left_out = [item for item in items if item.get_closest_marker("postgres")]
    if left_out:
        items[:] = [item for item in items if not item.get_closest_marker("postgres")]
        config.hook.pytest_deselected(items=left_out)


def pytest_report_header(config):
    if not _on_postgresql():
        return "tests marked `postgres` are left out: set DATABASE_URL=postgres://… to run them"


def pytest_sessionfinish(session, exitstatus):
    if IN_CI:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        skipped = reporter.stats.get("skipped", []) if reporter else []
        if skipped:
            reporter.write_line(f"CI=true: {len(skipped)} skipped test(s) count as failures", red=True)
            session.exitstatus = 1


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test database gets the real reference data (all 91,599 regions and KBLI 2020) once per run."""
    from naikkelas.regions.loading import load_all

    with django_db_blocker.unblock():
        load_all()


@pytest.fixture
def regions(db):
    """Use in tests that need regions, including transactional ones (whose flush empties every table)."""
    from naikkelas.regions.loading import load_all

    load_all()


@pytest.fixture(autouse=True)
def clear_of_rate_window_edges():
    """Rate limits count in fixed windows (core.ratelimit; every window used is a multiple of 15 minutes). A
    test that straddled a window's edge would see its count start again, so a test that would begin within
    a few seconds of an edge waits for the edge to pass."""
    remaining = 900 - time.time() % 900
    if remaining < 10:
        time.sleep(remaining + 0.1)


@pytest.fixture(autouse=True)
def media_root(tmp_path, settings):
    """Uploaded files go to a folder of the test's own, never into var/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT
