"""What an anonymous browser may ask of the server: not to clear everyone's caches.

Streamlit answers a ``clear_cache`` message from any client by clearing the process-wide
``st.cache_data`` and ``st.cache_resource`` (boundaries, catalog, maps, the register connection): one
message a second slowed every other user's rerun five-fold. :func:`install` makes the message clear only
the sender's own session state, and logs it. Imported by ``app.py`` and every page; installing twice is
harmless. Administrators clear caches by restarting the server.
"""

from __future__ import annotations

import logging

from streamlit.runtime.app_session import AppSession

LOG = logging.getLogger("layout.server")


def _clear_own_session_only(self: AppSession) -> None:
    LOG.warning("clear_cache from a client (session %s): only that session's state was cleared", self.id)
    self._session_state.clear()


def install() -> None:
    """Make a client's ``clear_cache`` harmless to other users (idempotent)."""
    AppSession._handle_clear_cache_request = _clear_own_session_only  # type: ignore[method-assign]


install()
