"""`dealtrack` as an installed command: Django commands pass through, `serve` runs gunicorn + the worker."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["DEALTRACK_DATA_DIR"] = str(tmp_path)
    env["DJANGO_SETTINGS_MODULE"] = "dealtrack.settings"
    return env


def _dealtrack(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dealtrack", *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_django_commands_pass_through_and_secret_key_is_generated_once(tmp_path):
    env = _env(tmp_path)

    result = _dealtrack(
        "shell", "--no-imports", "-c", "from django.conf import settings; print(settings.SECRET_KEY)", env=env
    )
    again = _dealtrack(
        "shell", "--no-imports", "-c", "from django.conf import settings; print(settings.SECRET_KEY)", env=env
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == again.stdout.strip() == (tmp_path / "secret_key").read_text().strip()
    assert len(result.stdout.strip()) >= 50


def test_serve_answers_http_and_its_embedded_worker_runs_periodic_jobs(tmp_path):
    env = _env(tmp_path)
    assert _dealtrack("migrate", "--noinput", env=env).returncode == 0
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "dealtrack", "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        body = b""
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:  # noqa: S310
                    body = response.read()
                break
            except OSError:
                time.sleep(0.2)
        assert body == b'{"status": "ok"}'
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=5) as response:  # noqa: S310
            assert response.status == 200
            css = response.read().decode()
        assert "/static/dealtrack/app." in css  # hashed by the manifest storage, served by whitenoise

        done = []
        for _ in range(100):
            with sqlite3.connect(tmp_path / "dealtrack.sqlite3") as db:
                done = db.execute(
                    "SELECT status FROM django_tasks_database_dbtaskresult"
                    " WHERE task_path LIKE '%refresh_open_deal_health'"
                ).fetchall()
            if done and done[0][0] == "SUCCESSFUL":
                break
            time.sleep(0.2)
        assert done == [("SUCCESSFUL",)]
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=20)


def test_default_database_is_a_sqlite_file_in_the_data_dir_with_wal_and_immediate_writes(tmp_path):
    code = (
        "from django.db import connection; c = connection.cursor(); c.execute('PRAGMA journal_mode');"
        "print(c.fetchone()[0], connection.settings_dict['NAME'], connection.transaction_mode,"
        " connection.settings_dict['OPTIONS']['timeout'])"
    )

    result = _dealtrack("shell", "--no-imports", "-c", code, env=_env(tmp_path))

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["wal", str(tmp_path / "dealtrack.sqlite3"), "IMMEDIATE", "20"]
