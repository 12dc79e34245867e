"""Sizes shared by the models, the forms and the tracker reader (pure: no Django)."""

REF_LENGTH = 60  # a resolution's reference, as a tracker or the minutes give it
