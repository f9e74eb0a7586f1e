"""TLS with an ``https://`` core (protocol §2.2).

Trust: ``--ca-cert`` if given; otherwise, with a PSK, the core's own CA from ``/ca/cert``, accepted
only when the PSK-signed fingerprint in the answer matches the certificate (so a man in the middle
cannot substitute its own); without a PSK, the system's trust store (a self-signed core is refused
unless ``--ca-cert`` or ``--no-verify-certs`` is given). ``--no-verify-certs`` turns verification off.

The worker's own web server gets a certificate from ``--cert``/``--cert-key`` or, failing those, one
signed by the core's CA (``POST /ca/sign``).
"""

from __future__ import annotations

import hashlib
import ipaddress
import logging
import os
import shutil
import socket
import ssl
import tempfile
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from resotoworker.auth import InvalidToken, decode_jwt
from resotoworker.core_client import CoreClient
from resotoworker.errors import TlsError

log = logging.getLogger(__name__)


def fingerprint(pem: bytes) -> str:
    """SHA-256 of the DER certificate as uppercase hex pairs joined by ``:``."""
    cert = x509.load_pem_x509_certificate(pem)
    digest = hashlib.sha256(cert.public_bytes(serialization.Encoding.DER)).hexdigest().upper()
    return ":".join(digest[i : i + 2] for i in range(0, len(digest), 2))


@dataclass
class TlsMaterial:
    client_context: ssl.SSLContext | bool
    server_context: ssl.SSLContext | None
    directory: Path | None


def client_context(ca_pem: bytes | None, verify: bool) -> ssl.SSLContext:
    ctx = ssl.create_default_context()
    if not verify:
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
    elif ca_pem is not None:
        ctx.load_verify_locations(cadata=ca_pem.decode())
    return ctx


def _csr(common_name: str) -> tuple[bytes, bytes]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    names: list[x509.GeneralName] = [x509.DNSName("localhost")]
    host = socket.gethostname()
    if host and host != "localhost":
        names.append(x509.DNSName(host))
    for ip in ("127.0.0.1", "::1"):
        names.append(x509.IPAddress(ipaddress.ip_address(ip)))
    csr = (
        x509.CertificateSigningRequestBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)]))
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return csr.public_bytes(serialization.Encoding.PEM), key_pem


def _write_private(directory: Path, name: str, data: bytes) -> Path:
    path = directory / name
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    return path


async def bootstrap(
    client: CoreClient,
    *,
    subscriber_id: str,
    psk: str | None,
    ca_cert: str | None,
    cert: str | None,
    cert_key: str | None,
    cert_key_pass: str | None,
    verify: bool,
    want_server_cert: bool,
) -> TlsMaterial:
    """Establish trust in the core and, if wanted, a certificate for the worker's web server."""
    ca_pem: bytes | None = None
    if ca_cert:
        try:
            ca_pem = Path(ca_cert).read_bytes()
            x509.load_pem_x509_certificate(ca_pem)
        except (OSError, ValueError) as exc:
            raise TlsError(f"cannot use --ca-cert {ca_cert}: {exc}") from None
    elif psk and verify:
        pem, token = await client.fetch_ca()
        if not token:
            raise TlsError(
                "the core sent its CA without a signed fingerprint", hint="is this really resotocore?"
            )
        try:
            claims = decode_jwt(token, psk)
        except InvalidToken as exc:
            raise TlsError(f"the CA fingerprint token of the core does not verify: {exc}") from None
        expected = claims.get("sha256_fingerprint")
        if expected != fingerprint(pem):
            raise TlsError(
                "the core's CA certificate does not match its signed fingerprint (man in the middle?)",
                hint="refusing to connect",
            )
        ca_pem = pem
        log.info("trusting the core's CA (fingerprint verified with the PSK)")
    if not verify:
        log.warning("TLS verification of the core is OFF (--no-verify-certs)")
    ctx = client_context(ca_pem, verify)
    client.use_ssl(ctx)
    if not want_server_cert:
        return TlsMaterial(ctx, None, None)
    directory = Path(tempfile.mkdtemp(prefix="resoto-cert-"))
    try:
        if cert and cert_key:
            cert_path, key_path = Path(cert), Path(cert_key)
        else:
            csr_pem, key_pem = _csr(subscriber_id)
            signed = await client.sign_csr(csr_pem)
            cert_path = _write_private(directory, "cert.crt", signed)
            key_path = _write_private(directory, "cert.key", key_pem)
        server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        server.load_cert_chain(cert_path, key_path, password=cert_key_pass)
    except (OSError, ssl.SSLError, ValueError) as exc:
        raise TlsError(f"cannot set up the web server's certificate: {exc}") from None
    finally:
        # the context holds the key now: no private key stays on disk (not even after kill -9)
        shutil.rmtree(directory, ignore_errors=True)
    return TlsMaterial(ctx, server, None)
