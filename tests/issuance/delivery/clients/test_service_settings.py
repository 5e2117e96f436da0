"""The desk's settings for reaching the registers: API key, timeouts, TLS (a CA bundle, mutual
TLS), refusals that no retry cures, and settings errors that name the variable."""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from devtools.standins.fer import FerService
from devtools.standins.seed import demo_permits
from devtools.standins.server import StandInServer
from issuance.config import SettingsError, load_settings
from issuance.delivery.clients import BiographicData, CivilRegistryClient, FerClient, PersonData
from issuance.delivery.clients.errors import (
    ServiceBusy,
    ServiceRejectedRequest,
    ServiceTlsFailed,
    ServiceUnavailable,
    TlsFilesUnusable,
)
from issuance.delivery.registers import open_registers
from issuance.errors import IssuanceError

from .conftest import API_KEY, config


def _env(tmp_path, urls: dict[str, str], **extra: str) -> dict[str, str]:
    return {
        "ISSUANCE_DATA_DIR": str(tmp_path / "desk"),
        "ISSUANCE_VOUCHER_URL": urls["voucher"], "ISSUANCE_FER_URL": urls["fer"],
        "ISSUANCE_CIVIL_REGISTRY_URL": urls["civil-registry"],
        "ISSUANCE_NOTIFICATION_URL": urls["notification"],
        **extra,
    }  # fmt: skip


def test_open_registers_sends_the_configured_api_key(sandbox, tmp_path):
    settings = load_settings(_env(tmp_path, sandbox.urls(), ISSUANCE_SERVICES_API_KEY=API_KEY,
                                  ISSUANCE_SERVICE_TIMEOUT="4",
                                  ISSUANCE_SERVICE_CONNECT_TIMEOUT="0.5"))  # fmt: skip
    registers = open_registers(settings)
    try:
        # The stand-ins refuse any request without this key (401).
        assert registers.fer.by_permit("RP20240001").surname == "Çela"
        assert registers.vouchers.fees()["STANDARD"] == 6000
        timeout = registers.civil_registry._http.timeout
        assert (timeout.connect, timeout.read) == (0.5, 4.0)
    finally:
        registers.close()
    wrong = open_registers(load_settings(_env(tmp_path, sandbox.urls(),
                                              ISSUANCE_SERVICES_API_KEY="nope")))  # fmt: skip
    try:
        with pytest.raises(ServiceRejectedRequest) as refused:
            wrong.fer.by_permit("RP20240001")
    finally:
        wrong.close()
    assert refused.value.permanent and refused.value.status == 401
    assert "key is missing or wrong" in refused.value.en and "HTTP 401" in refused.value.sq
    assert "UNAUTHORIZED" not in refused.value.en + refused.value.sq


def test_connect_timeout_defaults_to_three_seconds_or_the_request_timeout(tmp_path):
    env = {"ISSUANCE_DATA_DIR": str(tmp_path)}
    assert load_settings(env).service_connect_timeout == 3.0
    assert load_settings({**env, "ISSUANCE_SERVICE_TIMEOUT": "1.5"}).service_connect_timeout == 1.5


def test_an_undocumented_client_error_is_a_permanent_refusal(sandbox):
    # A wrong base URL answers 404 where the contract documents none (creating a person).
    person = PersonData(BiographicData("Ëndrit", "Çela", dt.date(1990, 4, 12), "M", "RKS"))
    with CivilRegistryClient(config(sandbox, "civil-registry")) as registry:
        registry._http.base_url = sandbox.url("civil-registry") + "/v9"
        with pytest.raises(ServiceRejectedRequest) as refused:
            registry.create_person("J00412001W", person)
    assert refused.value.status == 404 and refused.value.permanent


def test_too_many_requests_is_transient(sandbox):
    with FerClient(config(sandbox, "fer", extra_headers=(("X-Sandbox-Fail", "429"),))) as fer:
        with pytest.raises(ServiceBusy) as busy:
            fer.by_permit("RP20240001")
    assert busy.value.retryable and not busy.value.permanent and busy.value.status == 429


# --- TLS -------------------------------------------------------------------------------------


def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])


def _issue(subject: str, key, issuer_name: x509.Name, issuer_key, *, ca: bool,
           usage=None) -> x509.Certificate:  # fmt: skip
    now = dt.datetime.now(dt.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(issuer_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if ca:
        builder = builder.add_extension(
            x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                          content_commitment=False, key_encipherment=False,
                          data_encipherment=False, key_agreement=False, encipher_only=False,
                          decipher_only=False), critical=True)  # fmt: skip
        builder = builder.add_extension(
            x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False
        )
    else:
        builder = builder.add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
            ), critical=False,
        ).add_extension(x509.ExtendedKeyUsage([usage]), critical=False)  # fmt: skip
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
            critical=False,
        )
    return builder.sign(issuer_key, hashes.SHA256())


def _write(path, cert: x509.Certificate, key=None):
    data = cert.public_bytes(serialization.Encoding.PEM)
    path.write_bytes(data)
    if key is not None:
        key_path = path.with_suffix(".key")
        key_path.write_bytes(key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption()))  # fmt: skip
        return path, key_path
    return path


@pytest.fixture
def pki(tmp_path):
    """A test CA (made here, trusted by nobody else) with a server and a desk certificate."""
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = _issue("Issuance test CA", ca_key, _name("Issuance test CA"), ca_key, ca=True)
    server_key, desk_key = (
        ec.generate_private_key(ec.SECP256R1()),
        ec.generate_private_key(ec.SECP256R1()),
    )
    server = _issue("127.0.0.1", server_key, ca.subject, ca_key, ca=False,
                    usage=ExtendedKeyUsageOID.SERVER_AUTH)  # fmt: skip
    desk = _issue("desk-TR-1", desk_key, ca.subject, ca_key, ca=False,
                  usage=ExtendedKeyUsageOID.CLIENT_AUTH)  # fmt: skip
    return {
        "ca": _write(tmp_path / "ca.pem", ca),
        "server": _write(tmp_path / "server.pem", server, server_key),
        "desk": _write(tmp_path / "desk.pem", desk, desk_key),
    }


