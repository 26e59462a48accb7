"""The command-line interface: a thin shell over :mod:`storyline.api`."""
