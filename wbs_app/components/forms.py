"""Form fields with a visible label tied to the input and the field's error right below it.

A field's label is its catalogue id (`N_("Nama Lengkap")`): shown in both languages (`tr`), and the control's
aria-label in the page's language (`tr_attr`), so its accessible name (and Playwright's get_by_label, which reads
a <label>'s hidden text too) is the visible text alone. A component is also accepted (shown as it is). Hints and
buttons are components (`tr("…")`); placeholders are attributes (`tr_attr("…")`)."""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var

from wbs_app.components.text import tr, tr_attr
from wbs_app.i18n import N_


def field_error(errors: Var, name: str, *, element_id: str = "") -> rx.Component:
    """`element_id`: the input's id when it is not the field's name (the message's id is derived from it)."""
    return rx.cond(
        errors.contains(name),
        rx.text(errors[name], color_scheme="red", size="2", id=f"{element_id or name}-error", role="alert"),
    )


def error_attrs(errors: Var, name: str | Var, element_id: str | Var | None = None) -> dict:
    """A field's aria-invalid, and its aria-describedby naming its error message only while that message is in the
    page (an id that names nothing is an error for screen readers). wbs.js moves focus to the first invalid field."""
    shown = errors.contains(name)
    return {
        "aria_invalid": shown.to_string(),
        "aria_describedby": rx.cond(shown, (element_id if element_id is not None else name) + "-error", None),
    }


def named(text: str | rx.Component) -> dict:
    """The aria-label of a control labelled `text` (a catalogue id): the label's text in the page's language."""
    return {"aria_label": tr_attr(text)} if isinstance(text, str) else {}


def label(text: str | rx.Component, html_for: str, required: bool | Var = True) -> rx.Component:
    # The asterisk comes from CSS, so the label's accessible name is just the text.
    text = tr(text) if isinstance(text, str) else text
    if isinstance(required, Var):
        return rx.el.label(text, html_for=html_for, class_name=rx.cond(required, "field-label required", "field-label"))
    return rx.el.label(text, html_for=html_for, class_name="field-label required" if required else "field-label")


def text_field(
    text: str | rx.Component,
    name: str,
    errors: Var | None,
    *,
    type: str = "text",
    required: bool | Var = True,
    hint: str | rx.Component = "",
    autocomplete: str = "off",
    max_length: int = 200,
    input_mode: str | None = None,
    default_value: Var | str | None = None,
    id_prefix: str = "",
    max: Var | str | None = None,
    placeholder: str | Var = "",
) -> rx.Component:
    """A labelled input with its error below it (`errors`: the form's field → message var; None for a form that
    reports in one alert). `id_prefix` keeps the id unique where two forms on one page share a field name."""
    extra = {"input_mode": input_mode} if input_mode else {}
    if isinstance(placeholder, Var) or placeholder:
        extra["placeholder"] = placeholder
    if default_value is not None:
        extra["default_value"] = default_value
    if max is not None:
        extra["max"] = max
    element_id = id_prefix + name
    return rx.box(
        label(text, element_id, required),
        rx.input(
            id=element_id,
            name=name,
            type=type,
            auto_complete=autocomplete,
            max_length=max_length,
            size="3",
            width="100%",
            **named(text),
            **extra,
            **(error_attrs(errors, name, element_id) if errors is not None else {}),
        ),
        rx.text(hint, size="1", color_scheme="gray") if hint else rx.fragment(),
        field_error(errors, name, element_id=element_id) if errors is not None else rx.fragment(),
        class_name="field",
    )


PASSWORD = N_("Password")


def new_password_fields(errors: Var, label_text: str | rx.Component = PASSWORD) -> list[rx.Component]:
    """A new password and its confirmation, named `password` and `password_confirmation`."""
    return [
        text_field(
            label_text,
            "password",
            errors,
            type="password",
            autocomplete="new-password",
            max_length=128,
            hint=tr("Minimal 10 karakter, campuran huruf dan angka."),
        ),
        text_field(
            N_("Konfirmasi Password"),
            "password_confirmation",
            errors,
            type="password",
            autocomplete="new-password",
            max_length=128,
        ),
    ]


def textarea_field(
    text: str | rx.Component, name: str, errors: Var, *, required: bool = True, max_length: int = 500
) -> rx.Component:
    return rx.box(
        label(text, name, required),
        rx.text_area(
            id=name,
            name=name,
            max_length=max_length,
            size="3",
            width="100%",
            **named(text),
            **error_attrs(errors, name),
        ),
        field_error(errors, name),
        class_name="field",
    )


def select_field(
    text: str | rx.Component,
    name: str,
    errors: Var,
    options: Var,
    *,
    placeholder: str | Var | None = None,
    required: bool = True,
    value: Var | str = "",
    on_change=None,
    typed_options: bool = False,
) -> rx.Component:
    """A native select (keyboard and screen-reader friendly); options are dicts with `value` and `label`.

    With `on_change` the select is controlled by `value`; without, `value` is only where it starts.
    `typed_options`: the labels are names people entered (units, ranks), shown as written in every language.
    """
    kept = {"custom_attrs": {"translate": "no"}} if typed_options else {}
    current = {"value": value, "on_change": on_change} if on_change is not None else {"default_value": value}
    return rx.box(
        label(text, name, required),
        rx.el.select(
            # An option holds text only: one language, picked by the browser's choice.
            rx.el.option(tr_attr("— Pilih —") if placeholder is None else placeholder, value=""),
            rx.foreach(options, lambda option: rx.el.option(option["label"], value=option["value"], **kept)),
            id=name,
            name=name,
            class_name="native-select",
            **named(text),
            **error_attrs(errors, name),
            **current,
        ),
        field_error(errors, name),
        class_name="field",
    )


def form_alert(message: Var, color: str = "red") -> rx.Component:
    return rx.cond(
        message != "",
        rx.callout(message, color_scheme=color, role="alert" if color == "red" else "status", margin_y="1em"),
    )


def one_field_form(
    field: rx.Component, button: str | rx.Component, *, on_submit, min_width: str = "200px"
) -> rx.Component:
    """One field and its button side by side (they wrap on a phone); our own messages are shown, not the
    browser's validation bubbles."""
    return rx.form(
        rx.flex(
            rx.box(field, flex="1", min_width=min_width),
            rx.button(button, type="submit", size="3"),
            spacing="2",
            align="end",
            wrap="wrap",
        ),
        on_submit=on_submit,
        no_validate=True,
        width="100%",
    )


def cleared(*element_ids: str) -> list:
    """Events that empty these inputs: returned by a handler once its form's work is done. A form is never reset on
    submit (`reset_on_submit`), which would also wipe what was typed when the server refuses it."""
    return [rx.set_value(element_id, "") for element_id in element_ids]
