"""HTTP fakes of cloud APIs for plugin tests; they listen on 127.0.0.1 only."""
