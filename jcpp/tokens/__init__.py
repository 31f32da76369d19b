"""Personal access tokens: for the read-only API and for calendar feeds."""
