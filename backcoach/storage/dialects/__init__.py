"""Everything that differs between SQLite and PostgreSQL lives here, and only here."""
