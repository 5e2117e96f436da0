"""Persistence: declarative base, engines for SQLite and PostgreSQL, migrations, unit of work."""
