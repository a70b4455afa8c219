"""Discord's limits on embeds, messages and URLs (what it refuses a message for)."""

from __future__ import annotations

from typing import Final

TITLE_LIMIT: Final = 256
DESCRIPTION_LIMIT: Final = 4096
FIELD_COUNT_LIMIT: Final = 25
FIELD_NAME_LIMIT: Final = 256
FIELD_VALUE_LIMIT: Final = 1024
FOOTER_LIMIT: Final = 2048
AUTHOR_NAME_LIMIT: Final = 256
EMBED_TOTAL_LIMIT: Final = 6000
EMBEDS_PER_MESSAGE: Final = 10
CONTENT_LIMIT: Final = 2000
EMBED_URL_LIMIT: Final = 2048  # embed url, image and thumbnail urls
BUTTON_URL_LIMIT: Final = 512  # a link button's url
SELECT_OPTIONS: Final = 25  # options in one select menu
