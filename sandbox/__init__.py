"""Local WeCom sandbox: API stand-in and member simulator."""
