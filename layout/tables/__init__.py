"""Officers' files: reading spreadsheets safely (CSV in any encoding, XLSX with title rows and merged
headers, bounded on every axis), writing results back in the officer's own layout, atomic writes and
locks, and the batch check (which zone is each row in).

Modules: ``table`` (the Table and the limits), ``header`` (header detection), ``read`` (entry points, CSV),
``csv_lines`` (a plain CSV cut at its line ends), ``csv_stream`` (a large CSV classified chunk by chunk),
``workbook`` (bounded XLSX reading), ``workbook_stream`` (the officer's workbook back, streamed), ``write``
(results back), ``files`` (atomic writes, locks, permissions),
``batch`` (the batch check), ``parquet`` and ``distributed`` (big point sets, Dask).

May import :mod:`layout.geo`, :mod:`layout.plan` and the base modules.
"""
