"""Conversations: storage, events, ordered delivery, and the service that ties them."""
