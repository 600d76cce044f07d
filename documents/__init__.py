"""Word and spreadsheet building blocks shared by the features' paper ledgers (台账)."""
