"""Digest parsing (pure) and loading (files and URLs into the store).

parse.py      markdown text -> sections and entries, with the problems it met (pure)
ids.py        arXiv ids from ids and links
ingest.py     files -> store: find, read safely, parse, write, report
sources.py    what the bot polls: folders re-scanned, a URL per day
http_body.py  an HTTP body read in pieces, inflated, refused past the loader's cap
"""
