"""Settings: ``base`` holds what every environment shares; ``dev``, ``test`` and ``production``
add their own. Everything that differs between machines comes from the environment."""
