"""Deadlines and reminders: working days, statutory deadlines and the ladder, /remind parsing, the
application clock, and the database-backed ``tick`` that sends due reminders exactly once."""
