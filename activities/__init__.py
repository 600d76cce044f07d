"""Activities: screenings of education films (教育片观看) and lectures the committee organises
itself (党委宣讲), with their check-in codes (docs/activities.md)."""
