"""Caring Together: run a council's Carers Strategy."""

__version__ = "0.1.0"