def _https_fer(pki, *, require_client_cert: bool) -> StandInServer:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*map(str, pki["server"]))
    if require_client_cert:
        context.verify_mode = ssl.CERT_REQUIRED
        context.load_verify_locations(str(pki["ca"]))
        # TLS 1.2 refuses a missing client certificate inside the handshake, where the client
        # sees it; TLS 1.3 may let the request out first and only then reset the connection.
        context.maximum_version = ssl.TLSVersion.TLSv1_2
    server = StandInServer("fer", FerService(demo_permits(dt.date.today())), tls=context)
    server.start()
    return server


def _fer_over(tmp_path, server: StandInServer, **extra: str):
    urls = {
        "voucher": "http://127.0.0.1:9",
        "fer": server.url,
        "civil-registry": "http://127.0.0.1:9",
        "notification": "http://127.0.0.1:9",
    }
    return open_registers(load_settings(_env(tmp_path, urls, ISSUANCE_SERVICE_TIMEOUT="3",
                                             **extra)))  # fmt: skip


def test_https_with_the_configured_ca_file(pki, tmp_path):
    server = _https_fer(pki, require_client_cert=False)
    try:
        assert server.url.startswith("https://127.0.0.1:")
        trusted = _fer_over(tmp_path, server, ISSUANCE_SERVICES_CA_FILE=str(pki["ca"]))
        try:
            assert trusted.fer.by_permit("RP20240001").given_names == "Ëndrit"
        finally:
            trusted.close()
        untrusted = _fer_over(tmp_path, server)  # the system's CAs do not know ours
        try:
            with pytest.raises(ServiceTlsFailed) as failed:
                untrusted.fer.by_permit("RP20240001")
        finally:
            untrusted.close()
    finally:
        server.stop()
    assert failed.value.permanent and not isinstance(failed.value, ServiceUnavailable)
    assert "certificate" in failed.value.en and "certifikata" in failed.value.sq
    assert "CERTIFICATE_VERIFY_FAILED" in failed.value.detail


def test_mutual_tls_with_the_configured_client_certificate(pki, tmp_path):
    server = _https_fer(pki, require_client_cert=True)
    cert, key = pki["desk"]
    try:
        desk = _fer_over(tmp_path, server, ISSUANCE_SERVICES_CA_FILE=str(pki["ca"]),
                         ISSUANCE_SERVICES_CLIENT_CERT=str(cert),
                         ISSUANCE_SERVICES_CLIENT_KEY=str(key))  # fmt: skip
        try:
            assert desk.fer.by_permit("RP20240001").surname == "Çela"
        finally:
            desk.close()
        anonymous = _fer_over(tmp_path, server, ISSUANCE_SERVICES_CA_FILE=str(pki["ca"]))
        try:
            with pytest.raises(ServiceTlsFailed):
                anonymous.fer.by_permit("RP20240001")
        finally:
            anonymous.close()
    finally:
        server.stop()


def test_an_unreadable_ca_file_is_told_at_start(tmp_path):
    garbage = tmp_path / "ca.pem"
    garbage.write_text("not a certificate\n")
    urls = dict.fromkeys(("voucher", "fer", "civil-registry", "notification"),
                         "https://127.0.0.1:9")  # fmt: skip
    with pytest.raises(TlsFilesUnusable) as unusable:
        open_registers(load_settings(_env(tmp_path, urls,
                                          ISSUANCE_SERVICES_CA_FILE=str(garbage))))  # fmt: skip
    assert unusable.value.sq and "TLS" in unusable.value.en


# --- settings errors -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "variable,value,expected_en",
    [
        ("ISSUANCE_SERVICE_TIMEOUT", "abc", "seconds"),
        ("ISSUANCE_SERVICE_TIMEOUT", "-2", "seconds"),
        ("ISSUANCE_SERVICE_CONNECT_TIMEOUT", "0", "seconds"),
        ("ISSUANCE_SERVICE_CONNECT_TIMEOUT", "nan", "seconds"),
        ("ISSUANCE_IDLE_LOGOUT_MINUTES", "ten", "minutes"),
        ("ISSUANCE_LANGUAGE", "fr", "sq or en"),
        ("ISSUANCE_SERVICES_CA_FILE", "/nowhere/ca.pem", "PEM file"),
        ("ISSUANCE_SERVICES_CLIENT_CERT", "/nowhere/desk.pem", "PEM file"),
    ],
)
def test_a_bad_setting_names_the_variable_and_the_form(tmp_path, variable, value, expected_en):
    with pytest.raises(SettingsError) as bad:
        load_settings({"ISSUANCE_DATA_DIR": str(tmp_path), variable: value})
    error = bad.value
    assert isinstance(error, IssuanceError) and not isinstance(error, ValueError)
    assert error.variable == variable
    for text in (error.message("sq"), error.message("en")):
        assert variable in text and value in text
    assert expected_en in error.en and "pritet" in error.sq


def test_a_client_key_needs_its_certificate(tmp_path):
    key = tmp_path / "desk.key"
    key.write_text("-----BEGIN PRIVATE KEY-----\n")
    with pytest.raises(SettingsError) as bad:
        load_settings({"ISSUANCE_DATA_DIR": str(tmp_path),
                       "ISSUANCE_SERVICES_CLIENT_KEY": str(key)})  # fmt: skip
    assert "ISSUANCE_SERVICES_CLIENT_CERT" in bad.value.en
