"""Administrasi, tab Tenggat: how many days verifiers have to acknowledge a report and to reach a result, as a
preset (WBS default, SP4N-LAPOR! service standards) or typed days, for all channels and per channel."""

from __future__ import annotations

import reflex as rx

from wbs_app.components.forms import text_field
from wbs_app.components.text import tr, tr_attr
from wbs_app.db import open_session
from wbs_app.i18n import N_
from wbs_app.models import User
from wbs_app.pages.staff.admin.tab_state import AdminTabState, feedback, tr_names
from wbs_app.services import deadlines
from wbs_app.state.staff import StaffState, admin_event

GENERAL = "umum"  # the row of the general rule in `choices`
# (value, label): the labels are texts of the catalogues, shown in the page's language.
PRESET_OPTIONS = [(name, label) for name, (label, _rule) in deadlines.PRESETS.items()] + [
    (deadlines.CUSTOM, N_("Atur sendiri (isi jumlah hari)"))
]
CHANNEL_OPTIONS = [(deadlines.FOLLOW_GENERAL, N_("Ikuti aturan umum")), *PRESET_OPTIONS]
NOTE_WORKING_DAYS = N_("{name}: tanggapan awal {acknowledge} hari kerja, hasil {result} hari kerja.")
NOTE_CALENDAR_DAYS = N_("{name}: tanggapan awal {acknowledge} hari kalender, hasil {result} hari kalender.")


def _note(name: str, rule: deadlines.Rule) -> rx.Component:
    """Shown under the list, wrapping on a phone: what the chosen preset means in full."""
    sentence = NOTE_WORKING_DAYS if rule.working_days else NOTE_CALENDAR_DAYS
    days = {"acknowledge": str(rule.acknowledge_days), "result": str(rule.result_days)}
    return tr_names(sentence, name=deadlines.PRESET_NOTES[name], **days)


def _rule_values(prefix: str, rule: deadlines.Rule) -> dict[str, str]:
    return {
        prefix + "acknowledge_days": str(rule.acknowledge_days),
        prefix + "result_days": str(rule.result_days),
        prefix + "working_days": "1" if rule.working_days else "",
    }


class DeadlineSettingsState(AdminTabState, StaffState):
    config: dict[str, str] = {}
    # The choice in each row's preset list ("umum" for the general rule, else the channel's short name): a row
    # with typed days ("kustom") shows its day fields.
    choices: dict[str, str] = {}
    # Changed when the stored settings loaded differ from those shown: the form shows them anew. Loading the same
    # settings again (opening the tab) leaves what is being typed alone; so does a refused form.
    form_key: int = 0

    def _reload(self) -> None:
        with open_session() as db:
            config = deadlines.load_config(session=db)
        stored = {"remind_days_before": str(config.remind_days_before), **_rule_values("", config.general)}
        choices = {GENERAL: deadlines.preset_of(config.general)}
        own = dict(config.channel_rules)
        for channel, slug in deadlines.CHANNEL_SLUGS.items():
            rule = own.get(channel)
            stored |= _rule_values(f"{slug}_", rule or config.general)
            choices[slug] = deadlines.preset_of(rule) if rule else deadlines.FOLLOW_GENERAL
        if stored != self.config or choices != self.choices:
            self.config = stored
            self.choices = choices
            self.form_key += 1

    @admin_event
    def load(self, actor: User):
        self._clear_feedback()
        self._reload()

    @admin_event
    def choose(self, actor: User, key: str, value: str):
        """The preset list of row `key` changed: show or hide its day fields (saved only with the form)."""
        allowed = PRESET_OPTIONS if key == GENERAL else CHANNEL_OPTIONS
        if (key == GENERAL or key in deadlines.CHANNEL_SLUGS.values()) and value in dict(allowed):
            self.choices[key] = value

    @admin_event
    def save_deadlines(self, actor: User, form: dict):
        self._clear_feedback()
        if not isinstance(form, dict):
            return
        self._apply(
            lambda db: deadlines.save_settings(
                session=db, actor=actor, form_values=dict(form), client_ip=self._client_ip()
            )
        )


