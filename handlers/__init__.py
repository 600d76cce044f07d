"""Chat features, one module each. `pioneer/routing.py` adds them in one visible priority list."""
