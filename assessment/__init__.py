"""考核: each organisation's quarterly scorecard — measured values, targets, weights, ranking."""
