"""The record each page module exposes; the app registers them all with the shared frame."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import reflex as rx


@dataclasses.dataclass(frozen=True)
class Page:
    route: str
    title: str
    component: Callable[[], rx.Component]
    on_load: tuple = ()
    description: str = "Whistleblowing System: laporkan dugaan pelanggaran dengan aman dan rahasia."
