"""The catalog of the plan's named projects (``projects_catalog.csv``): reading, validating against the
plan's text, the gazetteer that places projects, and the build of the committed ``geodata/`` (the package
``build/``: the only code that imports cnmaps and the other source packages).

May import :mod:`layout.tables`, :mod:`layout.geo`, :mod:`layout.plan` and the base modules.
"""
