# A callback receiver for trying the demo tenant: prints every callback and answers each supplier's acknowledgement.
#   python3 docs/examples/receiver.py            (listens on 127.0.0.1:9090, where the demo tenant's callbacks go)
# TechHouse SyncOrderStatus wants {"status":0}, BPT ticketnoinfo/paymentinfo a body starting with "true",
# Yobaoxing Notify_*.aspx XML with retcode 0. Anything else is retried on the supplier's schedule.
import http.server, sys

PORT = int(sys.argv[1]) if len(sys.argv) > 1 else 9090


class Receiver(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode("latin-1")
        print(self.command, self.path, body, flush=True)
        if "/yobaoxing" in self.path:
            ack = b'<?xml version="1.0" encoding="utf-8"?><root><retcode>0</retcode><retmsg>ok</retmsg></root>'
        elif "/bpt" in self.path:
            ack = b"true"
        else:
            ack = b'{"status":0}'
        self.send_response(200)
        self.end_headers()
        self.wfile.write(ack)

    do_GET = do_POST

    def log_message(self, *args):
        pass


http.server.HTTPServer(("127.0.0.1", PORT), Receiver).serve_forever()
