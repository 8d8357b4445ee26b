"""Everything drawn: the one palette, the explorer's view state and web map (folium, offline assets),
print maps, slide decks, label placement, HTML escaping of user text, and exports (PNG/PDF/HTML/PPTX).

Explorer: ``views`` (view state, URL, filtering; re-exports the next three), ``search`` (pinyin search),
``labels`` (how a catalog row reads), ``summaries`` (zone × sector counts, the plan's words). Web map:
``webmap`` (build), ``webmap_data``, ``webmap_elements``, ``assets``. Print map: ``printmap`` (draw),
``printmap_plan``, ``printmap_panel``, ``printmap_furniture``, ``scopes``, ``shapes``, ``fonts``. Decks:
``deck`` (county briefings), ``slides`` (shared primitives), ``tour``.

May import :mod:`layout.register` (statuses of projects), :mod:`layout.catalog`, :mod:`layout.geo`,
:mod:`layout.plan` and the base modules.
"""
