"""Ingest: Hugging Face listing dumps in, clean papers out (`import`, `new`)."""
