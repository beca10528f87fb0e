#!/usr/bin/env python3
"""A test OpenID Connect issuer for the rehearsal: the API in production mode validates tokens
against Auth:Authority's metadata over HTTPS, so the rehearsal runs a small one. Python's standard
library and the openssl command only (RS256 signatures with `openssl dgst -sha256 -sign`).

  oidc.py serve DIR BIND PORT CERT KEY   serve DIR/issuer's metadata and keys over HTTPS (foreground)
  oidc.py init DIR ISSUER                make DIR/signing.key (RSA 2048) and DIR/issuer
  oidc.py token DIR SUB GRANT...         print a token (1 hour) for audience clinic-cluster-api with
                                         clinic_roles = the grants, e.g. "*:admin"

Test material only: the key exists for one rehearsal run."""
import base64, http.server, json, os, ssl, subprocess, sys, time


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def init(directory: str, issuer: str) -> None:
    os.makedirs(directory, exist_ok=True)
    key = os.path.join(directory, "signing.key")
    subprocess.run(["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", key],
                   check=True, capture_output=True)
    with open(os.path.join(directory, "issuer"), "w") as f:
        f.write(issuer.rstrip("/"))


def jwks(directory: str) -> dict:
    key = os.path.join(directory, "signing.key")
    modulus = subprocess.run(["openssl", "rsa", "-in", key, "-noout", "-modulus"], check=True,
                             capture_output=True, text=True).stdout.strip().split("=", 1)[1]
    return {"keys": [{"kty": "RSA", "use": "sig", "alg": "RS256", "kid": "rehearsal-1",
                      "n": b64(bytes.fromhex(modulus)), "e": b64((65537).to_bytes(3, "big"))}]}


def issuer_of(directory: str) -> str:
    with open(os.path.join(directory, "issuer")) as f:
        return f.read().strip()


def token(directory: str, subject: str, grants: list) -> str:
    now = int(time.time())
    header = {"alg": "RS256", "typ": "JWT", "kid": "rehearsal-1"}
    payload = {"iss": issuer_of(directory), "aud": "clinic-cluster-api", "sub": subject, "clinic_roles": grants,
               "iat": now, "nbf": now - 5, "exp": now + 3600}
    signing_input = b64(json.dumps(header).encode()) + "." + b64(json.dumps(payload).encode())
    signature = subprocess.run(["openssl", "dgst", "-sha256", "-sign", os.path.join(directory, "signing.key")],
                               input=signing_input.encode(), check=True, capture_output=True).stdout
    return signing_input + "." + b64(signature)


def serve(directory: str, bind: str, port: int, cert: str, key: str) -> None:
    issuer = issuer_of(directory)
    path = issuer.split("/", 3)[3] if issuer.count("/") >= 3 else ""
    documents = {
        f"/{path}/.well-known/openid-configuration".replace("//", "/"): {
            "issuer": issuer, "jwks_uri": issuer + "/protocol/openid-connect/certs",
            "id_token_signing_alg_values_supported": ["RS256"], "response_types_supported": ["code"],
            "subject_types_supported": ["public"]},
        f"/{path}/protocol/openid-connect/certs".replace("//", "/"): jwks(directory),
    }

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            document = documents.get(self.path)
            body = json.dumps(document or {"error": "not found"}).encode()
            self.send_response(200 if document else 404)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, fmt, *args):
            sys.stderr.write("oidc: " + (fmt % args) + "\n")

    server = http.server.ThreadingHTTPServer((bind, port), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    server.serve_forever()


if __name__ == "__main__":
    if len(sys.argv) >= 4 and sys.argv[1] == "init":
        init(sys.argv[2], sys.argv[3])
    elif len(sys.argv) >= 5 and sys.argv[1] == "token":
        print(token(sys.argv[2], sys.argv[3], sys.argv[4:]))
    elif len(sys.argv) == 7 and sys.argv[1] == "serve":
        serve(sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5], sys.argv[6])
    else:
        sys.exit(__doc__)
