"""Study: the materials library, tracked reading, and scheduled pushes."""
