"""Site: the validated catalog as Markdown pages and downloads for MkDocs (`build`)."""
