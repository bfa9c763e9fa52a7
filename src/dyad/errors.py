"""Errors that carry a code, the input they concern and a one-line message.

The CLI prints ``str(error)`` on one line and exits non-zero; batch work records
``error.code`` and ``str(error)`` in the failures table and goes on.
"""
from __future__ import annotations


class DyadError(Exception):
    code = "E000"

    def __init__(self, message: str, path: str | None = None):
        self.path = path
        self.message = message
        super().__init__(f"{path}: {message}" if path else message)


class InputError(DyadError):
    """The input cannot be read as an article (missing, binary, empty, bad encoding...)."""

    code = "E100"


class ConfigError(DyadError):
    """A setting or an option value is invalid."""

    code = "E200"


class DataFileError(DyadError):
    """A dictionary or code-table file is malformed."""

    code = "E300"


class ModelError(DyadError):
    """The spaCy model named in the settings cannot be loaded."""

    code = "E400"
