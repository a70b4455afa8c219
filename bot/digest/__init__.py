"""Digest parsing (pure) and loading (files and URLs into the store)."""
