"""The shape a newcomer relies on: small modules, pages that do not import each other, services that take the
database session by keyword, and one guard in front of every staff handler."""

from __future__ import annotations

import ast
from pathlib import Path

import wbs_app
import wbs_app.wbs_app  # noqa: F401 - imports every page and its state
from wbs_app.state.staff import StaffState
from wbs_app.state.uploads import DraftUploads

PACKAGE = Path(wbs_app.__file__).parent
MAX_LINES = 450
GROUPING_PACKAGES = {"wbs_app.pages", "wbs_app.pages.staff"}


def modules(folder: Path = PACKAGE) -> list[Path]:
    return sorted(folder.rglob("*.py"))


def test_no_module_is_over_the_size_limit():
    sizes = {str(path.relative_to(PACKAGE)): len(path.read_text().splitlines()) for path in modules()}
    assert {name: size for name, size in sizes.items() if size > MAX_LINES} == {}


def test_no_page_imports_another_page():
    pages = PACKAGE / "pages"
    offenders = []
    for path in modules(pages):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                imported = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
            elif isinstance(node, ast.Import):
                imported = [alias.name for alias in node.names]
            else:
                continue
            # The modules of one page that is a package (e.g. pages/report_wizard/) may use each other;
            # pages/ and pages/staff/ themselves only group pages.
            own_package = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts[:-1])
            if own_package in GROUPING_PACKAGES:
                own_package = "-"
            for name in imported:
                if name.startswith("wbs_app.pages.") and not name.startswith(own_package + "."):
                    offenders.append(f"{path.relative_to(PACKAGE)} imports {name}")
    assert offenders == []


def test_services_take_the_database_session_by_keyword():
    positional = []
    for path in modules(PACKAGE / "services"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                if any(arg.arg == "session" for arg in node.args.posonlyargs + node.args.args):
                    positional.append(f"{path.name}:{node.name}")
    assert positional == []


def staff_states() -> list[type]:
    found, queue = [], list(StaffState.__subclasses__())
    while queue:
        cls = queue.pop()
        found.append(cls)
        queue.extend(cls.__subclasses__())
    return found


def test_every_staff_handler_passes_the_one_guard():
    """A handler written without @staff_event/@admin_event would run for anyone: refuse to ship one."""
    upload_handlers = set(DraftUploads.event_handlers) if hasattr(DraftUploads, "event_handlers") else set()
    upload_handlers |= {"upload_progress_changed", "receive_uploads", "set_upload_description", "remove_upload"}
    unguarded = [
        f"{cls.__name__}.{name}"
        for cls in staff_states()
        for name, handler in cls.event_handlers.items()
        if name != "setvar" and name not in upload_handlers and not getattr(handler.fn, "staff_guard", None)
    ]
    assert staff_states() and unguarded == []


def test_the_guard_is_written_once():
    """The refusal (audit, reset, redirect) lives in state/staff.py only; pages never spell it out again."""
    spelled_out = [
        str(path.relative_to(PACKAGE))
        for path in modules()
        if path != PACKAGE / "state" / "staff.py" and "_refuse()" in path.read_text()
    ]
    assert spelled_out == []
