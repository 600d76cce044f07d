"""Do the Alembic migrations build exactly the schema the models describe?"""

from flask import Flask


def test_models_match_migrations(app: Flask):
    """Does `flask db check` find nothing to generate after `db upgrade`?"""
    result = app.test_cli_runner().invoke(args=["db", "check"])
    assert result.exit_code == 0, result.output
