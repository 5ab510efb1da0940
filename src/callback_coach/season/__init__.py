"""The season: stats, follow-ups, today, the calendar."""
