"""The web dashboard: a Dash app on Dash's FastAPI backend, served by uvicorn.

The web layer computes nothing. Every figure on a page comes from
:mod:`marginscope.metrics`; pages only choose which figures to show and how.

- :mod:`.state` turns the URL's query string into :class:`~marginscope.metrics.filters.Filters` and back,
  so every view can be bookmarked and shared.
- :mod:`.app` builds the shell (navigation, filter bar, page area) and its callbacks.
- :mod:`.pages` holds one module per page; :mod:`.components` the parts pages share.
"""
