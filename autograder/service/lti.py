"""LTI 1.3 tool (Moodle 4.x, Canvas): OIDC third-party login initiation and resource-link launch.

JOSE is PyJWT (with ``cryptography``); the LTI messages are written to IMS LTI Core 1.3 here
(PyLTI1p3 is built around Django/Flask request adapters and its own cache/session interfaces,
which would take more glue than the few claims checked below).

Flow (all on ``lti.tool_url``):

- ``GET|POST /lti/login``: the platform's login initiation. The issuer (and client id, if sent)
  must be the configured ones; a fresh single-use state and nonce are stored (``gradebook.lti``)
  and the browser is sent to the platform's ``auth_login_url``.
- ``POST /lti/launch``: the platform posts ``id_token`` and ``state``. The state is consumed
  (unknown, expired or already used: refused), the token's RS256 signature is checked against the
  platform's JWKS (``key_set_url``, fetched by ``kid``), then issuer, audience (and ``azp``),
  expiry, the nonce (must be the state's), deployment id, message type and version. A launch for
  ``<tool_url>/weeks/<week>`` (target_link_uri, or the custom parameter ``week``) signs the person
  in with a server-side session and opens that week's page.
- ``GET /lti/jwks.json``: the tool's public key set (made by ``autograder lti keys``).
- Grades (Assignment and Grade Services 2.0): a launch stores the week's line item endpoints; when
  a grading finishes, the worker calls ``after_grading``, which queues the student's counted score
  if it changed (``gradebook.lti`` outbox) and posts what is due: an access token by OAuth2 client
  credentials with a JWT assertion signed by the tool key, the week's line item (the launch's, else
  found by tag or created once), then the score. Failures stay pending with back-off and are shown
  at ``/staff/lti``; ``autograder lti send WEEK`` queues a week again.

People: the LMS account is matched by its stored (issuer, ``sub``) link, else by e-mail (then
linked). The roster's role decides (an LMS role never raises anyone); an unknown learner is
created as a student only with ``lti.create_users``, otherwise refused with a Turkish page.
Every refusal is a Turkish page with status 400 (bad request) or 403 (not allowed).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import threading
import time
from pathlib import Path
from typing import Any, Callable
from urllib.parse import urlencode, urlsplit

import httpx
import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from autograder import config as config_mod
from autograder.gradebook import STAFF, Gradebook

log = logging.getLogger("autograder.lti")

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
ROLE_STAFF = ("http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor",
              "http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant",
              "http://purl.imsglobal.org/vocab/lis/v2/institution/person#Instructor")
ROLE_LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
KEY_FILE, JWKS_FILE = "lti_private_key.pem", "lti_jwks.json"
LEEWAY_S = 30  # clock skew allowed on exp/iat


# --------------------------------------------------------------------------- tool keys

def key_paths(course: config_mod.Course) -> tuple[Path, Path]:
    return course.root / "build" / KEY_FILE, course.root / "build" / JWKS_FILE


def make_keys(course: config_mod.Course, force: bool = False) -> tuple[Path, Path]:
    """Write a new RSA-2048 private key (0600) and its public JWKS in the build folder.
    Refuses to replace existing keys unless ``force`` (platforms cache the old public key)."""
    priv, pub = key_paths(course)
    if priv.exists() and not force:
        raise config_mod.ConfigError(f"{priv} exists; pass --force to replace it (the platform must then "
                                     "fetch the new key set)")
    priv.parent.mkdir(parents=True, exist_ok=True)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    tmp = priv.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(pem)
    os.chmod(tmp, 0o600)
    os.replace(tmp, priv)
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    jwk.update(kid=_kid(jwk), alg="RS256", use="sig")
    pub.write_text(json.dumps({"keys": [jwk]}, indent=1), encoding="utf-8")
    return priv, pub


def _kid(jwk: dict) -> str:
    import hashlib

    return hashlib.sha256((jwk["n"] + jwk["e"]).encode()).hexdigest()[:16]


def tool_jwks(course: config_mod.Course) -> dict:
    _, pub = key_paths(course)
    if not pub.exists():
        raise config_mod.ConfigError(f"no LTI tool keys: run `autograder lti keys` (looked for {pub})")
    return json.loads(pub.read_text(encoding="utf-8"))


def platform_settings(course: config_mod.Course) -> dict[str, Any]:
    """What a platform administrator enters (``autograder lti config``)."""
    lti = _need_lti(course)
    base = lti.tool_url
    return {
        "tool_url": base + "/",
        "initiate_login_url": base + "/lti/login",
        "redirect_uris": [base + "/lti/launch"],
        "public_keyset_url": base + "/lti/jwks.json",
        "launch_url_of_a_week": base + "/weeks/<week>  (or custom parameter week=<week>)",
        "domain": urlsplit(base).netloc,
        "scopes": ["https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
                   "https://purl.imsglobal.org/spec/lti-ags/scope/score"],
        "platform_side": {"issuer": lti.issuer, "client_id": lti.client_id, "deployment_ids": lti.deployment_ids},
    }


def _need_lti(course: config_mod.Course) -> config_mod.Lti:
    if course.lti is None:
        raise config_mod.ConfigError("course.yml has no `lti:` section (see README, LTI 1.3)")
    return course.lti


# --------------------------------------------------------------------------- platform keys

class PlatformKeys:
    """The platform's JWKS, fetched on demand and again (at most every 10 s) for an unknown ``kid``
    (platforms rotate keys)."""

    def __init__(self, url: str, fetch: Callable[[str], dict] | None = None) -> None:
        self.url, self._fetch = url, fetch or _get_json
        self._keys: dict[str, Any] = {}
        self._at = 0.0
        self._lock = threading.Lock()

    def key(self, kid: str | None) -> Any:
        with self._lock:
            if kid not in self._keys and time.monotonic() - self._at > 10:
                self._at = time.monotonic()
                jwks = self._fetch(self.url)
                self._keys = {k.get("kid"): jwt.PyJWK(k).key for k in jwks.get("keys", [])
                              if k.get("kty") == "RSA"}
            if kid in self._keys:
                return self._keys[kid]
            if kid is None and len(self._keys) == 1:
                return next(iter(self._keys.values()))
        raise jwt.InvalidTokenError(f"no platform key with kid {kid!r}")


def _get_json(url: str) -> dict:
    r = httpx.get(url, timeout=10)
    r.raise_for_status()
    return r.json()


class LaunchError(Exception):
    def __init__(self, status: int, message: str, why: str) -> None:
        super().__init__(why)
        self.status, self.message, self.why = status, message, why


def validate_id_token(token: str, lti: config_mod.Lti, keys: PlatformKeys, nonce: str) -> dict:
    """The id_token's claims, or LaunchError. Checks signature, iss, aud/azp, exp, iat, nonce,
    deployment id, version."""
    bad = "LMS'den gelen giriş doğrulanamadı. Lütfen dersi LMS üzerinden yeniden açın."
    try:
        header = jwt.get_unverified_header(token)
        if header.get("alg") != "RS256":
            raise jwt.InvalidTokenError(f"alg {header.get('alg')!r}")
        claims = jwt.decode(token, keys.key(header.get("kid")), algorithms=["RS256"], audience=lti.client_id,
                            issuer=lti.issuer, leeway=LEEWAY_S,
                            options={"require": ["exp", "iat", "iss", "aud", "sub", "nonce"]})
    except (jwt.InvalidTokenError, httpx.HTTPError, ValueError) as e:
        raise LaunchError(400, bad, f"id_token rejected: {type(e).__name__}: {e}") from None
    aud = claims["aud"]
    if isinstance(aud, list) and len(aud) > 1 and claims.get("azp") != lti.client_id:
        raise LaunchError(400, bad, "azp is not our client id")
    if claims.get("nonce") != nonce:
        raise LaunchError(400, bad, "nonce does not match the login's")
    if claims.get(LTI + "deployment_id") not in lti.deployment_ids:
        raise LaunchError(403, "Bu LMS kurulumu bu araç için tanımlı değil.",
                          f"unknown deployment id {claims.get(LTI + 'deployment_id')!r}")
    if claims.get(LTI + "version") != "1.3.0":
        raise LaunchError(400, bad, f"LTI version {claims.get(LTI + 'version')!r}")
    return claims


def week_of(claims: dict, lti: config_mod.Lti, course: config_mod.Course) -> str:
    custom = claims.get(LTI + "custom") or {}
    week = custom.get("week") if isinstance(custom, dict) else None
    if not week:
        target = str(claims.get(LTI + "target_link_uri", ""))
        prefix = lti.tool_url + "/weeks/"
        week = target[len(prefix):].strip("/") if target.startswith(prefix) else ""
    try:
        return course.week(str(week)).id
    except config_mod.ConfigError:
        raise LaunchError(400, "Bu bağlantı derste tanımlı bir haftayı göstermiyor.",
                          f"no week in launch (custom week / target_link_uri {week!r})") from None


# --------------------------------------------------------------------------- Assignment and Grade Services

AGS = "https://purl.imsglobal.org/spec/lti-ags/"
SCOPES = (AGS + "scope/lineitem", AGS + "scope/score")


def load_private_key(course: config_mod.Course) -> tuple[Any, str]:
    priv, _ = key_paths(course)
    if not priv.exists():
        raise config_mod.ConfigError(f"no LTI tool key: run `autograder lti keys` (looked for {priv})")
    key = serialization.load_pem_private_key(priv.read_bytes(), password=None)
    return key, tool_jwks(course)["keys"][0]["kid"]


def access_token(course: config_mod.Course, http: httpx.Client) -> str:
    """OAuth2 client credentials with a signed JWT assertion (LTI Security Framework 4.1)."""
    lti = _need_lti(course)
    key, kid = load_private_key(course)
    now = int(time.time())
    assertion = jwt.encode({"iss": lti.client_id, "sub": lti.client_id, "aud": lti.auth_token_url, "iat": now,
                            "exp": now + 300, "jti": os.urandom(16).hex()}, key, algorithm="RS256",
                           headers={"kid": kid})
    r = http.post(lti.auth_token_url, data={
        "grant_type": "client_credentials",
        "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        "client_assertion": assertion, "scope": " ".join(SCOPES)})
    r.raise_for_status()
    return r.json()["access_token"]


def _scores_url(lineitem: str) -> str:
    """``<lineitem>/scores``, keeping the line item's query string (Moodle puts ids there)."""
    base, _, query = lineitem.partition("?")
    return base.rstrip("/") + "/scores" + ("?" + query if query else "")


