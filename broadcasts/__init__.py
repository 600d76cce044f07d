"""Admin broadcasts (群发): compose, deliver exactly once, recall, group chats."""
