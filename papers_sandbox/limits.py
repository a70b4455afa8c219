"""Discord's payload limits, as a pure validator.

Every ``check_*`` function returns a list of :class:`Violation`; an empty list means the
payload would be accepted. :func:`invalid_form_body` turns violations into the 400 body
Discord sends (``{"code": 50035, "message": "Invalid Form Body", "errors": {...}}``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

MAX_CONTENT = 2000
MAX_EMBEDS = 10
MAX_EMBED_TITLE = 256
MAX_EMBED_DESCRIPTION = 4096
MAX_EMBED_FIELDS = 25
MAX_FIELD_NAME = 256
MAX_FIELD_VALUE = 1024
MAX_FOOTER_TEXT = 2048
MAX_AUTHOR_NAME = 256
MAX_EMBED_TOTAL = 6000
MAX_ACTION_ROWS = 5
MAX_ROW_BUTTONS = 5
MAX_CUSTOM_ID = 100
MAX_BUTTON_LABEL = 80
MAX_SELECT_OPTIONS = 25
MAX_SELECT_OPTION_TEXT = 100
MAX_PLACEHOLDER = 150
MAX_CHOICES = 25
MAX_CHOICE_TEXT = 100
MAX_MODAL_TITLE = 45
MAX_COMMAND_OPTIONS = 25
MAX_THREAD_NAME = 100
MAX_EMBED_URL = 2048
MAX_BUTTON_URL = 512
WEB_SCHEMES = ("http", "https")
IMAGE_SCHEMES = ("http", "https", "attachment")  # an image may name an uploaded file
BUTTON_SCHEMES = ("http", "https", "discord")
COMPONENTS_V2_FLAG = 1 << 15
SELECT_TYPES = frozenset({3, 5, 6, 7, 8})
MAX_ATTACHMENTS = 10
MAX_FILENAME = 1024
MAX_COMMAND_DESCRIPTION = 100
CHAT_INPUT, USER_COMMAND, MESSAGE_COMMAND = 1, 2, 3
# Chat input names: lowercase where a letter has a lowercase form. User and message
# (context menu) commands may be mixed case and contain spaces.
COMMAND_NAME_RE = re.compile(r"^[-_'\w]{1,32}$")
CONTEXT_MENU_NAME_RE = re.compile(r"^[-_' \w]{1,32}$")

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Violation:
    """One rejected field: where it is, Discord's error code and message."""

    path: Path
    code: str
    message: str


def _max_len(path: Path, value: object, limit: int) -> list[Violation]:
    if isinstance(value, str) and len(value) > limit:
        return [Violation(path, "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")]
    return []


def _bad_len(path: Path, value: object, low: int, high: int) -> list[Violation]:
    size = len(value) if isinstance(value, str | list) else 0
    if value is None or low <= size <= high:
        return []
    return [Violation(path, "BASE_TYPE_BAD_LENGTH", f"Must be between {low} and {high} in length.")]


def _list_max(path: Path, value: object, limit: int) -> list[Violation]:
    if isinstance(value, list) and len(value) > limit:
        return [Violation(path, "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")]
    return []


_BLANK = re.compile(r"[\s\x00-\x1f\x7f]")


def _url(path: Path, value: object, schemes: tuple[str, ...], limit: int) -> list[Violation]:
    """Discord's checks of a URL field: length, well formed, an allowed scheme, a host."""
    if value is None:
        return []
    if isinstance(value, str) and len(value) > limit:
        return [Violation(path, "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")]
    malformed = [Violation(path, "URL_TYPE_INVALID_URL", "Not a well formed URL.")]
    if not isinstance(value, str) or _BLANK.search(value):
        return malformed
    try:
        parts = urlsplit(value)
        host, _ = parts.hostname, parts.port
    except ValueError:
        return malformed
    if parts.scheme not in schemes:
        message = f'Scheme "{parts.scheme}" is not supported. Scheme must be one of {schemes}.'
        return [Violation(path, "URL_TYPE_INVALID_SCHEME", message)]
    if not (host if parts.scheme in WEB_SCHEMES else parts.netloc or parts.path):
        return malformed
    return []


def _text(obj: Mapping[str, Any], key: str) -> str:
    value = obj.get(key)
    return value if isinstance(value, str) else ""


def embed_total_length(embed: Mapping[str, Any]) -> int:
    """Characters that count towards the 6000 limit shared by all embeds of a message."""
    total = len(_text(embed, "title")) + len(_text(embed, "description"))
    for field in embed.get("fields") or []:
        total += len(_text(field, "name")) + len(_text(field, "value"))
    total += len(_text(embed.get("footer") or {}, "text"))
    total += len(_text(embed.get("author") or {}, "name"))
    return total


