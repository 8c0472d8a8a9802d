"""Stories wall: anonymisation, selection by leads, consent and revocation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from heartline.people.stories import (
    ConsentEvent,
    StoryError,
    anonymise,
    consent_state,
    grant,
    revoke,
    select_story,
    visible_stories,
)

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)

GREETED_AND_SIGNED = "Hi Sarah, she really listened when I was panicking. Kind regards, Jo Bloggs"
PHONE_IN_THANKS = "Dear Mrs Patel - thank you so much, call me on 07700 900123 if you need me."
SELF_INTRO = "My name is Jane Doe and Amara was wonderful with my mum. - Margaret"
EMAIL_AND_THANKS = "he understood how stressful it was. email me at jo.b@example.com. Thanks, Sam"
TITLE_AND_POSTCODE = "Mr Okafor was kind when he came out to LS1 4AP."
PLAIN_PRAISE = "Thank you Rosa for being patient with my dad."
SIGNED_ON_NEW_LINE = "So gentle about my husband's account.\nKind regards\nPeter Smith"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (GREETED_AND_SIGNED, "She really listened when I was panicking."),
        (PHONE_IN_THANKS, "Thank you so much, call me on [PHONE] if you need me."),
        (SELF_INTRO, "My name is [NAME] and Amara was wonderful with my mum."),
        (EMAIL_AND_THANKS, "He understood how stressful it was. email me at [EMAIL]."),
        (TITLE_AND_POSTCODE, "[NAME] was kind when he came out to [POSTCODE]."),
        (PLAIN_PRAISE, PLAIN_PRAISE),
        (SIGNED_ON_NEW_LINE, "So gentle about my husband's account."),
        ("", ""),
    ],
)
def test_anonymise(raw: str, expected: str) -> None:
    assert anonymise(raw) == expected


def test_anonymise_known_names_and_cards() -> None:
    text = "Linda here, paid with 4111 1111 1111 1111 and LINDA's card was fixed. Lindale is a town."
    out = anonymise(text, names=["Linda"])
    assert out == "[NAME] here, paid with [CARD] and [NAME]'s card was fixed. Lindale is a town."
    # idempotent
    assert anonymise(out, names=["Linda"]) == out


def test_select_story_anonymises_and_checks_the_lead() -> None:
    s = select_story(
        interaction_id="demo-7-00042", agent_id="a-01", team="harbour",
        comment=GREETED_AND_SIGNED, lead_id="lead-h", at=T0, team_lead="lead-h",
    )  # fmt: skip
    assert s.text == "She really listened when I was panicking."
    assert s.id.startswith("story-") and s.selected_by == "lead-h"
    again = select_story(interaction_id="demo-7-00042", agent_id="a-01", comment="x",
                         lead_id="lead-h", at=T0)  # fmt: skip
    assert again.id == s.id
    with pytest.raises(StoryError, match="only the team's lead"):
        select_story(interaction_id="i", agent_id="a-01", comment="Kind.", lead_id="lead-s",
                     at=T0, team_lead="lead-h")  # fmt: skip
    with pytest.raises(StoryError, match="link the interaction"):
        select_story(interaction_id=" ", agent_id="a-01", comment="Kind.", lead_id="l", at=T0)
    with pytest.raises(StoryError, match="empty once personal data is removed"):
        select_story(interaction_id="i", agent_id="a-01", comment="Regards, Jo Bloggs",
                     lead_id="l", at=T0)  # fmt: skip


def _stories():  # type: ignore[no-untyped-def]
    a = select_story(interaction_id="i1", agent_id="a-01", team="harbour",
                     comment="She listened.", lead_id="lead-h", at=T0)  # fmt: skip
    b = select_story(interaction_id="i2", agent_id="a-01", team="harbour",
                     comment="So patient.", lead_id="lead-h", at=T0 + timedelta(days=1))  # fmt: skip
    c = select_story(interaction_id="i3", agent_id="a-02", team="summit",
                     comment="Really kind.", lead_id="lead-s", at=T0 + timedelta(days=2))  # fmt: skip
    return a, b, c


def test_no_consent_no_story() -> None:
    a, b, c = _stories()
    assert visible_stories([a, b, c], []) == []


def test_consent_timeline() -> None:
    a, b, c = _stories()
    day = timedelta(days=1)
    events = [
        grant("a-01", T0 + 3 * day),                 # all of a-01's stories
        grant("a-02", T0 + 3 * day, story_id=c.id),  # just this one
        revoke("a-01", T0 + 5 * day, story_id=b.id), # b only
        revoke("a-02", T0 + 6 * day),                # everything of a-02, later than the grant
        grant("a-02", T0 + 3 * day, story_id=a.id),  # a is not a-02's story: no effect
    ]  # fmt: skip
    stories = [a, b, c]
    assert visible_stories(stories, events, at=T0 + 2 * day) == []
    # newest selection first
    assert visible_stories(stories, events, at=T0 + 4 * day) == [c, b, a]
    assert visible_stories(stories, events, at=T0 + 5 * day) == [c, a]
    assert visible_stories(stories, events, at=T0 + 7 * day) == [a]
    assert visible_stories(stories, events) == [a]
    assert visible_stories(stories, events, at=T0 + 4 * day, team="summit") == [c]
    decisive = consent_state(c, events)
    assert decisive is not None and not decisive.granted and decisive.story_id is None


def test_revoke_wins_a_same_instant_tie() -> None:
    a, _, _ = _stories()
    t = T0 + timedelta(days=3)
    assert visible_stories([a], [grant("a-01", t), revoke("a-01", t)]) == []
    assert visible_stories([a], [revoke("a-01", t), grant("a-01", t)]) == []


def test_consent_event_needs_an_agent_and_is_utc() -> None:
    with pytest.raises(StoryError):
        ConsentEvent(" ", True, T0)
    e = grant("a-01", datetime(2026, 11, 2, 9, 0))
    assert e.at.tzinfo is not None
