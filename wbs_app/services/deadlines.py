"""Deadlines: acknowledgement within N days of submission, result within M days; calendar or working days.

Working days skip weekends and Indonesian public holidays (including cuti bersama) from the lokal-id package.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import lokal
from sqlmodel import Session, select

from wbs_app import localtime, messages, validators
from wbs_app.i18n import N_, _
from wbs_app.models import CLOSED_STATUSES, AppSetting, Channel, ReportStatus, User
from wbs_app.services import audit, policy
from wbs_app.services.errors import ValidationFailed

OPEN_STATUSES = (ReportStatus.VERIFICATION.value, ReportStatus.EXAMINATION.value)


@dataclasses.dataclass(frozen=True)
class Rule:
    """Days to the first response (acknowledgement) and to the result, counted in calendar or working days."""

    acknowledge_days: int
    result_days: int
    working_days: bool

    def describe(self) -> str:
        """The rule in words, in the current language."""
        text = (
            _("tanggapan awal {acknowledge} hari kerja, hasil {result} hari kerja")
            if self.working_days
            else _("tanggapan awal {acknowledge} hari kalender, hasil {result} hari kalender")
        )
        return text.format(acknowledge=self.acknowledge_days, result=self.result_days)


# Rules an administrator picks by name. SP4N-LAPOR!'s service standard: a first response within 3 working days, a
# result within 14 working days, or 60 when the matter needs a field check (pemeriksaan lapangan).
# Names and notes are catalogue ids (N_): translate them where they are shown.
PRESETS: dict[str, tuple[str, Rule]] = {
    "bawaan": (N_("Bawaan WBS: 7/90 hari"), Rule(7, 90, False)),
    "lapor-14": (N_("SP4N-LAPOR!: 3/14 hari kerja"), Rule(3, 14, True)),
    "lapor-60": (N_("SP4N-LAPOR!: 3/60 hari kerja"), Rule(3, 60, True)),
}
# What each preset is, in full (beside the short name in the list).
PRESET_NOTES = {
    "bawaan": N_("Bawaan WBS"),
    "lapor-14": N_("Standar pelayanan SP4N-LAPOR!, tanpa pemeriksaan lapangan"),
    "lapor-60": N_("Standar pelayanan SP4N-LAPOR!, dengan pemeriksaan lapangan"),
}
CUSTOM = "kustom"  # the days typed in the form
FOLLOW_GENERAL = "umum"  # a channel without a rule of its own
# Each channel's form fields and settings are named by this short word (the channel's own name has spaces).
CHANNEL_SLUGS = {
    Channel.VIOLATION.value: "pelanggaran",
    Channel.CONFLICT_OF_INTEREST.value: "benturan",
    Channel.GRATIFICATION.value: "gratifikasi",
}
CHANNEL_RULE_KEY = "tenggat_kanal_"


@dataclasses.dataclass(frozen=True)
class DeadlineConfig:
    acknowledge_days: int = 7
    result_days: int = 90
    working_days: bool = False
    remind_days_before: int = 2
    # (channel, rule) for the channels with a rule of their own; every other channel follows the general rule.
    channel_rules: tuple[tuple[str, Rule], ...] = ()

    @property
    def general(self) -> Rule:
        return Rule(self.acknowledge_days, self.result_days, self.working_days)

    def rule_for(self, channel: str) -> Rule:
        return dict(self.channel_rules).get(channel, self.general)

    def rules_by_channel(self) -> dict[str, Rule]:
        """The rule of every known channel."""
        return {channel: self.rule_for(channel) for channel in CHANNEL_SLUGS}


def preset_of(rule: Rule) -> str:
    """The preset's name when the rule is one, else CUSTOM."""
    return next((name for name, (_, preset) in PRESETS.items() if preset == rule), CUSTOM)


def _encode(rule: Rule) -> str:
    return f"{rule.acknowledge_days},{rule.result_days},{int(rule.working_days)}"


