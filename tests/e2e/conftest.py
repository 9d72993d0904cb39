"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

The live server answers from another thread, so it only sees committed data: pytest-django runs
every test that uses ``live_server`` as a transactional test, which empties the database (flush)
after the test. Two consequences, on SQLite and PostgreSQL alike:

* each browser test loads the seed corpus itself (``corpus``) and gets back the rows the
  migrations made, such as the search synonyms (``serialized_rollback=True`` on the tests);
* browser tests run after every other test, since the flush also removes the corpus that the
  session-wide ``seeded_db`` fixture committed for them.

Without Chromium (/usr/bin/chromium) or the ``playwright`` package the tests are skipped,
except when ``CI`` is set: there they fail, so a CI machine without a browser cannot pass
unnoticed. ``playwright install`` is never needed: the browser is Debian's.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connections

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
TIMEOUT_MS = 15_000


def missing_requirements() -> list[str]:
    missing = []
    if not CHROMIUM.exists():
        missing.append(f"{CHROMIUM} (apt-get install chromium fonts-wqy-microhei)")
    if importlib.util.find_spec("playwright") is None:
        missing.append("the playwright package (pip install -e '.[dev]')")
    return missing


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    browser_tests = [item for item in items if item.get_closest_marker("e2e")]
    if not browser_tests:
        return
    # After tests/conftest.py's ordering (trylast): the flush after each browser test would
    # remove the seed corpus that the tests after it expect.
    items[:] = [item for item in items if not item.get_closest_marker("e2e")] + browser_tests
    missing = missing_requirements()
    if missing and not os.environ.get("CI"):
        skip = pytest.mark.skip(reason="browser tests need " + " and ".join(missing))
        for item in browser_tests:
            item.add_marker(skip)


@pytest.fixture
def corpus(live_server):
    """The seed corpus, committed where the live server reads it (idempotent: fast when already there)."""
    call_command("load_seed_corpus", verbosity=0)


@pytest.fixture
def page(live_server, corpus, monkeypatch):
    """A Chromium tab on the live server, in Chinese, with downloads; the browser lives for one test.

    Playwright's sync API keeps an asyncio event loop marked as running in this thread from start()
    to stop(), which changes Django in two ways while it runs:

    * every ORM call made here raises SynchronousOnlyOperation ("You cannot call this from an async
      context"), though the calls are plain synchronous code while the loop waits on the browser:
      DJANGO_ALLOW_ASYNC_UNSAFE allows them, for this test only (monkeypatch);
    * ``django.db.connections`` hands out connections kept per async context, not the ones the test
      database was set up with. The flush after the test and the restore of the migrations' rows
      before the next one (serialized_rollback) must see the originals, so the browser is started
      after the data is loaded and stopped, with the connections it saw closed, before the flush.
    """
    missing = missing_requirements()
    if missing:  # only reached with CI set: fail rather than skip
        pytest.fail("browser tests need " + " and ".join(missing), pytrace=False)
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context(
            base_url=live_server.url, locale="zh-CN", accept_downloads=True, viewport={"width": 1280, "height": 900}
        )
        context.set_default_timeout(TIMEOUT_MS)
        yield context.new_page()
        context.close()
        browser.close()
    finally:
        connections.close_all()  # those opened by the test body, in the loop's context
        playwright.stop()
