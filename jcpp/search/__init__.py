"""Search across minutes, agenda items, concerns and follow-ups."""