def _decode(value: str) -> Rule | None:
    parts = value.split(",")
    if len(parts) != 3 or not all(part.isdigit() for part in parts):
        return None
    return Rule(int(parts[0]), int(parts[1]), parts[2] == "1")


def load_config(*, session: Session) -> DeadlineConfig:
    values = {row.key: row.value for row in session.exec(select(AppSetting))}
    default = DeadlineConfig()
    channel_rules = []
    for channel, slug in CHANNEL_SLUGS.items():
        rule = _decode(values.get(CHANNEL_RULE_KEY + slug, ""))
        if rule is not None:
            channel_rules.append((channel, rule))
    return DeadlineConfig(
        acknowledge_days=int(values.get("acknowledge_days", default.acknowledge_days)),
        result_days=int(values.get("result_days", default.result_days)),
        working_days=values.get("working_days", "0") == "1",
        remind_days_before=int(values.get("remind_days_before", default.remind_days_before)),
        channel_rules=tuple(channel_rules),
    )


def save_config(*, session: Session, config: DeadlineConfig) -> None:
    own = dict(config.channel_rules)
    values = {
        "acknowledge_days": str(config.acknowledge_days),
        "result_days": str(config.result_days),
        "working_days": "1" if config.working_days else "0",
        "remind_days_before": str(config.remind_days_before),
    }
    for channel, slug in CHANNEL_SLUGS.items():
        values[CHANNEL_RULE_KEY + slug] = _encode(own[channel]) if channel in own else ""
    for key, value in values.items():
        row = session.get(AppSetting, key) or AppSetting(key=key, value=value)
        row.value = value
        session.add(row)


# The day counts an administrator may set; a deadline of 0 days would make every new report overdue at once.
MAX_DAYS = 365


def _day_count(form_values: dict, key: str, errors: dict, *, may_be_zero: bool = False) -> int:
    """The typed day count, or -1 with an error under `key` when it is not 0..365 (1.. where 0 is not allowed)."""
    raw = str(form_values.get(key, "")).strip()
    # isascii: str.isdigit also accepts digits like "²" that int() refuses.
    value = int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 3 else -1
    if not 0 <= value <= MAX_DAYS or (value == 0 and not may_be_zero):
        errors[key] = messages.DEADLINE_INVALID
    return value


def _typed_rule(form_values: dict, prefix: str, errors: dict) -> Rule:
    """The rule chosen in one row of the form: a preset, or the days typed beside it."""
    choice = str(form_values.get(prefix + "preset", CUSTOM))
    if choice in PRESETS:
        return PRESETS[choice][1]
    return Rule(
        _day_count(form_values, prefix + "acknowledge_days", errors),
        _day_count(form_values, prefix + "result_days", errors),
        validators.is_checked(form_values.get(prefix + "working_days")),
    )


def config_from_form(form_values: dict) -> DeadlineConfig:
    """The settings as typed (general rule, each channel's, reminder days), or ValidationFailed naming every
    field that is wrong. A form without a preset choice holds typed days (CUSTOM)."""
    errors: dict[str, str] = {}
    general = _typed_rule(form_values, "", errors)
    remind = _day_count(form_values, "remind_days_before", errors, may_be_zero=True)
    channel_rules = []
    for channel, slug in CHANNEL_SLUGS.items():
        if str(form_values.get(f"{slug}_preset", FOLLOW_GENERAL)) != FOLLOW_GENERAL:
            channel_rules.append((channel, _typed_rule(form_values, f"{slug}_", errors)))
    if errors:
        raise ValidationFailed(errors)
    return DeadlineConfig(
        acknowledge_days=general.acknowledge_days,
        result_days=general.result_days,
        working_days=general.working_days,
        remind_days_before=remind,
        channel_rules=tuple(channel_rules),
    )


