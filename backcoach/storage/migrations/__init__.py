"""Alembic's script folder: env.py and the versioned scripts (run by `storage/upgrade.py`)."""
