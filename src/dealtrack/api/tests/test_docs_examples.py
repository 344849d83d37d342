"""Run every ```sh block of docs/api.md, in order, with curl against a live server on 127.0.0.1."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from dealtrack.core.tokens import create_api_token
from dealtrack.testing.factories import TeamFactory, UserFactory

DOC = Path(__file__).resolve().parents[4] / "docs" / "api.md"


def sh_blocks(text: str) -> list[str]:
    return re.findall(r"^```sh\n(.*?)^```", text, flags=re.MULTILINE | re.DOTALL)


def test_doc_has_examples_for_each_topic():
    blocks = sh_blocks(DOC.read_text())

    assert len(blocks) >= 7
    assert all("curl" in block for block in blocks)


@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_doc_examples_run_against_a_live_server(live_server, settings, tmp_path):
    assert shutil.which("curl")
    assert shutil.which("jq")
    settings.API_RATE_LIMIT = 30  # small, so the 429 example gets there quickly and waits briefly
    settings.API_RATE_LIMIT_WINDOW = 2
    rep = UserFactory(username="doc_rep", team=TeamFactory(name="文档组"))
    _row, token = create_api_token(user=rep, name="docs")
    script = "\n".join(sh_blocks(DOC.read_text()))

    result = subprocess.run(  # noqa: S603 - our own documentation, against our own test server
        ["bash", "-euo", "pipefail", "-c", script],  # noqa: S607
        cwd=tmp_path,
        env={"PATH": os.environ["PATH"], "BASE": live_server.url, "TOKEN": token},
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert '"username": "doc_rep"' in out
    assert '"code": "invalid_request"' in out
    assert "next time start from 20" in out
    assert re.search(r"created once: deal \d+", out)
    assert '"next_step": "Send the proposal"' in out
    assert "stale: the deal is now version 2; re-read, merge, retry" in out
    assert '"status": "won"' in out
    assert re.search(r"rate limited after \d+ requests; waiting [1-9]\d* s", out)
    assert "allowed again" in out
