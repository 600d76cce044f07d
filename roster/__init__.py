"""The roster: organisations, members and roles, kept in step with WeCom and spreadsheets."""
