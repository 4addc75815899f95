"""Form fields with a visible label tied to the input and the field's error right below it."""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var


def field_error(errors: Var, name: str, *, element_id: str = "") -> rx.Component:
    """`element_id`: the input's id when it is not the field's name (the message's id is derived from it)."""
    return rx.cond(
        errors.contains(name),
        rx.text(errors[name], color_scheme="red", size="2", id=f"{element_id or name}-error", role="alert"),
    )


def label(text: str, html_for: str, required: bool | Var = True) -> rx.Component:
    # The asterisk comes from CSS, so the label's accessible name is just the text.
    if isinstance(required, Var):
        return rx.el.label(text, html_for=html_for, class_name=rx.cond(required, "field-label required", "field-label"))
    return rx.el.label(text, html_for=html_for, class_name="field-label required" if required else "field-label")


def text_field(
    text: str,
    name: str,
    errors: Var,
    *,
    type: str = "text",
    required: bool | Var = True,
    hint: str = "",
    autocomplete: str = "off",
    max_length: int = 200,
    input_mode: str | None = None,
    default_value: Var | str | None = None,
    id_prefix: str = "",
    max: Var | str | None = None,
) -> rx.Component:
    """`id_prefix` keeps the input's id unique where two forms on one page have a field of the same name."""
    extra = {"input_mode": input_mode} if input_mode else {}
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
            aria_describedby=f"{element_id}-error",
            aria_invalid=errors.contains(name).to_string(),
            size="3",
            width="100%",
            **extra,
        ),
        rx.text(hint, size="1", color_scheme="gray") if hint else rx.fragment(),
        field_error(errors, name, element_id=element_id),
        class_name="field",
    )


def new_password_fields(errors: Var, label_text: str = "Password") -> list[rx.Component]:
    """A new password and its confirmation, named `password` and `password_confirmation`."""
    return [
        text_field(
            label_text,
            "password",
            errors,
            type="password",
            autocomplete="new-password",
            max_length=128,
            hint="Minimal 10 karakter, campuran huruf dan angka.",
        ),
        text_field(
            "Konfirmasi Password",
            "password_confirmation",
            errors,
            type="password",
            autocomplete="new-password",
            max_length=128,
        ),
    ]


def textarea_field(text: str, name: str, errors: Var, *, required: bool = True, max_length: int = 500) -> rx.Component:
    return rx.box(
        label(text, name, required),
        rx.text_area(
            id=name, name=name, max_length=max_length, aria_describedby=f"{name}-error", size="3", width="100%"
        ),
        field_error(errors, name),
        class_name="field",
    )


def select_field(
    text: str,
    name: str,
    errors: Var,
    options: Var,
    *,
    placeholder: str = "— Pilih —",
    required: bool = True,
    value: Var | str = "",
    on_change=None,
) -> rx.Component:
    """A native select (keyboard and screen-reader friendly); options are dicts with `value` and `label`.

    With `on_change` the select is controlled by `value`; without, `value` is only where it starts.
    """
    current = {"value": value, "on_change": on_change} if on_change is not None else {"default_value": value}
    return rx.box(
        label(text, name, required),
        rx.el.select(
            rx.el.option(placeholder, value=""),
            rx.foreach(options, lambda option: rx.el.option(option["label"], value=option["value"])),
            id=name,
            name=name,
            aria_describedby=f"{name}-error",
            class_name="native-select",
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
