"""Plans as versions, and the next plan's draft: the shipped versions (十四五 first, pointing at the files the
tool has always read), drafts as folders of editable files (``draft_store``) with their edits as events (who,
when, why, undo: ``draft_zones``, ``draft_projects``, ``drafts``) and their checks (``draft_checks``),
carry-over from the register, and two plans compared (change tables, XLSX/PPTX/HTML with a swipe map).

A draft holds only what planners entered; everything made from it is marked 草案. May import every room but
:mod:`layout.evaluation`; only the CLI and the app import it.
"""
