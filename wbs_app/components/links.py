"""Links to the backend's own routes (evidence downloads), which may live on another port than the pages."""

from __future__ import annotations

import reflex as rx
from reflex.constants import Dirs
from reflex.vars import Var, VarData
from reflex.vars.base import ImportVar

# The backend's origin as the browser must reach it (same logic Reflex uses for its upload endpoint).
backend_origin = Var(
    _js_expr="getBackendURL(env.UPLOAD).origin",
    _var_data=VarData(
        imports={
            f"$/{Dirs.STATE_PATH}": "getBackendURL",
            "$/env.json": ImportVar(tag="env", is_default=True),
        }
    ),
).to(str)


def backend_link(path: Var, *children, **props) -> rx.Component:
    return rx.el.a(*children, href=backend_origin + path, target="_blank", rel="noopener noreferrer", **props)
