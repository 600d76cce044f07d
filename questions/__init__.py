"""The question box (问题箱): what the library cannot answer goes to the committee and comes
back answered; staff may publish a question and its answer to the 问答库."""
