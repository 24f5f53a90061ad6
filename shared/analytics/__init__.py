"""What owners read about their tenant: conversation and message volumes, containment and
handoff reasons, agents' response times, busy hours, top questions, and the questions the bot
could not answer (grouped by meaning, answered into the knowledge base in one step)."""
