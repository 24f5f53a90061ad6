"""Knowledge base: ingest, chunk, index and retrieve passages per tenant."""
