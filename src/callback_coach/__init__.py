"""callback-coach: prepare for a callback, review it after the room."""

__version__ = "0.1.0"