def check_embed(embed: Mapping[str, Any], path: Path) -> list[Violation]:
    out = _max_len((*path, "title"), embed.get("title"), MAX_EMBED_TITLE)
    out += _max_len((*path, "description"), embed.get("description"), MAX_EMBED_DESCRIPTION)
    fields = embed.get("fields") or []
    out += _list_max((*path, "fields"), fields, MAX_EMBED_FIELDS)
    for i, field in enumerate(fields):
        out += _bad_len((*path, "fields", i, "name"), field.get("name", ""), 1, MAX_FIELD_NAME)
        out += _bad_len((*path, "fields", i, "value"), field.get("value", ""), 1, MAX_FIELD_VALUE)
    footer = embed.get("footer") or {}
    out += _max_len((*path, "footer", "text"), footer.get("text"), MAX_FOOTER_TEXT)
    author = embed.get("author") or {}
    out += _max_len((*path, "author", "name"), author.get("name"), MAX_AUTHOR_NAME)
    urls = [
        (("url",), embed.get("url"), WEB_SCHEMES),
        (("author", "url"), author.get("url"), WEB_SCHEMES),
        (("author", "icon_url"), author.get("icon_url"), IMAGE_SCHEMES),
        (("footer", "icon_url"), footer.get("icon_url"), IMAGE_SCHEMES),
        (("image", "url"), (embed.get("image") or {}).get("url"), IMAGE_SCHEMES),
        (("thumbnail", "url"), (embed.get("thumbnail") or {}).get("url"), IMAGE_SCHEMES),
    ]
    for where, value, schemes in urls:
        out += _url((*path, *where), value, schemes, MAX_EMBED_URL)
    return out


def check_embeds(embeds: Sequence[Mapping[str, Any]]) -> list[Violation]:
    out = _list_max(("embeds",), list(embeds), MAX_EMBEDS)
    for i, embed in enumerate(embeds):
        out += check_embed(embed, ("embeds", i))
    if sum(embed_total_length(e) for e in embeds) > MAX_EMBED_TOTAL:
        msg = f"Embed size exceeds maximum size of {MAX_EMBED_TOTAL}"
        out.append(Violation(("embeds",), "MAX_EMBED_SIZE_EXCEEDED", msg))
    return out


def _check_button(button: Mapping[str, Any], path: Path) -> list[Violation]:
    out = _max_len((*path, "label"), button.get("label"), MAX_BUTTON_LABEL)
    style = button.get("style")
    if style == 5 and not button.get("url"):
        out.append(Violation((*path, "url"), "BASE_TYPE_REQUIRED", "This field is required"))
    elif style == 5:
        out += _url((*path, "url"), button.get("url"), BUTTON_SCHEMES, MAX_BUTTON_URL)
    if style not in (5, 6) and not button.get("custom_id"):
        out.append(Violation((*path, "custom_id"), "BASE_TYPE_REQUIRED", "This field is required"))
    return out


def _check_select(select: Mapping[str, Any], path: Path) -> list[Violation]:
    out = _max_len((*path, "placeholder"), select.get("placeholder"), MAX_PLACEHOLDER)
    if select.get("type") != 3:
        return out
    options = select.get("options") or []
    out += _bad_len((*path, "options"), options, 1, MAX_SELECT_OPTIONS)
    for i, option in enumerate(options):
        for key in ("label", "value", "description"):
            value = option.get(key)
            out += _max_len((*path, "options", i, key), value, MAX_SELECT_OPTION_TEXT)
    return out


def check_component(component: Mapping[str, Any], path: Path) -> list[Violation]:
    """One leaf component (button, select, text input, ...)."""
    out = _max_len((*path, "custom_id"), component.get("custom_id"), MAX_CUSTOM_ID)
    kind = component.get("type")
    if kind == 2:
        out += _check_button(component, path)
    elif kind in SELECT_TYPES:
        out += _check_select(component, path)
    return out


def _check_row(row: Mapping[str, Any], path: Path) -> list[Violation]:
    children = list(row.get("components") or [])
    out = _bad_len((*path, "components"), children, 1, MAX_ROW_BUTTONS)
    selects = [c for c in children if c.get("type") in SELECT_TYPES]
    if selects and len(children) > 1:
        msg = "A select menu must be the only component in its action row."
        out.append(Violation((*path, "components"), "COMPONENT_LAYOUT_WIDTH_EXCEEDED", msg))
    for i, child in enumerate(children):
        out += check_component(child, (*path, "components", i))
    return out


def check_components(
    components: Sequence[Mapping[str, Any]], *, v2: bool = False
) -> list[Violation]:
    """Top-level components of a message (action rows, or v2 layout components)."""
    out: list[Violation] = []
    if not v2:
        out += _list_max(("components",), list(components), MAX_ACTION_ROWS)
    for i, top in enumerate(components):
        if top.get("type") == 1:
            out += _check_row(top, ("components", i))
        elif not v2:
            msg = "Top-level components must be action rows."
            out.append(Violation(("components", i, "type"), "UNION_TYPE_CHOICES", msg))
    return out


