"""Unit tests of the pure validator (papers_sandbox.limits) and path globs."""

from __future__ import annotations

import pytest

from papers_sandbox.limits import (
    Violation,
    check_choices,
    check_command,
    check_components,
    check_embeds,
    check_message,
    check_modal,
    embed_total_length,
    invalid_form_body,
    is_empty_message,
)
from papers_sandbox.routing import RoutePattern, path_matches


def paths(violations: list[Violation]) -> list[str]:
    return [".".join(str(p) for p in v.path) for v in violations]


def button(custom_id: str = "b", label: str = "ok") -> dict[str, object]:
    return {"type": 2, "style": 1, "custom_id": custom_id, "label": label}


def row(*children: dict[str, object]) -> dict[str, object]:
    return {"type": 1, "components": list(children)}


def test_valid_message_has_no_violations() -> None:
    embed = {"title": "t" * 256, "description": "d" * 4096, "fields": [{"name": "n", "value": "v"}]}
    payload = {"content": "c" * 2000, "embeds": [embed], "components": [row(button())]}
    assert check_message(payload) == []


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ({"content": "c" * 2001}, ["content"]),
        ({"embeds": [{"title": "t" * 257}]}, ["embeds.0.title"]),
        ({"embeds": [{"description": "d" * 4097}]}, ["embeds.0.description"]),
        ({"embeds": [{"footer": {"text": "f" * 2049}}]}, ["embeds.0.footer.text"]),
        ({"embeds": [{"author": {"name": "a" * 257}}]}, ["embeds.0.author.name"]),
        ({"embeds": [{"fields": [{"name": "n" * 257, "value": "v"}]}]}, ["embeds.0.fields.0.name"]),
        (
            {"embeds": [{"fields": [{"name": "n", "value": "v" * 1025}]}]},
            ["embeds.0.fields.0.value"],
        ),
        ({"embeds": [{"fields": [{"name": "", "value": "v"}]}]}, ["embeds.0.fields.0.name"]),
        ({"embeds": [{"title": "x"}] * 11}, ["embeds"]),
    ],
)  # fmt: skip
def test_message_limits(payload: dict[str, object], expected: list[str]) -> None:
    assert paths(check_message(payload)) == expected


def test_too_many_embed_fields() -> None:
    fields = [{"name": "n", "value": "v"}] * 26
    assert paths(check_embeds([{"fields": fields}])) == ["embeds.0.fields"]


def test_total_embed_size_is_shared_across_embeds() -> None:
    embeds = [{"description": "d" * 4000}, {"description": "d" * 2001}]
    assert embed_total_length(embeds[0]) == 4000
    violations = check_embeds(embeds)
    assert [v.code for v in violations] == ["MAX_EMBED_SIZE_EXCEEDED"]
    assert check_embeds([{"description": "d" * 4000}, {"description": "d" * 2000}]) == []


def test_component_limits() -> None:
    assert paths(check_components([row(button())] * 6)) == ["components"]
    assert paths(check_components([row(*[button(str(i)) for i in range(6)])])) == [
        "components.0.components"
    ]
    assert paths(check_components([row(button("x" * 101))])) == [
        "components.0.components.0.custom_id"
    ]
    assert paths(check_components([row(button(label="l" * 81))])) == [
        "components.0.components.0.label"
    ]
    options = [{"label": str(i), "value": str(i)} for i in range(26)]
    select = {"type": 3, "custom_id": "s", "options": options}
    assert paths(check_components([row(select)])) == ["components.0.components.0.options"]
    assert paths(check_components([row(select | {"options": options[:2]}, button())])) == [
        "components.0.components"
    ]
    assert paths(check_components([button()])) == ["components.0.type"]


def test_components_v2_skip_row_rules() -> None:
    container = {"type": 17, "components": [{"type": 10, "content": "hi"}]}
    assert check_message({"flags": 1 << 15, "components": [container] * 6}) == []


def test_choice_limits() -> None:
    ok = [{"name": "n", "value": "v"}] * 25
    assert check_choices(ok) == []
    assert paths(check_choices(ok + ok[:1])) == ["choices"]
    assert paths(check_choices([{"name": "n" * 101, "value": 1}])) == ["choices.0.name"]
    assert paths(check_choices([{"name": "n", "value": "v" * 101}])) == ["choices.0.value"]


def test_modal_and_command_limits() -> None:
    assert paths(check_modal({"title": "t" * 46, "custom_id": "m", "components": [row()]})) == [
        "title"
    ]
    assert paths(check_command({"name": "Bad Name", "description": "d"})) == ["name"]
    assert paths(check_command({"name": "ok", "description": ""})) == ["description"]
    options = [{"name": f"o{i}", "description": "d", "type": 3} for i in range(26)]
    assert paths(check_command({"name": "ok", "description": "d", "options": options})) == [
        "options"
    ]


def test_empty_message() -> None:
    assert is_empty_message({"content": ""})
    assert is_empty_message({"content": None, "embeds": []})
    assert not is_empty_message({"content": "", "embeds": [{"title": "x"}]})
    assert not is_empty_message({}, has_files=True)


