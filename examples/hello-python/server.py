"""An ordinary Python server: binds PORT (default 8000) itself and knows nothing of cxpm.

`cxpm start server.py -i 2` clusters it: every worker's bind() gets the daemon's socket.
"""
import os
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Hello(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        body = f"hello from pid {os.getpid()} instance {os.environ.get('CXPM_INSTANCE')}\n".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass  # one line per request would drown the log


port = int(os.environ.get("PORT", "8000"))
server = ThreadingHTTPServer(("0.0.0.0", port), Hello)
print(f"listening on {port} (pid {os.getpid()})", flush=True)
server.serve_forever()
