"""Review: read content/ once, report every problem (`check`, `fmt`), and hand the
build a validated catalog."""
