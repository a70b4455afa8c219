"""The `papers-bot` command line."""
