"""The 1:1 agenda builder on hand-built analyses of one agent's fortnight."""

from __future__ import annotations

from datetime import date

import pytest

from heartline.people.agenda import (
    BARRIER_QUESTION,
    SUPPORT_QUESTION,
    TENSE_QUESTION,
    AgendaError,
    build_agenda,
    theme_of,
)

AS_OF = date(2026, 11, 16)

MISSED_ANGER = {
    "kind": "growth",
    "turn": 4,
    "reason": 'missed cue: the customer sounded angry at turn 3 ("this is the third time") and '
    "this reply did not acknowledge, validate or apologise",
    "evidence": "Can I take your account number?",
}
MISSED_WORRY = {
    "kind": "growth",
    "turn": 2,
    "reason": 'missed cue: the customer sounded worried at turn 1 ("will I lose the deposit") and '
    "this reply did not acknowledge, validate or apologise",
    "evidence": "What's the booking reference?",
}
MISSED_SADNESS = {
    "kind": "growth",
    "turn": 6,
    "reason": 'missed cue: the customer sounded sad at turn 5 ("it was my mum\'s account")',
    "evidence": "I need the death certificate.",
}
BLAME = {
    "kind": "growth",
    "turn": 7,
    "reason": "blame",
    "evidence": "You should have read the email.",
}
ROBOTIC = {
    "kind": "growth",
    "turn": 9,
    "reason": "robotic: the same empathy line was used 3 times (turns 3, 6, 9) without adapting it",
    "evidence": "i understand your frustration",
}
DISMISSIVE = {
    "kind": "growth",
    "turn": 3,
    "reason": "dismissive (rule dismissive.policy)",
    "evidence": "That's just our policy.",
}
MET_ANGER = {
    "kind": "glow",
    "turn": 5,
    "reason": "met the customer's anger at turn 4 with apologize, acknowledge_emotion",
    "evidence": "I'm so sorry, I can hear how fed up you are.",
}
MET_WORRY = {
    "kind": "glow",
    "turn": 3,
    "reason": "met the customer's worry at turn 2 with validate",
    "evidence": "Anyone would be worried about that.",
}
OWNERSHIP = {
    "kind": "glow",
    "turn": 8,
    "reason": "took ownership and said what happens next and when",
    "evidence": "I'll call you back by five today.",
}
DEESCALATED = {
    "kind": "glow",
    "turn": 10,
    "reason": "de-escalated: the customer sounded angry at turn 1; by the end (turn 11) they were satisfied",
    "evidence": "There, the refund is on its way.",
}


def analysis(
    iid: str,
    day: int,
    moments: list[dict],
    difficulty: float = 30.0,
    empathy: float = 60.0,
    **extra: object,
) -> dict:
    return {
        "interaction_id": iid,
        "date": date(2026, 11, day).isoformat(),
        "difficulty": difficulty,
        "empathy_score": empathy,
        "moments": moments,
        **extra,
    }


FORTNIGHT = [
    analysis("c1", 3, [MISSED_ANGER, MET_WORRY], difficulty=78),
    analysis("c2", 4, [MISSED_WORRY, OWNERSHIP]),
    analysis("c3", 6, [BLAME, MET_ANGER]),
    analysis("c4", 9, [MISSED_SADNESS, DEESCALATED]),
    analysis("c5", 10, [ROBOTIC]),
    analysis("c6", 12, [ROBOTIC, MET_WORRY]),
    analysis("c7", 13, [DISMISSIVE]),
]


def test_theme_groups_reasons_that_differ_only_in_detail() -> None:
    assert theme_of(MISSED_ANGER) == theme_of(MISSED_WORRY) == "missed cue"
    assert theme_of(MET_ANGER) == theme_of(MET_WORRY) == "met the customer's emotion"
    assert theme_of(ROBOTIC) == "robotic"
    assert theme_of(DISMISSIVE) == "dismissive"
    assert (
        theme_of({"kind": "glow", "reason": "anything", "behaviour": "Paraphrase"}) == "paraphrase"
    )


