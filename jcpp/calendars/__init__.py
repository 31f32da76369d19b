"""Meetings in calendar apps: .ics files, subscribable feeds, the Subscribe page."""
