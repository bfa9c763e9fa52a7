"""dyad: news articles in, political event data out.

    >>> import dyad
    >>> result = dyad.code(text, published="2020-07-07")
    >>> for event in result.events: ...

``dyad.code`` codes one article; ``dyad.code_many`` streams many.
"""
from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__", "code", "code_many", "Pipeline", "Settings"]


def code(text, published=None, **kwargs):
    """Code one article: a :class:`dyad.records.Result` with events, quotes, actors, times."""
    from .pipeline import code as _code

    return _code(text, published, **kwargs)


def code_many(items, published=None, **kwargs):
    """Code many articles (strings, dicts or Articles), yielding Results (or Failures) in order."""
    from .pipeline import code_many as _code_many

    return _code_many(items, published, **kwargs)


def __getattr__(name):
    if name == "Pipeline":
        from .pipeline import Pipeline

        return Pipeline
    if name == "Settings":
        from .config import Settings

        return Settings
    raise AttributeError(name)
