"""研判: what members wrote and asked — themes, trends, the watch list and the analysis report."""
