"""Passwords, signed session cookies, CSRF tokens, login throttling and API tokens."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import Connection, delete, func, insert, select, update

from heartline.store.tables_web import ApiTokenRow, LoginFailureRow

SESSION_COOKIE = "heartline_session"
SESSION_MAX_AGE = 12 * 60 * 60
#: Failed logins allowed per login name inside the window before further tries are refused.
THROTTLE_MAX_FAILURES = 5
THROTTLE_WINDOW = timedelta(minutes=15)
TOKEN_PREFIX = "hl_"

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def dummy_verify() -> None:
    """Spend the time a real check takes, so an unknown login is not faster to refuse."""
    verify_password(_DUMMY_HASH, "not the password")


_DUMMY_HASH = _hasher.hash("heartline-dummy-password")


class SessionCodec:
    """Signs and checks the session cookie's content (a small dict) with the secret key."""

    def __init__(self, secret_key: str) -> None:
        self._s = URLSafeTimedSerializer(secret_key, salt="heartline.session")

    def dumps(self, data: dict[str, object]) -> str:
        return self._s.dumps(data)

    def loads(self, cookie: str | None) -> dict[str, object]:
        if not cookie:
            return {}
        try:
            data = self._s.loads(cookie, max_age=SESSION_MAX_AGE)
        except BadSignature:
            return {}
        return data if isinstance(data, dict) else {}


def new_csrf_token() -> str:
    return secrets.token_urlsafe(24)


def same_token(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and hmac.compare_digest(str(a), str(b))


# --- throttling -----------------------------------------------------------------------


def _norm(login: str) -> str:
    return login.strip().lower()[:200]


def throttled_until(conn: Connection, login: str, now: datetime | None = None) -> datetime | None:
    """When the login may be tried again, or None when it may be tried now."""
    now = now or datetime.now(UTC)
    since = now - THROTTLE_WINDOW
    n = conn.execute(
        select(func.count()).where(LoginFailureRow.login == _norm(login), LoginFailureRow.at > since)
    ).scalar_one()
    if n < THROTTLE_MAX_FAILURES:
        return None
    oldest_counting = conn.execute(
        select(LoginFailureRow.at)
        .where(LoginFailureRow.login == _norm(login), LoginFailureRow.at > since)
        .order_by(LoginFailureRow.at.desc())
        .offset(THROTTLE_MAX_FAILURES - 1)
        .limit(1)
    ).scalar_one()
    return oldest_counting + THROTTLE_WINDOW


def record_failure(conn: Connection, login: str, now: datetime | None = None) -> None:
    now = now or datetime.now(UTC)
    conn.execute(insert(LoginFailureRow).values(login=_norm(login), at=now))
    conn.execute(delete(LoginFailureRow).where(LoginFailureRow.at < now - 2 * THROTTLE_WINDOW))


def clear_failures(conn: Connection, login: str) -> None:
    conn.execute(delete(LoginFailureRow).where(LoginFailureRow.login == _norm(login)))


# --- API tokens -----------------------------------------------------------------------


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class NewToken:
    id: int
    name: str
    token: str


def create_api_token(conn: Connection, *, name: str, created_by: int | None) -> NewToken:
    """A new integration token; the clear token is returned once and only its hash is kept."""
    name = name.strip()
    if not name or len(name) > 200:
        raise ValueError("a token needs a name of 1 to 200 characters")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row_id = conn.execute(
        insert(ApiTokenRow)
        .values(
            name=name,
            prefix=token[:10],
            token_hash=token_digest(token),
            created_by=created_by,
            created_at=datetime.now(UTC),
        )
        .returning(ApiTokenRow.id)
    ).scalar_one()
    return NewToken(row_id, name, token)


def check_api_token(conn: Connection, token: str) -> tuple[int, str] | None:
    """(token id, name) of a live token, and notes its use; None when unknown or revoked."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    row = conn.execute(
        select(ApiTokenRow.id, ApiTokenRow.name).where(
            ApiTokenRow.token_hash == token_digest(token), ApiTokenRow.revoked_at.is_(None)
        )
    ).first()
    if row is None:
        return None
    conn.execute(
        update(ApiTokenRow)
        .where(ApiTokenRow.id == row.id)
        .values(last_used_at=datetime.now(UTC))
    )
    return row.id, row.name


def revoke_api_token(conn: Connection, token_id: int) -> bool:
    res = conn.execute(
        update(ApiTokenRow)
        .where(ApiTokenRow.id == token_id, ApiTokenRow.revoked_at.is_(None))
        .values(revoked_at=datetime.now(UTC))
    )
    return bool(res.rowcount)
