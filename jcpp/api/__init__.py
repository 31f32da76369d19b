"""The read-only JSON API under /api/v1: personal access tokens, the owner's permissions."""

PREFIX = "/api/v1"
NO_SUCH_ADDRESS = "There is no such address in the API."
