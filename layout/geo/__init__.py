"""Geometry and coordinates: coordinate systems (WGS84, GCJ-02, BD-09, CGCS2000 and Gauss-Krüger metres),
the notations people type (decimal, DMS, pairs), the committed boundaries in ``geodata/``, point → county,
zone and poles (numpy kernels), nearest county at any distance (grids, with compiled point loops).

Modules: ``crs``, ``columns`` (which columns hold coordinates), ``notation`` (cells and columns of text),
``table_crs`` (a table's coordinate system, one typed point), ``boundaries``, ``classify``, ``nearest``,
``nearest_far``, ``nearest_kernels`` (the numba loops), ``nearest_grid``, ``segments``, ``array_file`` (the
memory-mapped cache file of the grids).

May import :mod:`layout.plan` and the base modules; nothing above.
"""
