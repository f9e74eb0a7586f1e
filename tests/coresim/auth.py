"""PSK based JWT handling as done by resotocore (HS256, key derived with PBKDF2 from a salt in the header).

Everything here is implemented with the standard library only (no PyJWT), so the simulator checks the
worker's tokens independently of whatever JWT library the worker uses.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import hashlib
import hmac
import json
import logging
import os
import time
from functools import lru_cache
from typing import Any

log = logging.getLogger(__name__)

PBKDF2_ITERATIONS = 100_000
KEY_LENGTH = 32


class AuthError(Exception):
    """A token is missing, malformed, wrongly signed or expired."""


def b64url_encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    padded = text + "=" * (-len(text) % 4)
    try:
        return base64.urlsafe_b64decode(padded.encode("ascii"))
    except (binascii.Error, ValueError, UnicodeEncodeError) as ex:
        raise AuthError(f"invalid base64url segment: {ex}") from ex


@lru_cache(maxsize=4096)
def derive_key(psk: str, salt: bytes) -> bytes:
    """PBKDF2-HMAC-SHA256(psk, salt, 100000 iterations, 32 bytes). Cached: it is deliberately slow."""
    return hashlib.pbkdf2_hmac("sha256", psk.encode("utf-8"), salt, PBKDF2_ITERATIONS, KEY_LENGTH)


def encode_jwt(
    payload: dict[str, Any], psk: str, *, salt: bytes | None = None, expires_in: int | None = 300
) -> str:
    """Mint a token the way a resoto component does: salt in the JOSE header, HS256 with the derived key."""
    salt = salt if salt is not None else os.urandom(16)
    claims = dict(payload)
    if expires_in is not None and "exp" not in claims:
        claims["exp"] = int(time.time()) + expires_in
    header = {"alg": "HS256", "salt": base64.standard_b64encode(salt).decode("ascii"), "typ": "JWT"}
    signing_input = (
        b64url_encode(json.dumps(header, separators=(",", ":")).encode())
        + "."
        + b64url_encode(json.dumps(claims, separators=(",", ":")).encode())
    )
    signature = hmac.new(derive_key(psk, salt), signing_input.encode("ascii"), hashlib.sha256).digest()
    return signing_input + "." + b64url_encode(signature)


def _split(token: str) -> tuple[dict[str, Any], dict[str, Any], str, bytes]:
    parts = token.split(".")
    if len(parts) != 3:
        raise AuthError("token must have 3 segments")
    try:
        header = json.loads(b64url_decode(parts[0]))
        payload = json.loads(b64url_decode(parts[1]))
    except (ValueError, UnicodeDecodeError) as ex:
        raise AuthError(f"token segment is not JSON: {ex}") from ex
    if not isinstance(header, dict) or not isinstance(payload, dict):
        raise AuthError("token header and payload must be JSON objects")
    return header, payload, parts[0] + "." + parts[1], b64url_decode(parts[2])


def _salt_of(header: dict[str, Any]) -> bytes:
    if header.get("alg") != "HS256":
        raise AuthError(f"unsupported alg {header.get('alg')!r}, expected HS256")
    salt_text = header.get("salt")
    if not isinstance(salt_text, str) or not salt_text:
        raise AuthError("token header has no salt")
    try:
        return base64.b64decode(salt_text.encode("ascii"), validate=True)
    except (binascii.Error, ValueError, UnicodeEncodeError) as ex:
        raise AuthError(f"salt is not valid standard base64: {ex}") from ex


def _check(payload: dict[str, Any], signing_input: str, signature: bytes, key: bytes, now: float) -> None:
    expected = hmac.new(key, signing_input.encode("ascii"), hashlib.sha256).digest()
    if not hmac.compare_digest(expected, signature):
        raise AuthError("signature mismatch (wrong psk?)")
    check_exp(payload, now)


def check_exp(payload: dict[str, Any], now: float | None = None) -> None:
    exp = payload.get("exp")
    if exp is None:
        return
    if not isinstance(exp, int | float) or isinstance(exp, bool):
        raise AuthError("exp claim must be a number")
    if exp <= (now if now is not None else time.time()):
        raise AuthError("token expired")


def decode_jwt(token: str, psk: str, *, now: float | None = None) -> dict[str, Any]:
    """Verify a token with the PSK and return its payload (raises AuthError)."""
    header, payload, signing_input, signature = _split(token)
    salt = _salt_of(header)
    _check(payload, signing_input, signature, derive_key(psk, salt), now if now is not None else time.time())
    return payload


def strip_bearer(value: str | None) -> str | None:
    """Return the token of an `Authorization: Bearer <token>` value (scheme case-insensitive)."""
    if not value:
        return None
    value = value.strip()
    if len(value) > 7 and value[:7].lower() == "bearer ":
        token = value[7:].strip()
        return token or None
    return None


class TokenVerifier:
    """Verifies bearer tokens against a PSK; verified tokens are cached by their text (exp is re-checked)."""

    def __init__(self, psk: str) -> None:
        self.psk = psk
        self._verified: dict[str, dict[str, Any]] = {}

    def verify(self, authorization: str | None) -> dict[str, Any]:
        token = strip_bearer(authorization)
        if token is None:
            raise AuthError("missing or malformed Authorization header")
        cached = self._verified.get(token)
        if cached is not None:
            check_exp(cached)
            return cached
        payload = decode_jwt(token, self.psk)
        if len(self._verified) > 10_000:
            self._verified.clear()
        self._verified[token] = payload
        return payload

    async def verify_async(self, authorization: str | None) -> dict[str, Any]:
        """Like verify, but derives uncached keys in a thread so the event loop is not blocked."""
        token = strip_bearer(authorization)
        if token is not None and token not in self._verified:
            try:
                header, _, _, _ = _split(token)
                salt = _salt_of(header)
            except AuthError:
                pass
            else:
                await asyncio.get_running_loop().run_in_executor(None, derive_key, self.psk, salt)
        return self.verify(authorization)
