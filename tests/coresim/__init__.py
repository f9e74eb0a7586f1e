"""resotocore simulator for the resotoworker test suite.

`CoreSimulator` is the asyncio server, `ThreadedCoreSimulator` a blocking facade running it in a thread.
"""

from coresim.auth import AuthError, decode_jwt, encode_jwt
from coresim.graphstore import GraphView, MergeResult
from coresim.model import Model, ModelError, reference_kinds
from coresim.query import QueryError, parse_query
from coresim.records import Frame, MergeRecord, RecordedRequest
from coresim.server import CoreSimulator
from coresim.threaded import ThreadedCoreSimulator

__all__ = [
    "AuthError",
    "CoreSimulator",
    "Frame",
    "GraphView",
    "MergeRecord",
    "MergeResult",
    "Model",
    "ModelError",
    "QueryError",
    "RecordedRequest",
    "ThreadedCoreSimulator",
    "decode_jwt",
    "encode_jwt",
    "parse_query",
    "reference_kinds",
]
