"""Activities: screenings of education films (教育片观看) and lectures the committee organises itself."""
