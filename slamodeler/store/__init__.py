"""The workspace: SQLModel/SQLite persistence (the only place with SQL)."""
