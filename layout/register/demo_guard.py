"""The demo guard: a demo register (:mod:`layout.register.demo`) is marked in its ``register_meta`` and holds
only reports written by :data:`~layout.register.vocabulary.DEMO_BY`; a real register never holds them.
"""

from __future__ import annotations

from layout.register.values import coded_error
from layout.register.vocabulary import DEMO_BY

__all__ = ["DEMO_META_KEY", "refuse_mixing"]

DEMO_META_KEY = "demo"


def refuse_mixing(store, by: str, *, name: str) -> None:
    """Refuse a real report into a demo register, and a demo report into a real one.

    Raises
    ------
    InputError
        ``reg_demo_register`` or ``reg_not_demo``, naming the register ``name``.
    """
    demo = store.read_meta(DEMO_META_KEY) is not None
    if demo and by != DEMO_BY:
        raise coded_error("reg_demo_register", name=name)
    if not demo and by == DEMO_BY:
        raise coded_error("reg_not_demo", name=name)
