"""The project register (项目台账): officers' knowledge as dated events (a valid date and a recorded time
on every event; the state at a date is the latest valid date, then the latest recorded), a report's checks
(``changes``, ``values``, ``sites``), retractions, the 调度表 round trip (``sheet_columns``,
``sheet_export``, ``sheet_read``, ``sheet_import``), demo registers kept apart from real ones (``demo``,
``demo_guard``), and the stores (SQLite file by default, PostgreSQL + PostGIS when a bureau shares one; all
SQL in the store modules and ``schema``).

May import :mod:`layout.catalog`, :mod:`layout.tables`, :mod:`layout.geo`, :mod:`layout.plan` and the base modules.
"""
