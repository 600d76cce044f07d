"""Lecture point orders (点单): topics, ordering, dispatch, acceptance, rating, figures."""
