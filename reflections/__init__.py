"""Reflections (心得体会): drafts written in chat, submission, review, features, export."""
