"""The read-only JSON API under /api/v1: personal access tokens, the owner's permissions."""
