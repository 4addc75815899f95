"""axe-core in the browser on every public page, each step of the report wizard (with its errors shown),
history, a report's page, Akun Saya, the case list and the case page: no serious or critical violation.

axe-core comes from the npm registry into .tools/ (scripts/test: ensure_axe). Each failure lists the page, the
rule, what it asks for and the elements that break it.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlmodel import select

from tests.conftest import ROOT
from tests.e2e.conftest import app_db, expect_path, open_page
from tests.e2e.helpers import create_report, create_reporter, create_staff, login
from wbs_app.models import User

AXE = ROOT / ".tools" / "node_modules" / "axe-core" / "axe.min.js"
PUBLIC_PATHS = [
    "/",
    "/tentang",
    "/lapor",
    "/lacak",
    "/faq",
    "/kontak",
    "/statistik",
    "/verifikasi-bukti",
    "/masuk",
    "/daftar",
    "/aktivasi",
    "/akses",
    "/lupa-password",
    "/tidak-ada",  # the page of an unknown address
]
# Serious and critical only: "moderate" and "minor" are advice (e.g. a region rule about a toast container).
_RUN_AXE = """async () => {
  const result = await axe.run(document, { resultTypes: ["violations"] });
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target.join(" "), summary: n.failureSummary })),
    }));
}"""

# Every aria-describedby id that names no element in the page: wrong for screen readers, and axe-core lets it pass.
_MISSING_DESCRIPTIONS = """() => [...document.querySelectorAll("[aria-describedby]")].flatMap((element) =>
  element.getAttribute("aria-describedby").split(/\\s+/).filter((id) => id && !document.getElementById(id))
    .map((id) => (element.id || element.name || element.tagName) + " -> " + id))"""


@pytest.fixture
def checked_page(browser, app_harness, viewport):
    """A page in a context of its own that ignores the Content-Security-Policy: Playwright's add_script_tag
    inlines axe's code into the page, which the app's CSP (no inline scripts but its own hashed ones) refuses. Only
    this test's context does so; tests/e2e/test_security_headers.py checks the CSP itself."""
    from wbs_app.services import ratelimit

    for limiter in ratelimit.all_limiters():
        limiter.reset()
    context = browser.new_context(viewport=viewport, base_url=app_harness.frontend_url.rstrip("/"), bypass_csp=True)
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


class Findings:
    def __init__(self):
        self.lines: list[str] = []
        self.checked: list[str] = []

    def check(self, page, what: str) -> None:
        assert AXE.is_file(), f"{AXE} is missing: ./scripts/test installs axe-core (ensure_axe in scripts/common.sh)"
        page.wait_for_selector('main[data-ready="true"]')
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            page.add_script_tag(path=str(AXE))
        for missing in page.evaluate(_MISSING_DESCRIPTIONS):
            self.lines.append(f"{what}: aria-describedby names a missing element: {missing}")
        for violation in page.evaluate(_RUN_AXE):
            self.lines.append(f"{what}: {violation['id']} ({violation['impact']}) — {violation['help']}")
            for node in violation["nodes"][:5]:
                summary = " ".join(node["summary"].split())
                self.lines.append(f"    {node['target']}: {summary}")
        self.checked.append(what)

    def assert_none(self) -> None:
        print("axe-core checked: " + ", ".join(self.checked))
        assert not self.lines, "serious or critical accessibility violations:\n" + "\n".join(self.lines)


@pytest.mark.parametrize(
    "viewport", [{"width": 1366, "height": 900}, {"width": 375, "height": 800}], ids=["desktop", "phone"]
)
def test_public_pages_have_no_serious_violations(checked_page, viewport):
    findings = Findings()
    number, _ = create_report(accused="Terlapor Aksesibel")
    for path in [*PUBLIC_PATHS, f"/lacak/{number}"]:
        open_page(checked_page, path)
        findings.check(checked_page, f"{path} ({viewport['width']} px)")
    # The tracking widget with a result, and the login form with its errors shown.
    open_page(checked_page, "/lacak")
    checked_page.get_by_label("Nomor Registrasi").fill(number)
    checked_page.get_by_role("button", name="Lacak").click()
    expect(checked_page.locator(".tracking-result")).to_contain_text(number)
    findings.check(checked_page, "/lacak with a result")
    open_page(checked_page, "/daftar")
    checked_page.get_by_role("button", name="Buat Akun").click()
    expect(checked_page.get_by_role("alert").first).to_be_visible()
    findings.check(checked_page, "/daftar with errors")
    findings.assert_none()


