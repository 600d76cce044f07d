"""学习用书发放: study books, their distribution to organisations, receipts and reminders."""