def _lineitem(gb: Gradebook, week: str, maximum: float, http: httpx.Client, headers: dict) -> str:
    ep = gb.lti_endpoint(week)
    if ep is None:
        raise RuntimeError("no launch into this week yet: the platform's line item is unknown")
    if ep.lineitem_url:
        return ep.lineitem_url
    if not ep.lineitems_url:
        raise RuntimeError("the platform sent no line items URL (grade service not enabled for this link)")
    # One line item per week, found by its tag, else created.
    r = http.get(ep.lineitems_url, params={"tag": week},
                 headers={**headers, "accept": "application/vnd.ims.lis.v2.lineitemcontainer+json"})
    r.raise_for_status()
    found = [li for li in r.json() if li.get("tag") == week]
    if found:
        url = found[0]["id"]
    else:
        r = http.post(ep.lineitems_url, json={"scoreMaximum": maximum, "label": week, "tag": week},
                      headers={**headers, "content-type": "application/vnd.ims.lis.v2.lineitem+json"})
        r.raise_for_status()
        url = r.json()["id"]
    gb.set_lti_endpoint(week, ep.lineitems_url, url)
    return url


def deliver_scores(course: config_mod.Course, gb: Gradebook, http: httpx.Client | None = None) -> tuple[int, int]:
    """Post every due outbox score; returns (sent, failed). Failures stay pending with a back-off."""
    lti = course.lti
    rows = gb.due_lti_scores() if lti else []
    if not rows:
        return 0, 0
    own = http is None
    http = http or httpx.Client(timeout=15)
    sent = failed = 0
    token: str | None = None
    try:
        for row in rows:
            try:
                sub = gb.lti_sub(lti.issuer, row.user_id)
                if sub is None:
                    raise RuntimeError(f"{row.user_id} has never launched from the LMS (no LTI user id)")
                token = token or access_token(course, http)
                headers = {"authorization": f"Bearer {token}"}
                url = _lineitem(gb, row.week, row.score_maximum, http, headers)
                body = {"userId": sub, "scoreGiven": row.score_given, "scoreMaximum": row.score_maximum,
                        "activityProgress": "Completed", "gradingProgress": "FullyGraded",
                        "timestamp": row.created_at.replace(tzinfo=dt.timezone.utc).isoformat()}
                r = http.post(_scores_url(url), json=body,
                              headers={**headers, "content-type": "application/vnd.ims.lis.v1.score+json"})
                r.raise_for_status()
            except (httpx.HTTPError, RuntimeError, KeyError, ValueError, config_mod.ConfigError) as e:
                gb.lti_score_failed(row.id, f"{type(e).__name__}: {e}")
                failed += 1
                log.warning("LTI score %s (%s %s) not sent: %s", row.id, row.week, row.user_id, e)
            else:
                gb.lti_score_sent(row.id)
                sent += 1
    finally:
        if own:
            http.close()
    return sent, failed