def test_patterns_rank_above_one_offs() -> None:
    ag = build_agenda("a-7", FORTNIGHT, as_of=AS_OF)
    growth = [m.theme for m in ag.growth]
    # missed cue in 3 interactions, robotic in 2, then the most recent one-off (dismissive, 13 Nov)
    assert growth == ["missed cue", "robotic", "dismissive"]
    assert [m.pattern for m in ag.growth] == [True, True, False]
    assert "3 interactions" in ag.growth[0].why
    # the example is the one from the hardest call (c1, difficulty 78); all occurrences are linked
    assert ag.growth[0].link.interaction_id == "c1"
    assert ag.growth[0].evidence == MISSED_ANGER["evidence"]
    # with equal difficulty the most recent one is shown
    assert ag.growth[1].link.interaction_id == "c6"
    assert {o.interaction_id for o in ag.growth[0].occurrences} == {"c1", "c2", "c4"}
    glow = [m.theme for m in ag.glow]
    assert glow[0] == "met the customer's emotion"  # c1, c3, c6
    assert len(ag.glow) == 3 and len(ag.growth) == 3


def test_links_point_at_the_interaction_viewer_turn() -> None:
    ag = build_agenda("a-7", FORTNIGHT, as_of=AS_OF)
    assert ag.growth[0].link.href == "/interactions/c1#turn-4"
    md = ag.to_markdown()
    assert "(/interactions/c4#turn-6)" in md
    assert "> Can I take your account number?" in md


def test_print_caps_links_per_moment() -> None:
    many = [analysis(f"r{i}", 1 + i, [ROBOTIC, OWNERSHIP]) for i in range(6)]
    ag = build_agenda("a-7", many, as_of=AS_OF)
    assert len(ag.growth[0].occurrences) == 6
    md = ag.to_markdown()
    line = next(x for x in md.splitlines() if "Evidence:" in x and "r5" in x and "robotic" not in x)
    assert line.count("](/interactions/") == 3 and "and 3 more interaction(s)" in line


def test_questions_put_support_first_and_fit_the_moments() -> None:
    ag = build_agenda("a-7", FORTNIGHT, as_of=AS_OF)
    texts = [q.text for q in ag.questions]
    assert texts[0] == SUPPORT_QUESTION
    assert texts[1] == BARRIER_QUESTION
    # c1 (difficulty 78) holds a missed cue: the tense-call question links to it
    tense = next(q for q in ag.questions if q.text == TENSE_QUESTION)
    assert tense.link is not None and tense.link.interaction_id == "c1" and tense.link.turn == 4
    # a glow pattern is asked about as a strength
    assert any("several calls" in t for t in texts)


def test_tense_also_from_customer_emotion() -> None:
    calm_but_angry = [
        analysis(
            "c9",
            5,
            [MISSED_ANGER],
            difficulty=20,
            turns=[
                {"index": 3, "speaker": "customer", "emotion": "anger", "emotion_intensity": 0.9}
            ],
        ),
        analysis("c10", 6, [MET_WORRY]),
    ]
    ag = build_agenda("a-7", calm_but_angry, as_of=AS_OF)
    assert any(q.text == TENSE_QUESTION for q in ag.questions)
    quiet = build_agenda(
        "a-7",
        [analysis("c9", 5, [MISSED_ANGER], difficulty=20), analysis("c10", 6, [MET_WORRY])],
        as_of=AS_OF,
    )
    assert all(q.text != TENSE_QUESTION for q in quiet.questions)


def test_never_only_growth() -> None:
    only_growth = [
        analysis("g1", 3, [BLAME], empathy=40),
        analysis("g2", 4, [ROBOTIC], empathy=71),
        analysis("g3", 5, [DISMISSIVE], empathy=55),
    ]
    ag = build_agenda("a-7", only_growth, as_of=AS_OF)
    assert ag.glow, "a stand-in glow moment is expected"
    assert ag.glow[0].theme == "warmest call" and ag.glow[0].link.interaction_id == "g2"
    assert len(ag.growth) == 3
    # nothing at all to celebrate: growth is cut to one theme and the agenda says why
    bare = [{"interaction_id": "g1", "date": "2026-11-03", "moments": [BLAME, ROBOTIC]}]
    ag = build_agenda("a-7", bare, as_of=AS_OF)
    assert not ag.glow and len(ag.growth) == 1
    assert any("No glow moment" in n for n in ag.notes)


