"""Topics: which topics a paper belongs to, by the rules in content/topics.yml."""