S = DeadlineSettingsState


def days_field(text: rx.Component, name: str) -> rx.Component:
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


def rule_row(title: rx.Component, row: str, prefix: str, options: list[tuple[str, str]]) -> rx.Component:
    """One rule: its preset list and, for typed days, the two day counts and the working-days box."""
    select_id = f"admin_{prefix}preset"
    return rx.el.fieldset(
        rx.el.legend(title, class_name="deadline-legend"),
        rx.el.label(tr("Aturan tenggat"), html_for=select_id, class_name="field-label"),
        rx.el.select(
            *[rx.el.option(tr_attr(label), value=value) for value, label in options],
            id=select_id,
            name=f"{prefix}preset",
            value=S.choices[row],
            on_change=lambda value: S.choose(row, value),
            class_name="native-select deadline-preset",
            max_width="28rem",
        ),
        rx.text(
            rx.match(
                S.choices[row],
                *[(name, _note(name, rule)) for name, (_label, rule) in deadlines.PRESETS.items()],
                (deadlines.FOLLOW_GENERAL, tr("Sama dengan aturan umum.")),
                rx.fragment(),
            ),
            size="2",
            color_scheme="gray",
            class_name="deadline-note",
        ),
        rx.cond(
            S.choices[row] == deadlines.CUSTOM,
            rx.grid(
                days_field(tr("Tanggapan awal (hari)"), f"{prefix}acknowledge_days"),
                days_field(tr("Hasil (hari)"), f"{prefix}result_days"),
                rx.el.label(
                    rx.el.input(
                        type="checkbox",
                        name=f"{prefix}working_days",
                        id=f"admin_{prefix}working_days",
                        default_checked=S.config[f"{prefix}working_days"] == "1",
                    ),
                    " ",
                    tr("Hitung hari kerja (tanpa akhir pekan dan hari libur nasional)"),
                    html_for=f"admin_{prefix}working_days",
                    class_name="checkbox-label",
                ),
                columns=rx.breakpoints(initial="1", sm="3"),
                spacing="3",
                align="end",
                margin_top="0.5rem",
            ),
        ),
        class_name="deadline-rule",
    )


def deadlines_tab() -> rx.Component:
    return rx.card(
        rx.heading(tr("Tenggat"), as_="h2", size="5"),
        rx.text(
            tr(
                "Standar pelayanan SP4N-LAPOR!: tanggapan awal 3 hari kerja; hasil 14 hari kerja, atau 60 hari kerja bila "
                "perlu pemeriksaan lapangan. Hari kerja tidak menghitung akhir pekan dan hari libur nasional "
                "(termasuk cuti bersama)."
            ),
            size="2",
            color_scheme="gray",
        ),
        feedback(S),
        rx.cond(S.form_key == 0, rx.text(tr("Memuat…"), size="2"), deadlines_form()),
        width="100%",
    )


def deadlines_form() -> rx.Component:
    """Drawn once the settings are loaded, so nothing typed before they arrive is replaced by them."""
    return rx.form(
        rx.flex(
            rule_row(tr("Aturan umum (semua kanal)"), GENERAL, "", PRESET_OPTIONS),
            *[
                rule_row(tr_names(N_("Kanal {channel}"), channel=channel), slug, f"{slug}_", CHANNEL_OPTIONS)
                for channel, slug in deadlines.CHANNEL_SLUGS.items()
            ],
            rx.box(days_field(tr("Pengingat sebelum tenggat (hari)"), "remind_days_before"), max_width="20rem"),
            rx.button(tr("Simpan Tenggat"), type="submit", align_self="start"),
            direction="column",
            spacing="4",
        ),
        on_submit=S.save_deadlines,
        no_validate=True,
        key=S.form_key,
    )