def test_overdue_actions_surface_first_and_are_asked_about() -> None:
    goals = [
        {
            "id": "g1",
            "title": "Cross-train on the business queue",
            "kind": "goal",
            "due": "2026-12-20",
        },
        {
            "id": "a1",
            "title": "Practise the hold explanation",
            "kind": "action",
            "owner": "agent",
            "due": "2026-11-10",
            "status": "open",
        },
        {
            "id": "a2",
            "title": "Lead fixes the refund approval path",
            "kind": "action",
            "owner": "lead",
            "due": "2026-11-20",
        },
        {"id": "a3", "title": "Shadow Leila on mortgages", "due": "2026-11-01", "status": "done"},
    ]
    ag = build_agenda("a-7", FORTNIGHT, goals=goals, as_of=AS_OF)
    assert [a.id for a in ag.actions] == ["a1", "a2", "g1"]  # done ones dropped
    assert ag.actions[0].overdue and not ag.actions[1].overdue
    assert any(
        "Practise the hold explanation" in q.text and "past its date" in q.text
        for q in ag.questions
    )
    assert "**OVERDUE**" in ag.to_markdown()


def test_barriers_open_first_with_age() -> None:
    barriers = [
        {"id": "b1", "title": "Headset echo", "status": "resolved", "raised_on": "2026-10-01"},
        {
            "id": "b2",
            "title": "CRM freezes on save",
            "status": "in_progress",
            "raised_on": "2026-11-02",
        },
        {
            "id": "b3",
            "title": "Rota clashes with school run",
            "status": "open",
            "raised_on": "2026-11-09",
        },
    ]
    ag = build_agenda("a-7", FORTNIGHT, barriers=barriers, as_of=AS_OF)
    assert [b.id for b in ag.barriers] == ["b2", "b3", "b1"]
    assert ag.barriers[0].days_open == 14 and ag.barriers[2].days_open is None
    assert "CRM freezes on save" in ag.questions[1].text


def test_kpi_trend_human_first_and_direction() -> None:
    points = [
        {"name": "aht", "date": "2026-11-02", "value": 410},
        {"name": "aht", "date": "2026-11-15", "value": 380},
        {"name": "csat", "date": "2026-11-15", "value": 0.82},
        {"name": "csat", "date": "2026-11-02", "value": 0.9},
        {"name": "empathy", "date": "2026-11-09", "value": None},
    ]
    ag = build_agenda("a-7", FORTNIGHT, kpi_points=points, as_of=AS_OF)
    assert [k.name for k in ag.kpis] == ["csat", "aht"]  # human first; a None point is no data
    csat, aht = ag.kpis
    assert csat.group == "human" and csat.direction == "declining" and csat.first == 0.9
    assert aht.group == "efficiency" and aht.direction == "improving"


def test_period_filter_and_run_of_difficult_calls() -> None:
    ag = build_agenda(
        "a-7", FORTNIGHT, as_of=AS_OF, start=date(2026, 11, 9), end=date(2026, 11, 12)
    )
    ids = {o.interaction_id for m in ag.growth + ag.glow for o in m.occurrences}
    assert ids == {"c4", "c5", "c6"}
    hard = [analysis(f"h{i}", 3 + i, [MISSED_ANGER, OWNERSHIP], difficulty=80) for i in range(3)]
    ag = build_agenda("a-7", hard, as_of=AS_OF)
    assert any("run of difficult calls" in q.text for q in ag.questions)


def test_bad_input_names_the_record() -> None:
    with pytest.raises(AgendaError, match="interaction_id"):
        build_agenda("a-7", [{"date": "2026-11-03", "moments": []}], as_of=AS_OF)
    with pytest.raises(AgendaError, match="kind must be glow or growth"):
        build_agenda("a-7", [analysis("c1", 3, [{"kind": "meh", "turn": 1}])], as_of=AS_OF)
    with pytest.raises(AgendaError, match="not an ISO date"):
        build_agenda(
            "a-7", [{"interaction_id": "c1", "date": "3rd of Nov", "moments": []}], as_of=AS_OF
        )


def test_empty_period_still_prints() -> None:
    ag = build_agenda("a-7", [], as_of=AS_OF)
    md = ag.to_markdown()
    assert ag.questions[0].text == SUPPORT_QUESTION
    assert "nothing this period" in md and "No analysed interactions" in md
