"""宣传成果: articles and videos published outside, recorded by staff, counted by level."""
