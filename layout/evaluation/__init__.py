"""The implementation evaluation (规划实施评估): figures from the catalog and the register's state at a
date, partitions that reconcile project by project, and the reports made from them (XLSX, PDF, PPTX, map).

Top of the library: may import every room below it; only the CLI and the app import it.
"""
