"""The `papers-bot` command line.

main.py     parse arguments, load config, set up logging, run one subcommand
load.py     `load PATH...`: files, folders and globs into the store, with progress
queries.py  the read-only subcommands: search, show, digest, top, author, days, stats
output.py   tables on a terminal, exact JSON with --json
run.py      `run` and `sync`: the real bot, DISCORD_TOKEN from the environment
sandbox.py  `sandbox`: the bot against the loopback server, no account or token
"""
