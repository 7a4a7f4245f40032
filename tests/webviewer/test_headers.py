"""Headers for the real internet: a canonical origin, https (HSTS, a Secure cookie) behind a
trusted proxy, an Observatory-grade set of security headers, and pages a CDN can keep."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from starlette.testclient import TestClient

from tests.webviewer.conftest import Snap
from tests.webviewer.test_pages import photo_ids
from webviewer.app import create_app
from webviewer.settings import settings_from_env

TWO_YEARS_S = 2 * 365 * 24 * 3600


def test_a_first_visit_is_a_cacheable_page_without_a_cookie(client: TestClient) -> None:
    """First visits and crawlers share one page per publish, so a CDN can keep it."""
    first = client.get("/")
    assert "set-cookie" not in first.headers
    assert first.headers["cache-control"].startswith("public, max-age=")
    assert "etag" in first.headers and "Cookie" in first.headers["vary"]
    other = client.get("/")  # another cookie-less visitor: the same page
    assert photo_ids(other.text) == photo_ids(first.text)
    assert other.headers["etag"] == first.headers["etag"]
    assert client.get("/", headers={"if-none-match": first.headers["etag"]}).status_code == 304


def test_the_seed_cookie_comes_from_its_own_uncached_request(client: TestClient) -> None:
    seeded = client.get("/seed")
    assert seeded.status_code == 204 and seeded.headers["cache-control"] == "no-store"
    cookie = seeded.headers["set-cookie"]
    assert re.match(r"seed=\d+;", cookie) and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert "Secure" not in cookie  # plain http: a Secure cookie would never come back
    assert "set-cookie" not in client.get("/seed").headers  # kept, not replaced
    page = client.get("/")  # with the cookie: still a shared-cacheable page (Vary: Cookie)
    assert "set-cookie" not in page.headers and "public" in page.headers["cache-control"]


def test_a_scroll_keeps_the_seed_it_started_with(client: TestClient, facts: object) -> None:
    """The next-page links carry the seed, so a cookie arriving mid-scroll changes nothing."""
    html = client.get("/").text
    partial = re.search(r'data-hx-get="([^"]+)"', html).group(1).replace("&amp;", "&")  # type: ignore[union-attr]
    assert "seed=" in partial
    client.cookies.set("seed", str((int(re.search(r"seed=(\d+)", partial).group(1)) + 1) % 16))  # type: ignore[union-attr]
    walked = photo_ids(html)
    while partial:
        page = client.get(partial).text
        walked += photo_ids(page)
        found = re.search(r'data-hx-get="([^"]+)"', page)
        partial = found.group(1).replace("&amp;", "&") if found else ""
    assert len(walked) == len(set(walked)) == len(facts.listed)  # type: ignore[attr-defined]


def test_https_behind_a_trusted_proxy(snap: Snap) -> None:
    forwarded = {"x-forwarded-proto": "https", "x-forwarded-for": "203.0.113.9"}
    with TestClient(create_app(snap.settings(trusted_proxies="*"))) as trusted:
        page = trusted.get("/", headers=forwarded)
        assert page.headers["strict-transport-security"] == f"max-age={TWO_YEARS_S}"
        assert 'href="https://testserver/' in page.text  # canonical links say https too
        assert "Secure" in trusted.get("/seed", headers=forwarded).headers["set-cookie"]
    with TestClient(create_app(snap.settings())) as untrusted:  # anyone can send the header
        page = untrusted.get("/", headers=forwarded)
        assert "strict-transport-security" not in page.headers
        assert "Secure" not in untrusted.get("/seed", headers=forwarded).headers["set-cookie"]


def observatory_grade(headers: dict[str, str], cookies: list[str]) -> list[str]:
    """What Mozilla Observatory's header tests would mark down on an https page."""
    problems = []
    csp = headers.get("content-security-policy", "")
    directives = dict(
        (part.split(" ", 1) + [""])[:2] for part in (d.strip() for d in csp.split(";")) if part
    )
    scripts = directives.get("script-src", directives.get("default-src", ""))
    if not csp or "'unsafe-inline'" in scripts or "'unsafe-eval'" in scripts:
        problems.append("csp: scripts not locked down")
    if directives.get("object-src") != "'none'" and "'none'" not in directives.get(
        "default-src", ""
    ):
        problems.append("csp: object-src")
    if "frame-ancestors" not in directives and "x-frame-options" not in headers:
        problems.append("clickjacking")
    if headers.get("x-content-type-options") != "nosniff":
        problems.append("x-content-type-options")
    safe_referrers = {
        "no-referrer",
        "same-origin",
        "strict-origin",
        "strict-origin-when-cross-origin",
    }
    if headers.get("referrer-policy") not in safe_referrers:
        problems.append("referrer-policy")
    hsts = re.search(r"max-age=(\d+)", headers.get("strict-transport-security", ""))
    if not hsts or int(hsts.group(1)) < 15_768_000:  # six months
        problems.append("hsts")
    for cookie in cookies:
        if "Secure" not in cookie or "HttpOnly" not in cookie or "SameSite" not in cookie:
            problems.append(f"cookie {cookie.split('=')[0]}")
    return problems


@pytest.mark.parametrize("path", ["/", "/cameras/", "/search/?q=tram", "/seed", "/feed.xml"])
def test_headers_grade_as_observatory_would(snap: Snap, path: str) -> None:
    with TestClient(create_app(snap.settings()), base_url="https://testserver") as https:
        response = https.get(path)
    cookies = response.headers.get_list("set-cookie")
    assert observatory_grade(dict(response.headers), cookies) == [], path


def test_production_refuses_to_start_without_a_site_url(snap: Snap) -> None:
    with pytest.raises(ValueError, match="EXIFTREE_VIEWER_SITE_URL"):
        settings_from_env({"EXIFTREE_VIEWER_DATABASE_URL": snap.url})
    with pytest.raises(ValueError, match="must start with https://"):
        settings_from_env({"DATABASE_URL": snap.url, "EXIFTREE_VIEWER_SITE_URL": "photos.org"})
    run = subprocess.run(
        [sys.executable, "-m", "webviewer", "--database-url", snap.url],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert "--site-url" in run.stderr and "https://photos.example.org" in run.stderr


def test_with_a_site_url_a_forged_host_changes_nothing(snap: Snap) -> None:
    settings = snap.settings(site_url="https://photos.example.org")
    with TestClient(create_app(settings)) as client:
        for path in ("/", "/feed.xml", "/sitemap.xml", "/robots.txt"):
            body = client.get(path, headers={"host": "evil.example"}).text
            assert "evil.example" not in body and "https://photos.example.org/" in body, path


def test_a_first_visit_keeps_its_order_after_the_cookie_arrives(client: TestClient) -> None:
    """A page under the publish's seed says so; its photo links stay clean for crawlers, and
    followed with that seed (as the page's script does) previous/next follow the grid the
    visitor saw even once /seed has given them a seed of their own."""
    html = client.get("/").text
    seed = re.search(r'<body class="[^"]*" data-seed="(\d+)">', html).group(1)  # type: ignore[union-attr]
    links = re.findall(r'class="card" href="([^"]+)"', html)
    assert all(re.fullmatch(r"/photos/[0-9a-f-]{36}/", x) for x in links)  # crawlable
    client.get("/seed")  # what the page's script does
    photo = client.get(f"{links[0]}?seed={seed}").text
    assert f'data-next="{links[1]}"' in photo
    own = client.get("/").text  # the visitor's own order now: nothing to keep
    assert "data-seed=" not in own
