"""Digest parsing (pure) and loading (files and bodies into the store).

parse.py      markdown text -> sections and entries, with the problems it met (pure)
ingest.py     files -> store: find, read safely, parse, write, report
http_body.py  an HTTP body read in pieces, inflated, refused past the loader's cap
"""
