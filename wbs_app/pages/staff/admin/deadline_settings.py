"""Administrasi, tab Tenggat: how many days verifiers have to acknowledge a report and to reach a result."""

from __future__ import annotations

import reflex as rx

from wbs_app.components.forms import text_field
from wbs_app.db import open_session
from wbs_app.models import User
from wbs_app.pages.staff.admin.tab_state import AdminTabState, feedback
from wbs_app.services import deadlines
from wbs_app.state.staff import StaffState, admin_event


class DeadlineSettingsState(AdminTabState, StaffState):
    config: dict[str, str] = {}
    # Changed when the stored settings loaded differ from those shown: the form shows them anew. Loading the same
    # settings again (opening the tab) leaves what is being typed alone; so does a refused form.
    form_key: int = 0

    def _reload(self) -> None:
        with open_session() as db:
            config = deadlines.load_config(session=db)
        stored = {
            "acknowledge_days": str(config.acknowledge_days),
            "result_days": str(config.result_days),
            "working_days": "1" if config.working_days else "",
            "remind_days_before": str(config.remind_days_before),
        }
        if stored != self.config:
            self.config = stored
            self.form_key += 1

    @admin_event
    def load(self, actor: User):
        self._clear_feedback()
        self._reload()

    @admin_event
    def save_deadlines(self, actor: User, form: dict):
        self._clear_feedback()
        self._apply(
            lambda db: deadlines.save_settings(
                session=db, actor=actor, form_values=dict(form), client_ip=self._client_ip()
            )
        )


S = DeadlineSettingsState


def days_field(text: str, name: str) -> rx.Component:
    return text_field(
        text,
        name,
        S.errors,
        type="number",
        input_mode="numeric",
        max_length=3,
        default_value=S.config[name],
        id_prefix="admin_",
    )


def deadlines_tab() -> rx.Component:
    return rx.card(
        rx.heading("Tenggat", as_="h2", size="5"),
        feedback(S),
        rx.cond(S.form_key == 0, rx.text("Memuat…", size="2"), deadlines_form()),
        width="100%",
    )


def deadlines_form() -> rx.Component:
    """Drawn once the settings are loaded, so nothing typed before they arrive is replaced by them."""
    return rx.form(
        rx.grid(
            days_field("Tanggapan awal (hari)", "acknowledge_days"),
            days_field("Hasil (hari)", "result_days"),
            days_field("Pengingat sebelum tenggat (hari)", "remind_days_before"),
            rx.el.label(
                rx.el.input(
                    type="checkbox",
                    name="working_days",
                    id="working_days",
                    default_checked=S.config["working_days"] == "1",
                ),
                " Hitung hari kerja (tanpa akhir pekan dan hari libur nasional)",
                html_for="working_days",
                class_name="checkbox-label",
            ),
            rx.button("Simpan Tenggat", type="submit"),
            columns=rx.breakpoints(initial="1", sm="2"),
            spacing="3",
            align="end",
        ),
        on_submit=S.save_deadlines,
        no_validate=True,
        key=S.form_key,
    )
