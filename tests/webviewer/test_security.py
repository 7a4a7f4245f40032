"""Escaping, read-only methods, headers, caching, the rate limit, and never a 500."""

from __future__ import annotations

import re
import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from tests.webviewer.conftest import Snap
from tests.webviewer.snapshot_data import XSS_MODEL, XSS_TITLE, Facts
from tests.webviewer.test_pages import photo_ids
from webviewer.__main__ import command_line_settings, parse_args
from webviewer.app import create_app


def test_titles_and_exif_strings_are_escaped(client: TestClient, facts: Facts) -> None:
    pages = [
        f"/photos/{facts.xss_photo}/",
        "/cameras/img-src-x-onerror-alert-1/",
        "/cameras/",
        "/feed.xml",
        f"/embed/{facts.xss_photo}/",
        "/search/?q=alert",
    ]
    for path in pages:
        body = client.get(path).text
        assert XSS_TITLE not in body, path
        assert XSS_MODEL not in body and "<img src=x" not in body, path
    photo = client.get(f"/photos/{facts.xss_photo}/").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in photo
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in photo
    assert "<\\/script>" in photo or "\\u003c/script\\u003e" in photo  # JSON-LD stays data


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH"])
def test_writes_are_refused(client: TestClient, facts: Facts, method: str) -> None:
    for path in ("/", f"/photos/{facts.listed[0]}/", "/search/?q=x", "/nowhere"):
        response = client.request(method, path)
        assert response.status_code == 405, path
        assert response.headers["allow"] == "GET, HEAD"


def test_security_headers(client: TestClient, facts: Facts) -> None:
    headers = client.get("/").headers
    csp = headers["content-security-policy"]
    script_src = re.search(r"script-src ([^;]+)", csp).group(1)
    assert "'self'" in script_src and "unsafe-inline" not in script_src
    assert "unsafe-eval" not in script_src
    assert "frame-ancestors 'none'" in csp
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "strict-origin-when-cross-origin"
    embed = client.get(f"/embed/{facts.listed[0]}/").headers
    assert "frame-ancestors *" in embed["content-security-policy"]
    assert "x-frame-options" not in embed


def test_no_inline_scripts_anywhere(client: TestClient, facts: Facts) -> None:
    for path in ("/", "/cities/", "/tags/", f"/photos/{facts.listed[0]}/"):
        html = client.get(path).text
        for attrs, body in re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S):
            assert "src=" in attrs or "application/" in attrs, (path, body[:80])
        assert not re.search(r"<[a-z][^>]*\son[a-z]+=", html), path


def test_etag_and_304(client: TestClient) -> None:
    client.cookies.set("seed", "3")
    first = client.get("/tags/")
    etag = first.headers["etag"]
    assert "public" in first.headers["cache-control"]
    again = client.get("/tags/", headers={"if-none-match": etag})
    assert again.status_code == 304 and again.content == b""
    client.cookies.set("seed", "4")
    assert client.get("/tags/", headers={"if-none-match": etag}).status_code == 200


def test_a_forged_host_is_never_served_to_other_visitors(client: TestClient) -> None:
    """Absolute URLs come from Host when no site_url is set: a forged one must not land in
    the shared render cache (sitemap, feed, canonical links) that others are served."""
    client.cookies.set("seed", "3")
    for path in ("/sitemap.xml", "/feed.xml", "/tags/"):
        forged = client.get(path, headers={"host": "evil.example"})
        assert "evil.example" in forged.text  # its own answer says what it asked for
        honest = client.get(path)
        assert "evil.example" not in honest.text, path
        assert honest.headers.get("etag") != forged.headers.get("etag")


def test_an_absurd_seed_cookie_is_a_new_visitor_not_a_500(client: TestClient) -> None:
    first_visit = photo_ids(client.get("/").text)
    client.cookies.set("seed", "1" * 5000)
    response = client.get("/")
    assert response.status_code == 200 and photo_ids(response.text) == first_visit


def test_gzip_and_hashed_static_assets(client: TestClient) -> None:
    page = client.get("/", headers={"accept-encoding": "gzip"})
    assert page.headers["content-encoding"] == "gzip"
    css = re.search(r'href="(/static/[0-9a-f]{12}/site\.css)"', page.text).group(1)
    asset = client.get(css)
    assert asset.status_code == 200 and "immutable" in asset.headers["cache-control"]
    assert asset.headers["content-type"].startswith("text/css")
    htmx = re.search(r'src="(/static/[0-9a-f]{12}/vendor/htmx\.min\.js)"', page.text).group(1)
    assert client.get(htmx).status_code == 200


def test_rate_limit_is_configurable(snap: Snap) -> None:
    with TestClient(create_app(snap.settings(rate_limit_per_minute=5))) as limited:
        codes = [limited.get("/tags/").status_code for _ in range(8)]
        assert codes[:5] == [200] * 5 and codes[-1] == 429
        assert limited.get("/health").status_code == 200  # probes are never limited