def queue_score(course: config_mod.Course, gb: Gradebook, week: str, student: str, force: bool = False) -> bool:
    """Queue the counted score of (week, student) if it changed (``force``: always)."""
    counted = gb.counted(week, course.service.score, student).get(student)
    if counted is None:
        return False
    _, res = counted
    return gb.enqueue_lti_score(week, student, res.score, res.max_score, force=force)


def after_grading(course: config_mod.Course, gb: Gradebook, week: str, student: str) -> None:
    """The worker's hook: queue the student's counted score if it changed, then send what is due.
    Never raises (grading must not fail because the LMS is down)."""
    if course.lti is None:
        return
    try:
        queue_score(course, gb, week, student)
        deliver_scores(course, gb)
    except Exception:  # noqa: BLE001
        log.exception("LTI grade hook failed for %s %s", week, student)


def resend_week(course: config_mod.Course, gb: Gradebook, week: str) -> tuple[int, int, int]:
    """Queue every counted score of a week again and send; returns (queued, sent, failed)."""
    _need_lti(course)
    course.week(week)
    n = sum(queue_score(course, gb, week, st, force=True) for st in gb.counted(week, course.service.score))
    sent, failed = deliver_scores(course, gb)
    return n, sent, failed


# --------------------------------------------------------------------------- routes

