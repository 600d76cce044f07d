"""Chat features, one module each. `bot/routing.py` adds them in one visible priority list."""
