"""The recognition demo seed on a small generated organisation: believable, scoped, idempotent."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from heartline.demo import generate
from heartline.people.stories import anonymise
from heartline.settings import Settings
from heartline.store.demo_load import load_organisation
from heartline.store.engine import make_engine, migrate
from heartline.store.tables import AgentRow, AnalysisRow, InteractionRow, SurveyRow
from heartline.store.tables_recognition import (
    CommentPraiseRow,
    HardDayRow,
    MvpConfirmationRow,
    RecognitionRow,
    StoryConsentRow,
    StoryRow,
)
from heartline.web.accounts import ensure_demo_accounts
from heartline.web.routes.recognition import RECOGNITION_VALUES, seed_demo

TABLES = (RecognitionRow, MvpConfirmationRow, StoryRow, StoryConsentRow, HardDayRow, CommentPraiseRow)


def _counts(engine) -> dict[str, int]:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return {t.__tablename__: conn.execute(select(func.count()).select_from(t)).scalar_one() for t in TABLES}


@pytest.mark.slow
def test_seed_demo_fills_every_table_once(tmp_path: Path) -> None:
    org = generate(seed=7, end=date(2026, 11, 20), days=45, interactions=700, agents=9)
    engine = make_engine(Settings(data_dir=tmp_path, environment="test"))
    migrate(engine)
    load_organisation(engine, org)
    # the generator's ground-truth difficulty stands in for the analysis (hard days need it)
    with engine.begin() as conn:
        ids = dict(conn.execute(select(InteractionRow.external_id, InteractionRow.id)).all())
        now = datetime.now(UTC)
        conn.execute(insert(AnalysisRow), [
            {"interaction_id": ids[iid], "model_version": "truth", "difficulty": float(t.difficulty), "missed_cues": 0,
             "body": {"moments": []}, "analysed_at": now}
            for iid, t in org.truth.items() if iid in ids
        ])  # fmt: skip
    ensure_demo_accounts(engine, org)

    seed_demo(engine, org)
    first = _counts(engine)
    assert first["recognitions"] >= 3 * 9  # three per agent, every team
    assert first["recognition_mvps"] == 3  # last month's MVP of each team
    assert first["recognition_stories"] >= 3 and first["recognition_story_consents"] >= 1
    assert first["recognition_hard_days"] >= 1
    with engine.connect() as conn:
        commented = conn.execute(select(func.count()).select_from(SurveyRow).where(SurveyRow.comment.is_not(None))).scalar_one()
    assert first["comment_praise"] == commented  # every comment classified once

    seed_demo(engine, org)
    assert _counts(engine) == first  # idempotent

    with Session(engine) as s:
        team_of = dict(s.execute(select(AgentRow.id, AgentRow.team_id)).all())
        recs = s.execute(select(RecognitionRow)).scalars().all()
        for r in recs:
            assert r.receiver_agent_id != r.giver_agent_id
            assert set(r.value_tags) <= set(RECOGNITION_VALUES)
            assert r.team_id == team_of[r.receiver_agent_id]
            if r.giver_agent_id is not None:
                assert team_of[r.giver_agent_id] == r.team_id  # peers recognise peers
        lead_given = [r for r in recs if r.giver_role == "lead"]
        assert lead_given and any(r.giver_user_id is not None for r in lead_given)  # lead@demo gives too
        assert len({r.receiver_agent_id for r in recs}) >= 7
        stories = s.execute(select(StoryRow)).scalars().all()
        assert {st.consent_status for st in stories} <= {"granted", "pending"}
        comments = dict(s.execute(select(SurveyRow.id, SurveyRow.comment)).all())
        labels = dict(s.execute(select(CommentPraiseRow.survey_id, CommentPraiseRow.label)).all())
        for st in stories:  # the lead's pick: an empathy comment, anonymised, traced to its survey
            assert labels[st.survey_id] == "empathy_praise"
            assert st.text == anonymise(comments[st.survey_id])
        granted = {c.story_id for c in s.execute(select(StoryConsentRow)).scalars()}
        assert granted == {st.id for st in stories if st.consent_status == "granted"}
        assert all(m.month == "2026-10" for m in s.execute(select(MvpConfirmationRow)).scalars())
        for h in s.execute(select(HardDayRow)).scalars():
            assert h.status == "sent" and h.reasons and h.contacts >= 3 and h.message != h.suggested_message
    engine.dispose()
