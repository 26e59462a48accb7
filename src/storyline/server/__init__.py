"""The REST API and the web UI, served by one process (``storyline serve``)."""
