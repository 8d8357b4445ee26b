"""The app's shared UI, beside ``app.py`` and ``pages/`` (Streamlit's layout): page chrome and links
(:mod:`ui.chrome`), the editor-key session (:mod:`ui.editor_session`), the 演示数据 mark (:mod:`ui.demo_mark`),
the server guard (:mod:`ui.server_guard`), a date field in the page's language (:mod:`ui.date_field`) and
maps drawn from arguments rendered once (:mod:`ui.map_component`). Widgets and display only: every rule lives
in ``layout``."""
