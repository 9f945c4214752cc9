#!/usr/bin/env python3
"""A schema-only stand-in for terraform-provider-aws, for `terraform validate`.

usage: tf_provider.py SCHEMA_RESPONSE.bin   (started by Terraform, not by hand)

Terraform runs this through a dev_overrides entry (see tf_validate.py). It
speaks just enough of the go-plugin / tfplugin6 protocol for validation:

* prints the go-plugin handshake line
  `1|6|tcp|127.0.0.1:PORT|grpc|<server cert, base64 DER, unpadded>`;
* serves gRPC over TLS on 127.0.0.1 only, with a fresh self-signed P-256
  certificate. Terraform offers a P-521 client certificate that grpcio
  cannot verify, so client authentication is not requested;
* answers GetProviderSchema with a pre-serialized
  tfplugin6.GetProviderSchema.Response (built by tf_validate.py from the
  tf_schema schema), and ValidateProviderConfig / ValidateResourceConfig /
  ValidateDataResourceConfig / ConfigureProvider / StopProvider with empty
  responses (no diagnostics). Everything else is UNIMPLEMENTED.

All messages are handled as raw bytes, so this process needs only grpcio and
cryptography. It exits on GRPCController.Shutdown, when its parent goes away,
or after MAX_LIFETIME seconds, whichever comes first.
"""
import base64
import datetime
import os
import sys
import threading
import time

import grpc
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

MAGIC_COOKIE = ("TF_PLUGIN_MAGIC_COOKIE", "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2")
MAX_LIFETIME = 600  # seconds; a validate run takes a few
EMPTY_OK = ["ValidateProviderConfig", "ValidateResourceConfig", "ValidateDataResourceConfig",
            "ConfigureProvider", "StopProvider"]
HEALTH_SERVING = b"\x08\x01"  # grpc.health.v1.HealthCheckResponse{status: SERVING}


def self_signed_cert():
    """(key PEM, cert PEM, cert DER) shaped like go-plugin's own AutoMTLS certificates."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "HashiCorp")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(seconds=30))
        .not_valid_after(now + datetime.timedelta(hours=2))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, key_encipherment=True, key_cert_sign=True,
                                     content_commitment=False, data_encipherment=False, key_agreement=False,
                                     crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]),
                       critical=False)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    return key_pem, cert.public_bytes(serialization.Encoding.PEM), cert.public_bytes(serialization.Encoding.DER)


def raw(fn):
    """A unary handler on raw bytes (no protobuf classes needed)."""
    return grpc.unary_unary_rpc_method_handler(fn, request_deserializer=None, response_serializer=None)


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    if os.environ.get(MAGIC_COOKIE[0]) != MAGIC_COOKIE[1]:
        print("This is a Terraform provider plugin: run it through terraform (tf_validate.py).", file=sys.stderr)
        return 1
    with open(sys.argv[1], "rb") as f:
        schema_response = f.read()

    done = threading.Event()
    provider = {name: raw(lambda req, ctx: b"") for name in EMPTY_OK}
    provider["GetProviderSchema"] = raw(lambda req, ctx: schema_response)

    def shutdown(req, ctx):
        done.set()
        return b""

    server = grpc.server(
        __import__("concurrent.futures").futures.ThreadPoolExecutor(max_workers=4),
        options=[("grpc.max_send_message_length", 256 << 20), ("grpc.max_receive_message_length", 256 << 20)],
    )
    server.add_generic_rpc_handlers([
        grpc.method_handlers_generic_handler("tfplugin6.Provider", provider),
        grpc.method_handlers_generic_handler("plugin.GRPCController", {"Shutdown": raw(shutdown)}),
        grpc.method_handlers_generic_handler("grpc.health.v1.Health", {"Check": raw(lambda r, c: HEALTH_SERVING)}),
    ])

    if os.environ.get("PLUGIN_CLIENT_CERT"):  # Terraform asked for AutoMTLS
        key_pem, cert_pem, cert_der = self_signed_cert()
        creds = grpc.ssl_server_credentials([(key_pem, cert_pem)], root_certificates=None,
                                            require_client_auth=False)
        port = server.add_secure_port("127.0.0.1:0", creds)
        cert_field = "|" + base64.b64encode(cert_der).decode().rstrip("=")
    else:
        port = server.add_insecure_port("127.0.0.1:0")
        cert_field = ""
    server.start()
    # core protocol 1, tfplugin protocol 6, then address, "grpc" and the cert
    sys.stdout.write(f"1|6|tcp|127.0.0.1:{port}|grpc{cert_field}\n")
    sys.stdout.flush()

    parent, deadline = os.getppid(), time.monotonic() + MAX_LIFETIME
    while not done.wait(0.5):
        if os.getppid() != parent or time.monotonic() > deadline:
            break
    server.stop(grace=0.5)
    return 0


if __name__ == "__main__":
    sys.exit(main())