def save_settings(*, session: Session, actor: User | None, form_values: dict, client_ip: str = "") -> DeadlineConfig:
    """An administrator's new deadline settings, from the form as typed; audited as "pengaturan"."""
    policy.require_admin(actor)
    config = config_from_form(form_values)
    save_config(session=session, config=config)
    audit.record(session=session, action="pengaturan", actor_id=actor.id, detail=str(config), client_ip=client_ip)
    session.commit()
    return config


def is_working_day(day: dt.date) -> bool:
    return lokal.is_working_day(day.isoformat())


def add_days(start: dt.date, days: int, *, working: bool) -> dt.date:
    """The date `days` days after `start`, counting only working days when asked."""
    if not working:
        return start + dt.timedelta(days=days)
    day, left = start, days
    step = 1 if days >= 0 else -1
    while left != 0:
        day += dt.timedelta(days=step)
        if is_working_day(day):
            left -= step
    return day


# The two kinds of deadline (catalogue ids: translate them where they are shown).
ACKNOWLEDGEMENT = N_("Tanggapan awal")
RESULT = N_("Hasil")


@dataclasses.dataclass(frozen=True)
class Deadline:
    kind: str  # ACKNOWLEDGEMENT or RESULT
    due: dt.date

    def overdue(self, today: dt.date) -> bool:
        return self.due < today


def next_deadline(
    *,
    status: str,
    created_at: dt.datetime,
    acknowledged_at: dt.datetime | None,
    config: DeadlineConfig,
    channel: str = "",
) -> Deadline | None:
    """The deadline a report must meet next, by its channel's rule; None once it is closed."""
    if status in CLOSED_STATUSES:
        return None
    rule = config.rule_for(channel)
    start = localtime.local_date(created_at)
    if acknowledged_at is None:
        return Deadline(ACKNOWLEDGEMENT, add_days(start, rule.acknowledge_days, working=rule.working_days))
    return Deadline(RESULT, add_days(start, rule.result_days, working=rule.working_days))


def report_deadline(report, config: DeadlineConfig) -> Deadline | None:
    """next_deadline of a Report row."""
    return next_deadline(
        status=report.status,
        created_at=report.created_at,
        acknowledged_at=report.acknowledged_at,
        config=config,
        channel=report.channel,
    )


def first_start_due_from(day: dt.date, days: int, *, working: bool) -> dt.date:
    """The first submission date whose deadline `days` later falls on or after `day`: reports sent before it are
    due before `day`. (A deadline moves forward, never back, with the submission date, in working days too.)"""
    start = add_days(day, -days, working=working)
    while add_days(start - dt.timedelta(days=1), days, working=working) >= day:
        start -= dt.timedelta(days=1)
    while add_days(start, days, working=working) < day:
        start += dt.timedelta(days=1)
    return start


def last_start_due_by(day: dt.date, days: int, *, working: bool) -> dt.date:
    """The last submission date whose deadline `days` later falls on or before `day`."""
    return first_start_due_from(day + dt.timedelta(days=1), days, working=working) - dt.timedelta(days=1)


def overdue_cutoffs(rule: Rule, today: dt.date) -> tuple[dt.date, dt.date]:
    """Reports under this rule sent before these dates are overdue for acknowledgement / for a result."""
    return (
        first_start_due_from(today, rule.acknowledge_days, working=rule.working_days),
        first_start_due_from(today, rule.result_days, working=rule.working_days),
    )


def due_window_starts(rule: Rule, today: dt.date, window_end: dt.date) -> dict[str, tuple[dt.date, dt.date]]:
    """For each deadline kind, the first and last submission dates whose deadline falls in today..window_end."""
    return {
        kind: (
            first_start_due_from(today, days, working=rule.working_days),
            last_start_due_by(window_end, days, working=rule.working_days),
        )
        for kind, days in ((ACKNOWLEDGEMENT, rule.acknowledge_days), (RESULT, rule.result_days))
    }
