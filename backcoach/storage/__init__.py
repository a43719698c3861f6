"""SQLite storage: tables, migrations, the repository that returns domain objects."""
