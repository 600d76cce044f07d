"""qiangguo."""
