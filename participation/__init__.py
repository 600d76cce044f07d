"""Participation: campaigns now; check-ins, the ledger, points and figures as they come."""
