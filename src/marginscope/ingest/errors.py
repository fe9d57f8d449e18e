"""Errors raised while loading data."""


class IngestError(Exception):
    """A file or request that cannot be loaded at all; the message says where and why."""
