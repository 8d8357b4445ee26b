"""The plan itself: its text (``plan.txt``), the 一核两翼三极 zone model (``zones.toml``), the indicators
(``indicators.toml``) and the vocabularies every other room uses (project statuses, sectors).

Lowest room of the house: imports only :mod:`layout.errors`, :mod:`layout.settings` and :mod:`layout.i18n`.
"""