def test_every_wizard_step_has_no_serious_violations(checked_page):
    findings = Findings()
    page = checked_page
    open_page(page, "/lapor/pelanggaran")
    findings.check(page, "wizard step 1")
    next_button = page.get_by_role("button", name="Selanjutnya")
    next_button.click()
    expect(page.locator("#reporter_name-error")).to_be_visible()
    findings.check(page, "wizard step 1 with errors")
    page.get_by_role("textbox", name="Nama").fill("Samaran")
    next_button.click()
    expect(page.get_by_role("heading", name="Detail Kejadian")).to_be_visible()
    findings.check(page, "wizard step 2")
    next_button.click()
    expect(page.locator("#title-error")).to_be_visible()
    findings.check(page, "wizard step 2 with errors")
    page.get_by_label("Judul").fill("Pungutan pada pengadaan server")
    page.get_by_label("Jenis Pelanggaran").select_option(label="Korupsi")
    page.locator(".accused-row").first.get_by_label("Nama Terlapor").fill("Tensu")
    page.get_by_label("Unit Kejadian").select_option(index=1)
    page.get_by_label("Deskripsi Pelanggaran").fill("Kepala bidang meminta uang pelicin kepada rekanan pengadaan. " * 2)
    next_button.click()
    expect(page.get_by_role("heading", name="Lokasi & Waktu Kejadian")).to_be_visible()
    findings.check(page, "wizard step 3")
    page.get_by_role("textbox", name="Alamat").fill("Kantor Dinas")
    page.get_by_label("Provinsi").select_option(label="Bali")
    regency = page.get_by_label("Kabupaten/Kota")
    expect(regency.locator("option", has_text="Kabupaten Jembrana")).to_have_count(1)
    regency.select_option(label="Kabupaten Jembrana")
    page.get_by_label("Perkiraan Waktu Kejadian").fill("2024-11-11T12:00")
    next_button.click()
    expect(page.get_by_role("button", name="Kirim Laporan")).to_be_visible()
    findings.check(page, "wizard step 4 (summary)")
    page.get_by_role("checkbox").last.check()
    page.get_by_role("button", name="Kirim Laporan").click()
    expect(page.locator("#registration-number")).to_be_visible(timeout=30_000)
    findings.check(page, "wizard sent")
    findings.assert_none()


def test_reporter_pages_have_no_serious_violations(checked_page):
    findings = Findings()
    person = create_reporter()
    login(checked_page, person["username"])
    expect_path(checked_page, "/akun")
    findings.check(checked_page, "/akun")
    with app_db() as db:
        owner = db.exec(select(User).where(User.username == person["username"])).one()
    number, _ = create_report(accused="Terlapor Riwayat", user=owner)
    open_page(checked_page, "/riwayat")
    expect(checked_page.locator(".history-table")).to_contain_text(number)
    findings.check(checked_page, "/riwayat")
    open_page(checked_page, f"/laporan/{number}")
    findings.check(checked_page, "/laporan/<nomor>")
    findings.assert_none()


def test_staff_pages_have_no_serious_violations(checked_page):
    findings = Findings()
    number, _ = create_report(accused="Terlapor Petugas", email="pelapor.axe@mail.co.id")
    verifier = create_staff()
    login(checked_page, verifier["username"])
    expect_path(checked_page, "/verifikator")
    expect(checked_page.locator(".case-table")).to_contain_text(number)
    findings.check(checked_page, "/verifikator (case list)")
    open_page(checked_page, f"/verifikator/laporan/{number}")
    expect(checked_page.locator("main")).to_contain_text("Terlapor Petugas")
    findings.check(checked_page, "/verifikator/laporan/<nomor>")
    findings.assert_none()


def test_language_focus_moves_and_descriptions_that_exist(page):
    """Under the real Content-Security-Policy: wbs.js moves focus (skip link, new wizard step, first invalid
    field), fields say aria-invalid, and no aria-describedby names a missing element."""
    open_page(page, "/lapor/pelanggaran")
    assert page.evaluate("document.documentElement.lang") == "id"
    assert page.evaluate(_MISSING_DESCRIPTIONS) == []
    page.keyboard.press("Tab")
    expect(page.locator("a.skip-link")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()

    page.get_by_role("button", name="Selanjutnya").click()
    name = page.get_by_role("textbox", name="Nama")
    expect(name).to_have_attribute("aria-invalid", "true")
    expect(name).to_be_focused()
    expect(name).to_have_attribute("aria-describedby", "reporter_name-error")
    assert page.evaluate(_MISSING_DESCRIPTIONS) == []
    name.fill("Samaran")
    page.get_by_role("button", name="Selanjutnya").click()
    expect(page.get_by_role("heading", name="Detail Kejadian")).to_be_focused()
    assert page.evaluate(_MISSING_DESCRIPTIONS) == []
    page.get_by_role("button", name="Selanjutnya").click()
    expect(page.get_by_label("Judul")).to_be_focused()
    expect(page.get_by_label("Jenis Pelanggaran")).to_have_attribute("aria-invalid", "true")
    assert page.evaluate(_MISSING_DESCRIPTIONS) == []
    page.get_by_role("button", name="Kembali").click()
    expect(page.get_by_role("heading", name="Pelapor", exact=True)).to_be_focused()

    # /lapor: each channel is one link (no button inside a link: one tab stop).
    open_page(page, "/lapor")
    channel = page.get_by_role("link", name="Lapor Gratifikasi")
    expect(channel).to_have_attribute("href", "/lapor/gratifikasi")
    assert page.locator("a button, a [role=button]").count() == 0


def test_english_pages_have_no_serious_violations(checked_page):
    """The same pages in English (chosen from the header): labels, names and lang attributes stay right."""
    from tests.e2e.english import choose_english

    findings = Findings()
    choose_english(checked_page, "/")
    for path in ["/", "/lapor", "/lapor/pelanggaran", "/lacak", "/kontak", "/statistik", "/masuk", "/daftar"]:
        open_page(checked_page, path)
        findings.check(checked_page, f"{path} (English)")
    findings.assert_none()
