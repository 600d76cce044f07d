"""政治生活馆 / 阵地: the hall's slots, organisations' bookings, decisions and visits."""
