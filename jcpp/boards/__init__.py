"""Views of follow-ups: a committee's list, the liaison's board per city, the county's
department accountability, and their CSV exports."""
