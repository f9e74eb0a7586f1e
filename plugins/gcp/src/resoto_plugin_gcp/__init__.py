"""resoto-plugin-gcp: Google Cloud collection, cleanup and labels for resotoworker."""
