"""Ground-truth log of the HTTP messages a peer SENT, one JSON object per line.

Used by dm_server.py (responses, 1xx interim responses), dm_client.py and
http_client.py (requests) when they are given --log FILE; scripts/lib/exchanges.py
merges a client log and a server log into FILE.exchanges.json.

Each record is written by the peer that sent the message, from the bytes it handed
to send(), so it says what really went on the wire, independent of any parser:

  conn     {"client": "ADDR:PORT", "server": "ADDR:PORT"}  (IPv6: "[ADDR]:PORT")
  kind     "request" | "interim" (1xx) | "response"
  index    0-based number of the request on this connection that this message is
           (request) or answers (interim/response)
  offset   bytes this peer had sent on the connection before this message
           (= TCP relative sequence number - 1 of its first byte)
  t        time.time() just before the first send() of the message
  head     base64 of start line + header fields + CRLF CRLF
  wire     base64 of the message body exactly as sent (chunk framing, trailers,
           content coding included); for read-until-close: everything until close
  payload  base64 of the body before transfer coding (= wire unless chunked)
  content  base64 of the body before content coding (= payload unless gzip/deflate)
  framing  "length" | "chunked" | "close" | "none"
  parts    optional: multipart/form-data parts the sender built, each
           {"headers": [[name, value], ...], "data": base64}
Stdlib only.
"""
import base64
import json
import threading
import time


def b64(data):
    return base64.b64encode(data).decode("ascii")


def addr(sockaddr):
    host, port = sockaddr[0], sockaddr[1]
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


class WireLog:
    def __init__(self, path):
        self.path = path
        self.lock = threading.Lock()
        if path:
            open(path, "a").close()

    def write(self, *, client, server, kind, index, offset, t, head, wire,
              payload=None, content=None, framing="length", parts=None):
        if not self.path:
            return
        rec = {
            "conn": {"client": addr(client), "server": addr(server)},
            "kind": kind, "index": index, "offset": offset, "t": t,
            "head": b64(head), "wire": b64(wire),
            "payload": b64(wire if payload is None else payload),
            "content": b64((wire if payload is None else payload) if content is None else content),
            "framing": framing,
        }
        if parts is not None:
            rec["parts"] = [{"headers": h, "data": b64(d)} for h, d in parts]
        line = json.dumps(rec, separators=(",", ":")) + "\n"
        with self.lock:
            with open(self.path, "a") as fh:
                fh.write(line)


def now():
    return time.time()
