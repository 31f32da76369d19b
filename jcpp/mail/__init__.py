"""E-mail without loss: the outbox, SMTP, each user's notice preferences, unsubscribe links."""
