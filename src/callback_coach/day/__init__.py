"""The day of the callback: the card, breathing, the note drill."""
