"""Cross-city trends: topic counts per city and month, signals, the dashboard."""
