"""Run the simulator standalone: python -m coresim --port 8900 [--psk X] [--tls] (with tests/ on sys.path)."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import tempfile
from pathlib import Path

from coresim.server import CoreSimulator


async def _serve(args: argparse.Namespace) -> None:
    sim = CoreSimulator(
        psk=args.psk,
        tls=args.tls,
        mitm=args.mitm,
        port=args.port,
        host=args.host,
        preload_model=args.preload_model,
        ready_after=args.ready_after,
    )
    await sim.start()
    print(f"resotocore simulator listening on {sim.url}", flush=True)
    if args.tls:
        ca_file = Path(args.ca_file or Path(tempfile.gettempdir()) / f"coresim-ca-{sim.port}.pem")
        sim.write_ca_cert(ca_file)
        print(f"CA certificate written to {ca_file}", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        await sim.stop()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m coresim", description="resotocore simulator")
    parser.add_argument("--port", type=int, default=8900)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--psk", default=None)
    parser.add_argument("--tls", action="store_true")
    parser.add_argument("--mitm", action="store_true", help="sign a wrong CA fingerprint (TLS mode)")
    parser.add_argument("--preload-model", action="store_true", help="preload the Resoto 3.9 reference model")
    parser.add_argument(
        "--ready-after", type=float, default=0.0, help="answer 503 on /system/ready this long"
    )
    parser.add_argument("--ca-file", default=None, help="where to write the CA certificate (TLS mode)")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
    )
    try:
        asyncio.run(_serve(args))
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
