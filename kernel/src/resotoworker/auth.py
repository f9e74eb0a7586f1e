"""PSK authentication: HS256 JWTs whose key is derived from the PSK with PBKDF2 (protocol §2.1).

The salt travels in the token's JOSE header, so the core can derive the same key. Deriving a key
costs 100,000 PBKDF2 iterations, so a minted token is reused for a while (it is valid for five
minutes; we renew it after one).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import threading
import time
from typing import Any

TOKEN_LIFETIME = 300
TOKEN_REUSE = 60
ITERATIONS = 100_000


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def derive_key(psk: str, salt: bytes) -> bytes:
    return hashlib.pbkdf2_hmac("sha256", psk.encode(), salt, ITERATIONS, 32)


def encode_jwt(payload: dict[str, Any], psk: str, *, lifetime: int = TOKEN_LIFETIME) -> str:
    """Mint a token: ``payload`` plus ``exp``, signed with a key derived from ``psk`` and a fresh salt."""
    salt = os.urandom(16)
    header = {"alg": "HS256", "salt": base64.standard_b64encode(salt).decode(), "typ": "JWT"}
    body = dict(payload)
    body["exp"] = int(time.time()) + lifetime
    signing_input = (
        _b64url(json.dumps(header, separators=(",", ":")).encode())
        + "."
        + _b64url(json.dumps(body, separators=(",", ":")).encode())
    )
    signature = hmac.new(derive_key(psk, salt), signing_input.encode(), hashlib.sha256).digest()
    return signing_input + "." + _b64url(signature)


class InvalidToken(Exception):
    pass


def decode_jwt(token: str, psk: str) -> dict[str, Any]:
    """Verify a token signed with ``psk`` (e.g. the core's ``/ca/cert`` answer); return its payload."""
    if token.lower().startswith("bearer "):
        token = token[7:]
    try:
        head_b64, body_b64, sig_b64 = token.split(".")
        header = json.loads(_b64url_decode(head_b64))
        payload = json.loads(_b64url_decode(body_b64))
        salt = base64.standard_b64decode(header["salt"])
    except (ValueError, KeyError, TypeError) as exc:
        raise InvalidToken("malformed token") from exc
    if header.get("alg") != "HS256":
        raise InvalidToken(f"unexpected algorithm {header.get('alg')!r}")
    expected = hmac.new(derive_key(psk, salt), f"{head_b64}.{body_b64}".encode(), hashlib.sha256).digest()
    if not hmac.compare_digest(expected, _b64url_decode(sig_b64)):
        raise InvalidToken("bad signature (is the PSK right?)")
    if "exp" in payload and int(payload["exp"]) < time.time():
        raise InvalidToken("token expired")
    return dict(payload)


class TokenSource:
    """Hands out ``Authorization`` headers, minting a new token when the last one is a minute old."""

    def __init__(self, psk: str | None) -> None:
        self._psk = psk
        self._lock = threading.Lock()
        self._token: str | None = None
        self._minted = 0.0

    @property
    def enabled(self) -> bool:
        return bool(self._psk)

    def headers(self) -> dict[str, str]:
        if not self._psk:
            return {}
        with self._lock:
            now = time.monotonic()
            if self._token is None or now - self._minted > TOKEN_REUSE:
                self._token = encode_jwt({}, self._psk)
                self._minted = now
            return {"Authorization": f"Bearer {self._token}"}