def test_invalid_form_body_shape() -> None:
    body = invalid_form_body(check_message({"embeds": [{"title": "t" * 300}]}))
    assert body["code"] == 50035 and body["message"] == "Invalid Form Body"
    error = body["errors"]["embeds"]["0"]["title"]["_errors"][0]
    assert error == {"code": "BASE_TYPE_MAX_LENGTH", "message": "Must be 256 or fewer in length."}


def test_path_globs() -> None:
    assert path_matches("/channels/*/messages", "/channels/1/messages")
    assert not path_matches("/channels/*/messages", "/channels/1/messages/2")
    assert path_matches("/webhooks/**", "/webhooks/1/tok/messages/@original")
    pattern = RoutePattern.parse("POST /channels/*/messages")
    assert pattern.matches("POST", "/channels/1/messages")
    assert not pattern.matches("GET", "/channels/1/messages")
    assert RoutePattern.parse("/gateway").matches("GET", "/gateway")


LONG_URL = "https://cdn.example.org/" + "a" * 2030  # 2,054 characters
SCHEME, MALFORMED, LENGTH = (
    "URL_TYPE_INVALID_SCHEME",
    "URL_TYPE_INVALID_URL",
    "BASE_TYPE_MAX_LENGTH",
)


def embed_with(where: str, url: str) -> dict[str, object]:
    """An embed with `url` at `where` (`url`, `image.url`, `author.icon_url`, ...)."""
    outer, _, inner = where.rpartition(".")
    return {outer: {inner: url, "name": "a", "text": "t"}} if outer else {inner: url}


@pytest.mark.parametrize(
    ("where", "url", "code"),
    [
        ("url", "https://arxiv.org/abs/2406.01234", None),
        ("image.url", "attachment://cover.png", None),
        ("thumbnail.url", "http://[::1]:8080/t.png", None),
        ("url", "javascript:alert(1)", SCHEME),
        ("url", "attachment://cover.png", SCHEME),
        ("image.url", "ftp://example.org/x.png", SCHEME),
        ("image.url", "thumbs/x.png", SCHEME),
        ("thumbnail.url", "https://exa mple.org/x.png", MALFORMED),
        ("thumbnail.url", "https:///x.png", MALFORMED),
        ("thumbnail.url", "http://[oops/x.png", MALFORMED),
        ("thumbnail.url", "http://x.org:99999999/", MALFORMED),
        ("image.url", LONG_URL, LENGTH),
        ("author.url", "mailto:a@example.org", SCHEME),
        ("author.icon_url", "data:image/png;base64,AAAA", SCHEME),
        ("footer.icon_url", LONG_URL, LENGTH),
    ],
)
def test_embed_urls_discord_would_refuse(where: str, url: str, code: str | None) -> None:
    violations = check_embeds([embed_with(where, url)])
    assert [(p, v.code) for p, v in zip(paths(violations), violations, strict=True)] == (
        [(f"embeds.0.{where}", code)] if code else []
    )


def test_a_refused_embed_url_reads_as_discord_says_it() -> None:
    body = invalid_form_body(check_message({"embeds": [embed_with("image.url", "ttps://x.org")]}))
    (error,) = body["errors"]["embeds"]["0"]["image"]["url"]["_errors"]
    assert error == {
        "code": SCHEME,
        "message": 'Scheme "ttps" is not supported. '
        "Scheme must be one of ('http', 'https', 'attachment').",
    }


def test_link_button_urls() -> None:
    def link(url: str) -> dict[str, object]:
        return row({"type": 2, "style": 5, "label": "arXiv", "url": url})

    assert check_components([link("https://arxiv.org/abs/2406.01234")]) == []
    assert check_components([link("discord://-/channels/1/2")]) == []
    refused = {
        "javascript:alert(1)": SCHEME,
        "https://x.org/" + "a" * 500: LENGTH,  # a button's url may have 512 characters
        "https://x .org/": MALFORMED,
    }
    for url, code in refused.items():
        (violation,) = check_components([link(url)])
        assert paths([violation]) == ["components.0.components.0.url"] and violation.code == code


def test_attachment_limits() -> None:
    named = [{"id": i, "filename": f"{i}.bib"} for i in range(10)]
    assert check_message({"attachments": named}, [f"{i}.bib" for i in range(10)]) == []
    assert check_message({"attachments": [{"id": 0, "filename": None}]}, ["a.bib"]) == []
    assert paths(check_message({"attachments": [*named, {"id": 10}]})) == ["attachments"]
    assert paths(check_message({}, ["x"] * 11)) == ["attachments"]
    assert paths(check_message({"attachments": [{"id": 0, "filename": ""}]}, ["a"])) == [
        "attachments.0.filename"
    ]
    assert paths(check_message({}, ["a", ""])) == ["files.1.filename"]
    assert paths(check_message({"attachments": [{"id": 0, "filename": "n" * 1025}]})) == [
        "attachments.0.filename"
    ]


def test_context_menu_names() -> None:
    assert check_command({"name": "Find papers", "type": 3}) == []
    assert check_command({"name": "논문 찾기", "type": 3}) == []
    assert check_command({"name": "Save paper", "type": 2}) == []
    assert paths(check_command({"name": "Find papers", "description": "d"})) == ["name"]
    assert paths(check_command({"name": "paper", "description": "d",
                                "name_localizations": {"ko": "논문 찾기"}})) == [
        "name_localizations.ko"
    ]  # fmt: skip
