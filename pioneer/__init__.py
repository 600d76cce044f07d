"""pioneer."""
