"""Public pages for residents: published minutes with residents ' names removed."""
