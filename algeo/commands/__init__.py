"""Subcommands of the ``algeo`` program; each module has ``register(subparsers)``."""
