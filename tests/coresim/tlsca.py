"""A tiny certificate authority for the simulator's https mode (like the core's own CA)."""

from __future__ import annotations

import datetime
import ipaddress
import logging
import os
import ssl
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

log = logging.getLogger(__name__)


def fingerprint(cert: x509.Certificate) -> str:
    """Uppercase hex pairs joined by ':' of the SHA-256 of the DER form."""
    digest = cert.fingerprint(hashes.SHA256())
    return ":".join(f"{b:02X}" for b in digest)


def fingerprint_pem(pem: bytes | str) -> str:
    data = pem.encode() if isinstance(pem, str) else pem
    return fingerprint(x509.load_pem_x509_certificate(data))


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


def _new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _key_pem(key: rsa.RSAPrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


@dataclass
class CertificateAuthority:
    key: rsa.RSAPrivateKey
    cert: x509.Certificate
    server_key: rsa.RSAPrivateKey
    server_cert: x509.Certificate
    signed: list[x509.Certificate] = field(default_factory=list)

    @classmethod
    def create(cls, common_name: str = "resotocore-simulator root CA") -> CertificateAuthority:
        key = _new_key()
        name = x509.Name(
            [
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, "coresim"),
                x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            ]
        )
        cert = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(_now() - datetime.timedelta(minutes=5))
            .not_valid_after(_now() + datetime.timedelta(days=365))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True,
                    content_commitment=False,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=True,
                    crl_sign=True,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256())
        )
        server_key = _new_key()
        ca = cls(key=key, cert=cert, server_key=server_key, server_cert=cert)
        san = x509.SubjectAlternativeName(
            [
                x509.DNSName("localhost"),
                x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
                x509.IPAddress(ipaddress.ip_address("::1")),
            ]
        )
        ca.server_cert = ca._issue(
            x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "resotocore")]),
            server_key.public_key(),
            san,
            server=True,
        )
        return ca

    @property
    def ca_pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)

    @property
    def ca_fingerprint(self) -> str:
        return fingerprint(self.cert)

    def _issue(
        self, subject: x509.Name, public_key: object, san: x509.SubjectAlternativeName | None, *, server: bool
    ) -> x509.Certificate:
        builder = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(self.cert.subject)
            .public_key(public_key)  # type: ignore[arg-type]
            .serial_number(x509.random_serial_number())
            .not_valid_before(_now() - datetime.timedelta(minutes=5))
            .not_valid_after(_now() + datetime.timedelta(days=365))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(
                x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]),
                critical=False,
            )
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(self.key.public_key()), critical=False
            )
        )
        if san is not None:
            builder = builder.add_extension(san, critical=False)
        cert = builder.sign(self.key, hashes.SHA256())
        if not server:
            self.signed.append(cert)
        return cert

    def sign_csr(self, csr_pem: bytes) -> x509.Certificate:
        """Sign a PEM CSR, keeping its subject and subject alternative names. Raises ValueError if invalid."""
        csr = x509.load_pem_x509_csr(csr_pem)
        if not csr.is_signature_valid:
            raise ValueError("CSR signature is not valid")
        try:
            san: x509.SubjectAlternativeName | None = csr.extensions.get_extension_for_class(
                x509.SubjectAlternativeName
            ).value
        except x509.ExtensionNotFound:
            san = None
        return self._issue(csr.subject, csr.public_key(), san, server=False)

    def write_ca(self, path: str | os.PathLike[str]) -> Path:
        target = Path(path)
        target.write_bytes(self.ca_pem)
        return target

    def server_ssl_context(self, directory: str | None = None) -> tuple[ssl.SSLContext, Path]:
        """An SSL context serving the server cert (plus CA chain). Files are written to a temp directory."""
        folder = Path(directory or tempfile.mkdtemp(prefix="coresim-tls-"))
        cert_file = folder / "server.crt"
        key_file = folder / "server.key"
        cert_file.write_bytes(self.server_cert.public_bytes(serialization.Encoding.PEM) + self.ca_pem)
        key_file.write_bytes(_key_pem(self.server_key))
        os.chmod(key_file, 0o600)
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(str(cert_file), str(key_file))
        return ctx, folder


def cert_pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)
