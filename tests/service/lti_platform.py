"""A small LTI 1.3 platform for the tests, following IMS LTI Core 1.3 / Security Framework 1.0:
its own RSA key and JWKS, an OIDC authorisation endpoint that answers a tool's login redirect with
an auto-posting form carrying a signed ``id_token``; an OAuth2 client-credentials token endpoint
that checks the tool's signed JWT assertion against the tool's key set; line item and score
endpoints (Assignment and Grade Services 2.0) that record what they receive. Runs on loopback in
a thread; ``down = True`` makes the token and grade endpoints answer 503.

``Platform.id_token(...)`` also mints tokens with any claim changed, for the refusal tests.
"""

from __future__ import annotations

import html
import json
import threading
import time
import uuid
from typing import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
AGS = "https://purl.imsglobal.org/spec/lti-ags/"
LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"


def new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class Platform:
    def __init__(self, client_id: str = "tool-client-1", deployment_id: str = "dep-1") -> None:
        self.key, self.kid = new_key(), "platform-key-1"
        self.client_id, self.deployment_id = client_id, deployment_id
        self.redirect_uris: list[str] = []
        self.users: dict[str, dict] = {}  # login_hint -> {sub, email, name, roles}
        self.auth_requests: list[dict] = []
        self.tool_jwks: Callable[[], dict] = lambda: {"keys": []}  # the tool's key set (client assertions)
        self.down = False  # token and grade endpoints answer 503
        self.tokens: set[str] = set()
        self.lineitems: dict[str, dict] = {}  # id (URL) -> line item
        self.scores: list[dict] = []  # what the score endpoint received
        self.token_requests = 0
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.issuer = self.url  # like Moodle: the site's URL
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def jwks(self) -> dict:
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        jwk.update(kid=self.kid, alg="RS256", use="sig")
        return {"keys": [jwk]}

    def ags_claim(self) -> dict:
        return {"scope": [AGS + "scope/lineitem", AGS + "scope/score"], "lineitems": self.url + "/lineitems"}

    def id_token(self, user: dict, nonce: str, target: str, *, key=None, kid: str | None = None,  # noqa: ANN001
                 drop: tuple = (), **override) -> str:
        now = int(time.time())
        claims = {"iss": self.issuer, "aud": self.client_id, "sub": user["sub"], "iat": now, "exp": now + 300,
                  "nonce": nonce, "email": user.get("email", ""), "name": user.get("name", ""),
                  LTI + "message_type": "LtiResourceLinkRequest", LTI + "version": "1.3.0",
                  LTI + "deployment_id": self.deployment_id, LTI + "target_link_uri": target,
                  LTI + "resource_link": {"id": "rl-" + target.rsplit("/", 1)[-1]},
                  LTI + "roles": user.get("roles", [LEARNER]), AGS + "claim/endpoint": self.ags_claim()}
        claims.update(override)
        for k in drop:
            claims.pop(k, None)
        return jwt.encode(claims, key or self.key, algorithm="RS256", headers={"kid": kid or self.kid})

    def _handler(self):  # noqa: ANN202
        platform = self

        class H(BaseHTTPRequestHandler):
            def log_message(self, *a) -> None:  # noqa: ANN002
                pass

            def _send(self, code: int, body: str, ctype: str = "application/json") -> None:
                data = body.encode()
                self.send_response(code)
                self.send_header("content-type", ctype)
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:  # noqa: N802
                u = urlsplit(self.path)
                if u.path == "/jwks":
                    return self._send(200, json.dumps(platform.jwks()))
                if u.path == "/auth":
                    q = {k: v[0] for k, v in parse_qs(u.query).items()}
                    platform.auth_requests.append(q)
                    # The spec's checks on the authentication request (LTI Security Framework 5.1.1.2).
                    ok = (q.get("scope") == "openid" and q.get("response_type") == "id_token"
                          and q.get("response_mode") == "form_post" and q.get("prompt") == "none"
                          and q.get("client_id") == platform.client_id
                          and q.get("redirect_uri") in platform.redirect_uris and q.get("nonce")
                          and q.get("login_hint") in platform.users)
                    if not ok:
                        return self._send(400, json.dumps({"error": "invalid_request"}))
                    user = platform.users[q["login_hint"]]
                    target = q.get("lti_message_hint") or ""
                    tok = platform.id_token(user, q["nonce"], target)
                    form = (f'<form method="post" action="{html.escape(q["redirect_uri"])}">'
                            f'<input type="hidden" name="id_token" value="{tok}">'
                            f'<input type="hidden" name="state" value="{html.escape(q["state"])}">'
                            "</form><script>document.forms[0].submit()</script>")
                    return self._send(200, form, "text/html")
                if u.path == "/lineitems":
                    if not self._authorised():
                        return None
                    tag = parse_qs(u.query).get("tag", [None])[0]
                    items = [li for li in platform.lineitems.values() if tag is None or li.get("tag") == tag]
                    return self._send(200, json.dumps(items))
                self._send(404, "{}")

            def _body(self) -> bytes:
                return self.rfile.read(int(self.headers.get("content-length") or 0))

            def _authorised(self) -> bool:
                if platform.down:
                    self._send(503, "{}")
                    return False
                auth = self.headers.get("authorization", "")
                if not auth.startswith("Bearer ") or auth[7:] not in platform.tokens:
                    self._send(401, json.dumps({"error": "invalid_token"}))
                    return False
                return True

            def do_POST(self) -> None:  # noqa: N802
                u = urlsplit(self.path)
                body = self._body()
                if u.path == "/token":
                    if platform.down:
                        return self._send(503, "{}")
                    platform.token_requests += 1
                    q = {k: v[0] for k, v in parse_qs(body.decode()).items()}
                    try:  # the client assertion, checked against the tool's published key set
                        jwks = platform.tool_jwks()
                        kid = jwt.get_unverified_header(q["client_assertion"])["kid"]
                        key = next(jwt.PyJWK(k).key for k in jwks["keys"] if k["kid"] == kid)
                        c = jwt.decode(q["client_assertion"], key, algorithms=["RS256"],
                                       audience=platform.url + "/token")
                        assert c["iss"] == c["sub"] == platform.client_id and c.get("jti")
                        assert q["grant_type"] == "client_credentials"
                        assert q["client_assertion_type"] == "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
                    except Exception as e:  # noqa: BLE001
                        return self._send(400, json.dumps({"error": "invalid_client", "why": str(e)}))
                    tok = uuid.uuid4().hex
                    platform.tokens.add(tok)
                    return self._send(200, json.dumps({"access_token": tok, "token_type": "Bearer",
                                                       "expires_in": 3600, "scope": q.get("scope", "")}))
                if not self._authorised():
                    return None
                if u.path == "/lineitems":
                    li = json.loads(body)
                    li["id"] = f"{platform.url}/lineitems/{len(platform.lineitems) + 1}/lineitem"
                    platform.lineitems[li["id"]] = li
                    return self._send(201, json.dumps(li))
                if u.path.endswith("/lineitem/scores"):
                    if self.headers.get("content-type") != "application/vnd.ims.lis.v1.score+json":
                        return self._send(415, "{}")
                    li = platform.url + u.path[: -len("/scores")]
                    if li not in platform.lineitems:
                        return self._send(404, "{}")
                    platform.scores.append({"lineitem": li, **json.loads(body)})
                    return self._send(204, "")
                self._send(404, "{}")

        return H



def new_uuid() -> str:
    return str(uuid.uuid4())
