"""每日答题 (daily questions with points) and 专项答题 (a campaign's questions): the question bank
and its .xlsx import, each member's set of the day answered once, streaks, the leaderboard and
the figures per question and organisation. See docs/quiz.md."""