def check_message(payload: Mapping[str, Any], uploads: Sequence[str] = ()) -> list[Violation]:
    """A message create/edit body (channel message, interaction response, webhook) and the
    names of the files uploaded with it."""
    out = _max_len(("content",), payload.get("content"), MAX_CONTENT)
    if uploads or payload.get("attachments"):
        out += check_attachments(payload, uploads)
    embeds = payload.get("embeds")
    if isinstance(embeds, list):
        out += check_embeds(embeds)
    components = payload.get("components")
    if isinstance(components, list):
        v2 = bool(int(payload.get("flags") or 0) & COMPONENTS_V2_FLAG)
        out += check_components(components, v2=v2)
    return out


def is_empty_message(payload: Mapping[str, Any], *, has_files: bool = False) -> bool:
    """True when Discord would answer 50006 "Cannot send an empty message"."""
    keys = ("content", "embeds", "components", "sticker_ids", "poll", "attachments")
    return not has_files and not any(payload.get(key) for key in keys)


def check_choices(choices: Sequence[Mapping[str, Any]]) -> list[Violation]:
    """Autocomplete results (interaction callback type 8)."""
    out = _list_max(("choices",), list(choices), MAX_CHOICES)
    for i, choice in enumerate(choices):
        out += _bad_len(("choices", i, "name"), choice.get("name", ""), 1, MAX_CHOICE_TEXT)
        value = choice.get("value")
        if isinstance(value, str):
            out += _max_len(("choices", i, "value"), value, MAX_CHOICE_TEXT)
    return out


def check_modal(data: Mapping[str, Any]) -> list[Violation]:
    """A modal (interaction callback type 9)."""
    out = _bad_len(("title",), data.get("title", ""), 1, MAX_MODAL_TITLE)
    out += _bad_len(("custom_id",), data.get("custom_id", ""), 1, MAX_CUSTOM_ID)
    components = list(data.get("components") or [])
    out += _bad_len(("components",), components, 1, MAX_ACTION_ROWS)
    return out


def _valid_command_name(name: object, kind: int) -> bool:
    if not isinstance(name, str):
        return False
    if kind in (USER_COMMAND, MESSAGE_COMMAND):
        return bool(CONTEXT_MENU_NAME_RE.match(name)) and bool(name.strip())
    return bool(COMMAND_NAME_RE.match(name)) and name == name.lower()


def check_command(command: Mapping[str, Any], path: Path = ()) -> list[Violation]:
    """One application command (or option) as sent in a bulk overwrite."""
    kind = command.get("type") or CHAT_INPUT
    out: list[Violation] = []
    names: list[tuple[Path, object]] = [(("name",), command.get("name", ""))]
    localized = command.get("name_localizations") or {}
    names += [(("name_localizations", k), v) for k, v in dict(localized).items()]
    for where, name in names:
        if not _valid_command_name(name, kind):
            msg = "Command name is invalid"
            out.append(Violation((*path, *where), "APPLICATION_COMMAND_INVALID_NAME", msg))
    if kind == CHAT_INPUT:  # context menus have no description (stored as "")
        description = command.get("description", "")
        out += _bad_len((*path, "description"), description, 1, MAX_COMMAND_DESCRIPTION)
    options = command.get("options") or []
    out += _list_max((*path, "options"), options, MAX_COMMAND_OPTIONS)
    for i, option in enumerate(options):
        out += check_command({**option, "type": 1}, (*path, "options", i))
        out += _list_max((*path, "options", i, "choices"), option.get("choices"), MAX_CHOICES)
    return out


def check_attachments(payload: Mapping[str, Any], upload_names: Sequence[str]) -> list[Violation]:
    """The ``attachments`` a message body declares and the files uploaded with it: at most
    10, each with a file name of 1 to 1024 characters."""
    declared = payload.get("attachments")
    items = [a for a in declared if isinstance(a, Mapping)] if isinstance(declared, list) else []
    out: list[Violation] = []
    if max(len(items), len(upload_names)) > MAX_ATTACHMENTS:
        msg = f"Must be {MAX_ATTACHMENTS} or fewer in length."
        out.append(Violation(("attachments",), "BASE_TYPE_MAX_LENGTH", msg))
    for i, item in enumerate(items):
        out += _bad_len(("attachments", i, "filename"), item.get("filename"), 1, MAX_FILENAME)
    for i, name in enumerate(upload_names):
        out += _bad_len(("files", i, "filename"), name, 1, MAX_FILENAME)
    return out


def check_thread_name(name: object) -> list[Violation]:
    return _bad_len(("name",), name if isinstance(name, str) else "", 1, MAX_THREAD_NAME)


def invalid_form_body(violations: Sequence[Violation]) -> dict[str, Any]:
    """Discord's 400 body for ``violations``: errors nested by path, ``_errors`` leaves."""
    errors: dict[str, Any] = {}
    for violation in violations:
        node = errors
        for part in violation.path:
            node = node.setdefault(str(part), {})
        entry = {"code": violation.code, "message": violation.message}
        node.setdefault("_errors", []).append(entry)
    return {"code": 50035, "message": "Invalid Form Body", "errors": errors}
