"""What members read: texts, the app menu, and (later) the materials library."""
