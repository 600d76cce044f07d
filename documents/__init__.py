"""Word and spreadsheet building blocks shared by the features' record books (台账)."""
