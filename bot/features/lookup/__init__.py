"""Lookups: slash commands that find papers, and the paged lists they answer with.

cog.py     the slash commands (/paper, /search, /author, /digest, /top) and autocomplete
views.py   result lists: a small record per message, owner-only page buttons, open-a-paper
"""
