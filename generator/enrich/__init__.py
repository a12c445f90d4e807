"""Enrich: look papers up on the Hugging Face Hub and arXiv, and fill what the listings lack (`enrich`,
`import --hf-daily`)."""
