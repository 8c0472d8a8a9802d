"""A killed import never leaves half an interaction behind, and a re-run completes it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from heartline.settings import Settings
from heartline.store.engine import make_engine
from heartline.store.tables import InteractionRow, TurnRow


def _calls(n: int) -> str:
    lines = []
    for i in range(n):
        turns = [
            {"speaker": "customer" if t % 2 == 0 else "agent", "text": f"turn {t} of call {i}, about my bill"}
            for t in range(30)
        ]
        lines.append(json.dumps({"id": f"k-{i}", "agent_id": f"a-{i % 7}", "turns": turns}))
    return "\n".join(lines) + "\n"


@pytest.mark.slow
def test_sigkill_mid_import_leaves_only_whole_interactions(tmp_path: Path) -> None:
    src = tmp_path / "big.jsonl"
    src.write_text(_calls(12_000))
    env = {**os.environ, "HEARTLINE_DATA_DIR": str(tmp_path / "data"), "HEARTLINE_INGEST_BATCH_SIZE": "50"}
    env.pop("HEARTLINE_DATABASE_URL", None)
    cmd = [sys.executable, "-m", "heartline.cli", "ingest", str(src)]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    engine = make_engine(Settings(data_dir=tmp_path / "data"))
    stored = 0
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.2)
        try:
            with engine.connect() as conn:
                stored = conn.execute(select(func.count()).select_from(InteractionRow)).scalar_one()
        except Exception:  # noqa: BLE001 - the schema may not exist yet
            continue
        if stored >= 300:
            break
    assert proc.poll() is None, "the import finished before it could be killed; make the file bigger"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    with engine.connect() as conn:
        n = conn.execute(select(func.count()).select_from(InteractionRow)).scalar_one()
        assert 0 < n < 12_000
        per = dict(
            conn.execute(select(TurnRow.interaction_id, func.count()).group_by(TurnRow.interaction_id)).all()
        )
        for row_id, turn_count in conn.execute(select(InteractionRow.id, InteractionRow.turn_count)):
            assert per.get(row_id) == turn_count == 30
        assert set(per) <= set(conn.execute(select(InteractionRow.id)).scalars())
    engine.dispose()
    rerun = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    assert f"duplicates {n}" in rerun.stdout
    with make_engine(Settings(data_dir=tmp_path / "data")).connect() as conn:
        assert conn.execute(select(func.count()).select_from(InteractionRow)).scalar_one() == 12_000
