"""Pages answer at their own path with 200 (no 307 to the path with a slash); everything else is unchanged.

The files are served by the same static-files app `reflex run --env prod` mounts (Reflex's
PrecompressedStaticFiles, HTML mode, .gz sidecars, the route matcher for dynamic routes)."""

from __future__ import annotations

import gzip

import pytest
from reflex.utils.precompressed_staticfiles import PrecompressedStaticFiles
from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.testclient import TestClient

from wbs_app.page_paths import PagePaths

PAGES = {
    "index.html": "Beranda",
    "masuk/index.html": "Masuk",
    "lapor/index.html": "Lapor Sekarang",
    "lapor/pelanggaran/index.html": "Form Pelaporan Pelanggaran",
    "404.html": "Halaman tidak ditemukan",
    "assets/entry-AbCdEf12.js": "console.log(1)",
}


def dynamic_route(path: str) -> str | None:
    """As the app's router: /laporan/<nomor> is a page without a pre-rendered file."""
    parts = path.strip("/").split("/")
    return "laporan/[nomor]" if len(parts) == 2 and parts[0] == "laporan" else None


@pytest.fixture
def client(tmp_path):
    for name, text in PAGES.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"<html><body>{text}</body></html>")
        path.with_name(path.name + ".gz").write_bytes(gzip.compress(path.read_bytes()))
    (tmp_path / "lapor.html").write_text("<html>lapor.html</html>")
    files = PrecompressedStaticFiles(directory=tmp_path, html=True, encodings=["gzip"], router=dynamic_route)
    app = PagePaths(Starlette(routes=[Mount("/", app=files)]), pages_dir=lambda: tmp_path)
    return TestClient(app, follow_redirects=False)


@pytest.mark.parametrize(
    ("path", "text"),
    [("/masuk", "Masuk"), ("/lapor", "Lapor Sekarang"), ("/lapor/pelanggaran", "Form Pelaporan Pelanggaran")],
)
def test_a_page_answers_at_its_path_without_a_redirect(client, path, text):
    for method in (client.get, client.head):
        response = method(path)
        assert response.status_code == 200, (method, path)
        assert "location" not in response.headers
    response = client.get(path + "?masuk=gagal")
    assert response.status_code == 200 and text in response.text
    # Compressed as before: the .gz sidecar of the page's index.html.
    response = client.get(path, headers={"Accept-Encoding": "gzip"})
    assert response.headers["content-encoding"] == "gzip" and text in response.text
    # With the slash, as before.
    assert client.get(path + "/").text == response.text


def test_the_home_page_dynamic_routes_and_unknown_paths_are_unchanged(client):
    assert "Beranda" in client.get("/").text
    fallback = client.get("/laporan/WBS-7K3M9Q2X4D")
    assert fallback.status_code == 200 and "tidak ditemukan" in fallback.text  # the app's shell, routed in-browser
    for path in ("/tidak-ada", "/masuk/tidak-ada", "/lapor/lainnya"):
        response = client.get(path)
        assert response.status_code == 404 and "tidak ditemukan" in response.text, path
    asset = client.get("/assets/entry-AbCdEf12.js")
    assert asset.status_code == 200 and "console.log" in asset.text


def test_only_page_reads_are_rewritten_and_nothing_outside_the_build(client, tmp_path):
    assert client.post("/masuk").status_code == 405  # as StaticFiles answers any POST
    (tmp_path.parent / "rahasia").mkdir(exist_ok=True)
    (tmp_path.parent / "rahasia" / "index.html").write_text("rahasia")
    for path in ("/../rahasia", "/%2e%2e/rahasia", "/masuk/..", "/lapor.html"):
        response = client.get(path)
        assert "rahasia" not in response.text, path
    assert client.get("/lapor.html").text == "<html>lapor.html</html>"  # a file is served as the file it is
