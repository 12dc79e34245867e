"""Carers known and unknown: how many people give unpaid care (the census), by area."""
