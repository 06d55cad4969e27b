"""Storage: the only package that touches the database (SQLModel models, queries, Alembic migrations).

Use :class:`storage.db.Database` and the async functions of :mod:`storage.repo`; they return the plain
dataclasses of :mod:`storage.types`, never ORM objects.
"""
