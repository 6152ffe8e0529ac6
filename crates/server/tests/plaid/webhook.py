"""A webhook receiver on a loopback port, and the verification of Plaid's `Plaid-Verification`
JWT as Plaid's documentation tells an integration to do it: ES256 under the key that
`/webhook_verification_key/get` returns for the JWT's `kid`, an `iat` no older than five minutes,
and `request_body_sha256` equal to the SHA-256 of the exact body received."""

import hashlib
import http.server
import json
import threading
import time

import jwt
from plaid.model.webhook_verification_key_get_request import WebhookVerificationKeyGetRequest


class Receiver:
    """Records every POST it gets (header names in lowercase, body) and answers 200."""

    def __init__(self) -> None:
        received = self.received = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers["Content-Length"]))
                received.append(({name.lower(): value for name, value in self.headers.items()}, body))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/plaid-hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait_for(self, wanted, seconds: float = 20.0) -> tuple[dict, bytes]:
        """The first request whose JSON body satisfies `wanted`."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            for headers, body in list(self.received):
                if wanted(json.loads(body)):
                    return headers, body
            time.sleep(0.05)
        raise AssertionError(f"no such webhook within {seconds} s: {[b for _, b in self.received]}")

    def close(self) -> None:
        self.server.shutdown()


def verify(api, headers: dict, body: bytes) -> dict:
    """The body of a webhook whose `Plaid-Verification` JWT checks out; raises otherwise."""
    token = headers["plaid-verification"]
    header = jwt.get_unverified_header(token)
    assert header["alg"] == "ES256", header
    key = api.webhook_verification_key_get(WebhookVerificationKeyGetRequest(key_id=header["kid"])).key
    jwk = {name: getattr(key, name) for name in ("alg", "crv", "kid", "kty", "use", "x", "y")}
    claims = jwt.decode(token, jwt.PyJWK(jwk).key, algorithms=["ES256"], options={"verify_exp": False})
    assert time.time() - claims["iat"] <= 5 * 60, claims
    assert claims["request_body_sha256"] == hashlib.sha256(body).hexdigest(), claims
    return json.loads(body)
