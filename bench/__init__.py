"""Benchmarks: run against real gunicorn, PostgreSQL and Redis, and report, never assert."""
