"""An HTTP fake of the Google Cloud REST APIs the GCP plugin uses (127.0.0.1 only)."""

from fakes.gcp.server import FakeGcp

__all__ = ["FakeGcp"]