BAD_REQUESTS = [
    "/?page=-1",
    "/?year=-1",
    "/?year=99999999999999999999",
    "/?after=not-a-uuid",
    "/?after=00000000-0000-0000-0000-000000000000",
    "/?partial=2",
    "/photos/not-a-uuid/",
    "/photos/00000000-0000-0000-0000-000000000000/",
    "/photos/%00/",
    "/cameras/NO_SUCH/",
    "/cameras/no-such-camera/",
    "/tags/%F0%9F%98%80/",
    "/years/20x0/",
    "/years/0001/",
    "/search/?q=" + "x" * 5000,
    "/search/?camera=nope",
    "/search/?q=%27%22%3B--",
    "/oembed?url=http://evil/",
    "/oembed?url=http://[::1",  # urlsplit raises on an unclosed IPv6 host
    "/?ctx=camera:../../etc",
]


@pytest.mark.parametrize("path", BAD_REQUESTS)
def test_bad_parameters_are_400_or_404(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code in (200, 400, 404), path
    assert "Traceback" not in response.text
    if response.status_code != 200:
        assert "Back to the photos" in response.text  # the friendly error page


def test_unknown_address_gets_the_friendly_404(client: TestClient) -> None:
    response = client.get("/no/such/page/")
    assert response.status_code == 404 and "Not found" in response.text


ROUTES = [
    "/",
    "/search/",
    "/cameras/",
    "/cameras/nikon-d70/",
    "/lenses/",
    "/tags/",
    "/tags/sunset/",
    "/cities/",
    "/cities/tokyo-tokyo-jp/",
    "/years/",
    "/years/2020/",
    "/collections/",
    "/collections/best-of/",
    "/photos/{photo}/",
    "/embed/{photo}/",
    "/oembed",
    "/sitemap.xml",
    "/feed.xml",
    "/random/",
    "/robots.txt",
]
PARAMS = ["q", "after", "year", "ctx", "partial", "all", "brand", "camera", "lens", "city", "url"]
values = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=string.ascii_lowercase + string.digits + "-:", max_size=60),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.sampled_from(["", "1", "0", "camera:nikon-d70", "search:q=a", "year:2020", "tag:"]),
)


def test_fuzzed_query_parameters_never_give_a_500(sqlite_snap: Snap) -> None:
    """Hypothesis over every route (SQLite; the same code runs on PostgreSQL below)."""
    _fuzz(sqlite_snap, max_examples=300)


def test_fuzzed_query_parameters_never_give_a_500_on_postgres(postgres_snap: Snap) -> None:
    _fuzz(postgres_snap, max_examples=120)


def _fuzz(snap: Snap, max_examples: int) -> None:
    photo = snap.facts.listed[0]
    with TestClient(create_app(snap.settings())) as client:

        @settings(
            max_examples=max_examples,
            deadline=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture],
        )
        @given(
            route=st.sampled_from(ROUTES),
            params=st.dictionaries(st.sampled_from(PARAMS), values, max_size=4),
            seed=st.one_of(st.none(), st.text(max_size=8)),
        )
        def check(route: str, params: dict[str, str], seed: str | None) -> None:
            client.cookies.clear()
            if seed is not None and seed.isprintable() and seed.isascii() and ";" not in seed:
                client.cookies.set("seed", seed)
            path = route.format(photo=photo)
            response = client.get(path, params=params, follow_redirects=False)
            assert response.status_code < 500, (path, params, response.status_code)

        check()


def test_photo_links_from_a_long_search_work(client: TestClient) -> None:
    """The search context a photo link carries is the query percent-encoded: up to ~9x as
    long as the query the search page accepted, which the photo page refused as too long."""
    query = "alert " + "!" * 150
    results = client.get("/search/", params={"q": query})
    assert results.status_code == 200
    link = re.search(r'href="(/photos/[^"]+\?ctx=[^"]+)"', results.text).group(1)
    assert len(link) > 400
    assert client.get(link.replace("&amp;", "&")).status_code == 200


def test_one_worker_reads_the_environment_like_several_do(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("EXIFTREE_VIEWER_CLIENT_IP_HEADER", "Fly-Client-IP")
    monkeypatch.setenv("EXIFTREE_VIEWER_STATEMENT_TIMEOUT_MS", "1000")
    args = parse_args(
        ["--database-url", "postgres://u@h/db", "--rate-limit-per-minute", "60"]
        + ["--site-url", "https://photos.example.org"]
    )
    settings = command_line_settings(args)
    assert (settings.trusted_proxy_header, settings.statement_timeout_ms) == ("Fly-Client-IP", 1000)
    assert settings.rate_limit_per_minute == 60
    assert settings.database_url == "postgresql+psycopg://u@h/db"
