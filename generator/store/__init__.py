"""Store: a paper file's canonical text, and writes of many files at once or none."""
