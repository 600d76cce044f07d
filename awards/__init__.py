"""评选: the year's honours decided from the report's candidates, published by broadcast."""