def lti_routes(ctx: Any, *, render: Callable, client_of: Callable, need: Callable) -> APIRouter:
    """The LTI routes of ``create_app``; with no ``lti:`` section only the key set 404s politely."""
    router = APIRouter()
    course = ctx.course
    gb: Gradebook = ctx.gb
    lti = course.lti
    keys = PlatformKeys(lti.key_set_url) if lti else None

    def refuse(request: Request, status: int, message: str, why: str) -> Response:
        log.warning("LTI launch refused from %s: %s", client_of(request), why)
        return render(request, "error.html", status=status, message=message, code=status)

    async def params(request: Request) -> dict[str, str]:
        data = dict(request.query_params)
        if request.method == "POST":
            form = await request.form(max_files=0, max_fields=20)
            data.update({k: str(v) for k, v in form.items()})
        return data

    @router.get("/staff/lti")
    def outbox(request: Request):
        need(request, *STAFF)
        return render(request, "staff_lti.html", rows=gb.lti_scores(), configured=lti is not None)

    @router.get("/lti/jwks.json")
    def jwks():
        try:
            return JSONResponse(tool_jwks(course))
        except config_mod.ConfigError:
            return JSONResponse({"keys": []}, status_code=404)

    @router.api_route("/lti/login", methods=["GET", "POST"])
    async def login(request: Request):
        if lti is None:
            return refuse(request, 404, "Bu derste LMS bağlantısı yapılandırılmamış.", "no lti section")
        p = await params(request)
        if p.get("iss") != lti.issuer or ("client_id" in p and p["client_id"] != lti.client_id):
            return refuse(request, 400, "Bu LMS bu araç için tanımlı değil.",
                          f"login from unknown issuer/client {p.get('iss')!r}/{p.get('client_id')!r}")
        if not p.get("login_hint") or not p.get("target_link_uri", "").startswith(lti.tool_url + "/"):
            return refuse(request, 400, "LMS giriş isteği eksik.", "login without login_hint or our target_link_uri")
        state, nonce = await run_in_threadpool(gb.new_lti_state)
        q = {"scope": "openid", "response_type": "id_token", "response_mode": "form_post", "prompt": "none",
             "client_id": lti.client_id, "redirect_uri": lti.tool_url + "/lti/launch",
             "login_hint": p["login_hint"], "state": state, "nonce": nonce}
        if p.get("lti_message_hint"):
            q["lti_message_hint"] = p["lti_message_hint"]
        sep = "&" if "?" in lti.auth_login_url else "?"
        return RedirectResponse(lti.auth_login_url + sep + urlencode(q), status_code=302)

    @router.post("/lti/launch")
    async def launch(request: Request):
        if lti is None:
            return refuse(request, 404, "Bu derste LMS bağlantısı yapılandırılmamış.", "no lti section")
        form = await request.form(max_files=0, max_fields=10)
        if form.get("error"):
            return refuse(request, 400, "LMS girişi tamamlamadı. Lütfen dersi LMS üzerinden yeniden açın.",
                          f"platform error {str(form.get('error'))[:100]!r}")
        nonce = await run_in_threadpool(gb.consume_lti_state, str(form.get("state", "")))
        if nonce is None:
            return refuse(request, 400, "Bu giriş bağlantısı kullanılmış ya da süresi dolmuş. "
                                        "Lütfen dersi LMS üzerinden yeniden açın.", "unknown, expired or used state")
        try:
            claims = await run_in_threadpool(validate_id_token, str(form.get("id_token", "")), lti, keys, nonce)
            if claims.get(LTI + "message_type") != "LtiResourceLinkRequest":
                raise LaunchError(400, "Bu LMS isteği desteklenmiyor.", f"message type {claims.get(LTI + 'message_type')!r}")
            week = week_of(claims, lti, course)
        except LaunchError as e:
            return refuse(request, e.status, e.message, e.why)
        roles = claims.get(LTI + "roles") or []
        email = str(claims.get("email") or "")
        u = await run_in_threadpool(gb.lti_user, lti.issuer, claims["sub"], email)
        if u is None and lti.create_users and ROLE_LEARNER in roles and not any(r in ROLE_STAFF for r in roles):
            u = await run_in_threadpool(gb.create_lti_student, lti.issuer, claims["sub"], email,
                                        str(claims.get("name") or ""))
            log.info("LTI: created student %s for %s", u.id, email or claims["sub"])
        if u is None or not u.active:
            return refuse(request, 403, "LMS hesabınız bu dersin listesinde bulunamadı. Lütfen dersin "
                                        "öğretim üyesine e-posta adresinizle yazın.",
                          f"unknown person sub={claims['sub']!r} email={email!r}")
        ags = claims.get(AGS + "claim/endpoint")
        if isinstance(ags, dict) and (ags.get("lineitems") or ags.get("lineitem")):
            await run_in_threadpool(gb.set_lti_endpoint, week, str(ags.get("lineitems") or ""),
                                    str(ags["lineitem"]) if ags.get("lineitem") else None)
        token = await run_in_threadpool(gb.start_session, u, ctx.svc.session_hours, client_of(request),
                                        request.headers.get("user-agent", ""))
        request.session.clear()
        request.session["sid"] = token
        log.info("LTI sign-in: %s (%s) into %s", u.id, u.role, week)
        return RedirectResponse(f"/staff/weeks/{week}" if u.role in STAFF else f"/weeks/{week}", status_code=303)

    return router
