"""`make screenshots`: PNGs of the board, the deal list, a deal page and Today with demo data.

Run as `python -m dealtrack.testing.screenshots --out docs/screenshots`. It builds a throw-away data
directory with `dealtrack demo`, serves it with `dealtrack serve` on a free local port, signs in as a
demo rep in Simplified Chinese and saves one PNG per page. `take_screenshots` is also what the test
calls against the live test server. Needs Playwright (a dev dependency) and Debian's chromium.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterable
from pathlib import Path
from typing import Any

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PAGES = ("today", "board", "list", "deal")


def take_screenshots(
    base_url: str,
    username: str,
    password: str,
    out_dir: Path,
    *,
    locale: str = "zh-CN",
    width: int = 1440,
    browser: Any = None,
) -> list[Path]:
    """Sign in and save today.png, board.png, list.png and deal.png (the biggest visible deal) into `out_dir`.

    Uses `browser` (a Playwright Chromium) when given, else launches Debian's chromium for the call.
    """
    if browser is not None:
        return _take(browser, base_url, username, password, out_dir, locale, width)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            return _take(chromium, base_url, username, password, out_dir, locale, width)
        finally:
            chromium.close()


def _take(
    browser: Any, base_url: str, username: str, password: str, out_dir: Path, locale: str, width: int
) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []
    context = browser.new_context(viewport={"width": width, "height": 900}, locale=locale)
    page = context.new_page()
    page.goto(f"{base_url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base_url}/today/")
    deal_url = None
    for name, path in (("today", "/today/"), ("board", "/board/"), ("list", "/deals/?sort=-value")):
        page.goto(base_url + path)
        page.wait_for_load_state("networkidle")
        saved.append(_shoot(page, out_dir / f"{name}.png"))
        if name == "list":
            first = page.locator("#list-results tbody tr td a").first
            deal_url = first.get_attribute("href") if first.count() else None
    if deal_url:
        page.goto(base_url + deal_url)
        page.wait_for_load_state("networkidle")
        saved.append(_shoot(page, out_dir / "deal.png"))
    context.close()
    return saved


def _shoot(page, path: Path) -> Path:  # noqa: ANN001 - a Playwright page
    page.screenshot(path=str(path), full_page=False)
    return path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_up(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2):  # noqa: S310 - our own local server
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"the server at {url} did not come up")


def _dealtrack(args: Iterable[str], env: dict[str, str]) -> None:
    subprocess.run([sys.executable, "-m", "dealtrack", *args], check=True, env=env)  # noqa: S603


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    parser.add_argument("--deals", type=int, default=400)
    parser.add_argument("--user", default="rep1")
    parser.add_argument("--password", default="demo1234")
    options = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="dealtrack-shots-") as data_dir:
        # Always a fresh SQLite file: never the developer's own database.
        env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
        env["DEALTRACK_DATA_DIR"] = data_dir
        _dealtrack(["migrate", "--noinput", "-v", "0"], env)
        _dealtrack(["demo", "--deals", str(options.deals), "--seed", "1"], env)
        port = _free_port()
        server = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "dealtrack", "serve", "--port", str(port), "--no-worker", "--workers", "1"],
            env=env,
            stdout=subprocess.DEVNULL,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            _wait_until_up(url)
            for path in take_screenshots(url, options.user, options.password, options.out):
                print(path)  # noqa: T201
        finally:
            server.terminate()
            server.wait(timeout=20)


if __name__ == "__main__":
    main()
