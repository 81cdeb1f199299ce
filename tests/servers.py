"""A real HTTP server on a loopback port, for tests that need one (spreadsheet
readers, browsers): werkzeug's threaded server running our WSGI app."""

import socket
import threading
import time
import urllib.request

from werkzeug.serving import make_server


class Server:
    def __init__(self, wsgi_app):
        self.httpd = make_server("127.0.0.1", 0, wsgi_app, threaded=True)
        self.base = f"http://127.0.0.1:{self.httpd.server_port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()


def free_port() -> int:
    """A loopback port nothing listens on now, for a server in another process."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_serving(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
