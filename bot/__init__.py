"""papers-bot: Hugging Face Daily Papers digests (in Korean) for Discord servers.

app.py         PapersBot: config and one Database (stores over it), loads features, syncs commands
models.py      plain data and StrEnum vocabularies shared by config, store, rendering, cogs
timezones.py   the IANA-name rule of daily.timezone and /daily subscribe
answer.py      every interaction answered within Discord's 3 seconds (deferral after 1.5 s)
errors.py      one path for errors people see: UserFacingError text, or a code for the rest
inputs.py      command options typed by members: cleaned, checked, quoted back shortened
arxiv.py       arXiv ids from ids and links (the parser's and the store's)
endpoints.py   where discord.py sends REST calls and opens its gateway (`papers-bot run`)
i18n_text.py   rendered text in English and Korean
translator.py  Korean names and descriptions of the slash commands
__main__.py    `python -m bot` and the console script
config/        YAML -> frozen dataclasses, checked by pydantic, one-line errors
render/        pure: papers -> embeds and messages within Discord's limits
cli/           the `papers-bot` command line
digest/        parsing (pure) and loading digests into the store
huggingface/   Hugging Face's Daily Papers API: client, limits, days built as digests
store/         the SQLite store: all SQL
features/      member-facing features, one package each, loaded as extensions
summaries/     Korean summaries of built days from an OpenAI-compatible chat endpoint
"""

__version__ = "0.1.0"
