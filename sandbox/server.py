"""Run the WeCom sandbox over HTTP: in a background thread (tests) or standalone (demo).

    python -m sandbox.server --port 8900 [--seed]
"""

from __future__ import annotations

import argparse
import threading
from types import TracebackType

from werkzeug.serving import BaseWSGIServer, make_server

from sandbox.api import create_sandbox_app
from sandbox.seed import seed_sandbox
from sandbox.state import SANDBOX_AGENT_ID, SANDBOX_CORP_ID, SANDBOX_SECRET, SandboxState


class SandboxServer:
    """A sandbox HTTP server on 127.0.0.1 running in a daemon thread."""

    def __init__(
        self, state: SandboxState | None = None, port: int = 0, host: str = "127.0.0.1"
    ) -> None:
        """Prepare a server for `state` (a fresh demo-corp state when None); port 0 = any."""
        self._state = state or SandboxState()
        self._host = host
        self._requested_port = port
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def state(self) -> SandboxState:
        """The in-memory world this server answers from."""
        return self._state

    @property
    def port(self) -> int:
        """The bound port (only meaningful once started)."""
        return self._server.server_port if self._server else self._requested_port

    @property
    def root_url(self) -> str:
        """e.g. 'http://127.0.0.1:PORT/'."""
        return f"http://{self._host}:{self.port}/"

    @property
    def base_url(self) -> str:
        """WeCom API base, e.g. 'http://127.0.0.1:PORT/cgi-bin/'."""
        return self.root_url + "cgi-bin/"

    @property
    def control_url(self) -> str:
        """Control API base, e.g. 'http://127.0.0.1:PORT/sandbox/'."""
        return self.root_url + "sandbox/"

    def start(self) -> SandboxServer:
        """Bind the port and serve in a background daemon thread."""
        if self._server is not None:
            return self
        app = create_sandbox_app(self._state)
        self._server = make_server(self._host, self._requested_port, app, threaded=True)
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="wecom-sandbox", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and release the port."""
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None
        self._thread = None

    def __enter__(self) -> SandboxServer:
        """Start on entering a with-block."""
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Stop on leaving a with-block."""
        self.stop()


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point: serve the sandbox until interrupted."""
    parser = argparse.ArgumentParser(description="Local WeCom API sandbox")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8900)
    parser.add_argument("--seed", action="store_true", help="add a small demo roster")
    args = parser.parse_args(argv)
    state = SandboxState()
    if args.seed:
        seed_sandbox(state)
    server = make_server(args.host, args.port, create_sandbox_app(state), threaded=True)
    print(f"WeCom sandbox at http://{args.host}:{server.server_port}/cgi-bin/", flush=True)
    print(f"corp id {SANDBOX_CORP_ID}  secret {SANDBOX_SECRET}  agent id {SANDBOX_AGENT_ID}",
          flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
