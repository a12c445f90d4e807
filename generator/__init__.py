"""A static site generator for a curated index of research papers."""

__version__ = "0.1.0"
