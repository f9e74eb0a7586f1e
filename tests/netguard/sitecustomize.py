"""Installs the test suite's network guard in Python subprocesses started by the tests."""

import os

if os.environ.get("RESOTO_TEST_NETGUARD"):
    from _resoto_netguard import install

    install(os.environ["RESOTO_TEST_NETGUARD"])
