"""Sign-in, session cookies, CSRF, throttling and demo accounts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from heartline.settings import Settings
from heartline.store.tables import AgentRow, TeamRow
from heartline.store.tables_web import LoginFailureRow, UserRow, UserTeamRow
from heartline.web.accounts import AccountError, create_user, demo_password, ensure_demo_accounts
from heartline.web.app import create_app
from heartline.web.security import (
    THROTTLE_MAX_FAILURES,
    SessionCodec,
    hash_password,
    record_failure,
    throttled_until,
    verify_password,
)

from .conftest import PASSWORD, ROLES_AND_LOGINS, World, csrf_of  # type: ignore[import-not-found]


def test_passwords_are_argon2_hashed() -> None:
    h = hash_password(PASSWORD)
    assert h.startswith("$argon2id$") and PASSWORD not in h
    assert verify_password(h, PASSWORD) and not verify_password(h, PASSWORD + "!")
    assert not verify_password("not a hash", PASSWORD)


def test_session_cookie_is_signed_httponly_lax_and_secure_outside_development(world: World, app_client) -> None:  # type: ignore[no-untyped-def]
    client = app_client(None)
    token = csrf_of(client)
    r = client.post(
        "/login", data={"login": ROLES_AND_LOGINS["lead"], "password": PASSWORD, "csrf_token": token},
        follow_redirects=False,
    )  # fmt: skip
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "secure" in cookie
    assert client.get("/dashboard").status_code == 200
    # a tampered cookie is a signed-out visitor
    value = client.cookies.get("heartline_session")
    client.cookies.clear()
    client.cookies.set("heartline_session", value[:-3] + ("abc" if not value.endswith("abc") else "xyz"))
    assert client.get("/dashboard", follow_redirects=False).status_code == 303
    # another secret cannot forge one
    forged = SessionCodec("another-secret").dumps({"uid": world.users["admin"], "csrf": "x"})
    client.cookies.clear()
    client.cookies.set("heartline_session", forged)
    assert client.get("/admin", follow_redirects=False).status_code == 303


def test_development_cookie_is_not_secure_so_localhost_http_works(tmp_path) -> None:  # type: ignore[no-untyped-def]
    app = create_app(Settings(data_dir=tmp_path, environment="development"))
    with TestClient(app) as client:
        r = client.get("/login")
        assert "secure" not in r.headers["set-cookie"].lower()
        assert "httponly" in r.headers["set-cookie"].lower()


def test_every_form_needs_the_csrf_token(world: World, app_client) -> None:  # type: ignore[no-untyped-def]
    client = app_client(None)
    client.get("/login")
    r = client.post("/login", data={"login": ROLES_AND_LOGINS["lead"], "password": PASSWORD})
    assert r.status_code == 400 and "reload the page" in r.text
    lead = app_client("lead")
    r = lead.post(f"/interactions/{world.org.interactions[1]}/override",
                  data={"field": "difficulty", "value": "10", "reason": "x", "csrf_token": "forged"})
    assert r.status_code == 400


def test_sign_out_ends_the_session_and_next_stays_on_site(world: World, app_client) -> None:  # type: ignore[no-untyped-def]
    client = app_client(None)
    token = csrf_of(client, "/login?next=/friction")
    r = client.post(
        "/login", data={"login": ROLES_AND_LOGINS["lead"], "password": PASSWORD, "csrf_token": token, "next": "/friction"},
        follow_redirects=False,
    )  # fmt: skip
    assert r.headers["location"] == "/friction"
    r = client.post("/logout", data={"csrf_token": csrf_of(client, "/dashboard")}, follow_redirects=False)
    assert r.status_code == 303
    assert client.get("/dashboard", follow_redirects=False).status_code == 303
    token = csrf_of(client)
    r = client.post(
        "/login", data={"login": ROLES_AND_LOGINS["lead"], "password": PASSWORD, "csrf_token": token,
                        "next": "//evil.example/x"},
        follow_redirects=False,
    )  # fmt: skip
    assert r.headers["location"] == "/"


def test_login_is_throttled_after_five_failures(world: World, app_client) -> None:  # type: ignore[no-untyped-def]
    client = app_client(None)
    login = ROLES_AND_LOGINS["manager"]
    for _ in range(THROTTLE_MAX_FAILURES):
        r = client.post("/login", data={"login": login, "password": "guess", "csrf_token": csrf_of(client)})
        assert r.status_code == 401 and "do not match" in r.text
    # even the right password is refused while throttled
    r = client.post("/login", data={"login": login, "password": PASSWORD, "csrf_token": csrf_of(client)})
    assert r.status_code == 429 and "Too many failed attempts" in r.text
    # other logins are not affected
    r = client.post(
        "/login", data={"login": ROLES_AND_LOGINS["lead"], "password": PASSWORD, "csrf_token": csrf_of(client)},
        follow_redirects=False,
    )  # fmt: skip
    assert r.status_code == 303


def test_throttle_window_is_fifteen_minutes(engine: Engine) -> None:
    t0 = datetime(2026, 9, 1, 9, 0, tzinfo=UTC)
    with engine.begin() as conn:
        for i in range(THROTTLE_MAX_FAILURES):
            record_failure(conn, "Someone@Test", t0 + timedelta(minutes=i))
        assert throttled_until(conn, "someone@test", t0 + timedelta(minutes=5)) == t0 + timedelta(minutes=15)
        assert throttled_until(conn, "someone@test", t0 + timedelta(minutes=15, seconds=1)) is None
        assert conn.execute(select(func.count()).select_from(LoginFailureRow)).scalar_one() == THROTTLE_MAX_FAILURES


def test_accounts_refuse_bad_shapes(world: World) -> None:
    with world.engine.begin() as conn:
        with pytest.raises(AccountError, match="taken"):
            create_user(conn, login=ROLES_AND_LOGINS["admin"], password=PASSWORD, role="admin", display_name="x")
        with pytest.raises(AccountError, match="agent record"):
            create_user(conn, login="a@x", password=PASSWORD, role="agent", display_name="x")
        with pytest.raises(AccountError, match="team"):
            create_user(conn, login="l@x", password=PASSWORD, role="lead", display_name="x")
        with pytest.raises(AccountError, match="10 characters"):
            create_user(conn, login="m@x", password="short", role="manager", display_name="x")
        with pytest.raises(AccountError, match="role"):
            create_user(conn, login="m@x", password=PASSWORD, role="owner", display_name="x")


class _FakeOrg:
    leads = {"harbour": "Dana Okafor"}


def test_demo_accounts_one_per_role_idempotent_and_usable(world: World) -> None:
    first = ensure_demo_accounts(world.engine, _FakeOrg())  # type: ignore[arg-type]
    again = ensure_demo_accounts(world.engine, _FakeOrg())  # type: ignore[arg-type]
    assert [a.role for a in first] == ["agent", "lead", "manager", "admin"] == [a.role for a in again]
    assert all(a.password == demo_password(a.role) for a in first)
    login, password, role, who = first[1]
    assert (login, role) == ("lead@demo", "lead") and "Dana Okafor" in who
    with world.engine.connect() as conn:
        lead = conn.execute(select(UserRow.id).where(UserRow.login == "lead@demo")).scalar_one()
        teams = conn.execute(select(TeamRow.key).join(UserTeamRow, UserTeamRow.team_id == TeamRow.id).where(UserTeamRow.user_id == lead)).scalars().all()
        agent = conn.execute(select(AgentRow.key).join(UserRow, UserRow.agent_id == AgentRow.id).where(UserRow.login == "agent@demo")).scalar_one()
        assert conn.execute(select(func.count()).select_from(UserRow).where(UserRow.login.like("%@demo"))).scalar_one() == 4
    assert teams == ["harbour"] and agent == "A"
    app = create_app(world.settings)
    with TestClient(app, base_url="https://testserver") as client:
        for a in first:
            client.cookies.clear()
            r = client.post("/login", data={"login": a.login, "password": a.password, "csrf_token": csrf_of(client)},
                            follow_redirects=False)
            assert r.status_code == 303, a.login


def test_demo_accounts_need_data(engine: Engine) -> None:
    with pytest.raises(AccountError, match="heartline demo"):
        ensure_demo_accounts(engine, None)


def test_admin_creates_and_deactivates_accounts(world: World, app_client) -> None:  # type: ignore[no-untyped-def]
    admin = app_client("admin")
    r = admin.post(
        "/admin/users",
        data={"login": "New.Lead@Test", "display_name": "New Lead", "role": "lead", "password": "another long password",
              "teams": [str(world.org.teams["summit"])], "csrf_token": csrf_of(admin, "/admin")},
    )  # fmt: skip
    assert r.status_code == 200 and "new.lead@test (lead) created" in r.text
    bad = admin.post(
        "/admin/users",
        data={"login": "x@test", "display_name": "X", "role": "lead", "password": "another long password",
              "csrf_token": csrf_of(admin, "/admin")},
    )  # fmt: skip
    assert bad.status_code == 400 and "at least one team" in bad.text
    newcomer = app_client(None)
    token = csrf_of(newcomer)
    r = newcomer.post("/login", data={"login": "new.lead@test", "password": "another long password", "csrf_token": token},
                      follow_redirects=False)  # fmt: skip
    assert r.status_code == 303
    page = newcomer.get("/dashboard").text
    assert "Agent C" in page and "Agent A" not in page  # leads summit only
    with world.engine.connect() as conn:
        uid = conn.execute(select(UserRow.id).where(UserRow.login == "new.lead@test")).scalar_one()
    r = admin.post(f"/admin/users/{uid}/deactivate", data={"csrf_token": csrf_of(admin, "/admin")}, follow_redirects=False)
    assert r.status_code == 303
    # a deactivated account is signed out at once and cannot sign in again
    assert newcomer.get("/dashboard", follow_redirects=False).status_code == 303
    r = newcomer.post("/login", data={"login": "new.lead@test", "password": "another long password",
                                      "csrf_token": csrf_of(newcomer)})  # fmt: skip
    assert r.status_code == 401
