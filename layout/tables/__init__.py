"""Officers' files: reading spreadsheets safely (CSV in any encoding, XLSX with title rows and merged
headers, bounded on every axis), writing results back in the officer's own layout, atomic writes and
locks, and the batch check (which zone is each row in).

May import :mod:`layout.geo`, :mod:`layout.plan` and the base modules.
"""
