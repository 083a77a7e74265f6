#!/usr/bin/env python3
"""Scriptable OMA DM 2.0 test peers that speak both dialects and can misbehave on request
(scripts/record-dm-samples records the rule-checker captures with them).

Dialects: A (approved: OMADM-DevID header, MOS/Alert in P1, CMD arrays in P2, Status in P3,
multipart/form-data P3 with GET data) and CR (the seed draft: SessionInfo {DevID, SessionID,
PkgSeq, ReasonForSession}, Cmds/Results/Alerts/MOD).  PkgSeq (CR) follows the "count" model:
P1 = 1, every package +1 across both directions (the server answers request PkgSeq + 1).

  dm_peer.py server --listen ADDR:PORT [--listen ...] [--log FILE] [--ready-file FILE]
        [--repo-url URL]
      DM server.  The plan (the Package#2 of each round) is chosen by the URL path
      /dm/PLAN (plans below); session state is kept per client IP address (one session per
      device at a time; CONT to another port of this process keeps it).  Misbehaviour is
      chosen by the client through the query string:
        p2ct=TYPE      Content-Type of every Package#2 (default the right one)
        fail=R:CODE    answer round R (0 = the P1) with HTTP CODE (text/plain body)
        p2sid=ID       (CR) SessionID of the Package#2s after the first
  dm_peer.py repo --listen ADDR:PORT [--log FILE] [--ready-file FILE]
      data repository: GET -> 200 application/dmmo+json (an MO serialization),
      PUT/POST -> 200 text/plain receipt.
  dm_peer.py client URL [options]      one DM session (see --help for the switches)
  dm_peer.py notify ADDR PORT --format a|a-cr|dm12 [...]
      one UDP datagram: WSP connectionless push (TID 1, PDU 0x06, content type 0xD8 or 0xC4,
      X-Wap-Application-Id 0x87) around a Package#0; --log FILE appends a JSON line with
      the bytes and the decoded fields.

Plans (A command / CR command lists; ClientURIs in A form, converted for CR):
  basic      P2 [GET FwV, GET missing node, DELETE fumo/apps/Ext/Tmp]; P2 [EXEC
             fumo/apps/DownloadAndUpdate]; P2 END
  devinfo    P2 [GET DevInfo DevID]; P2 END
  getdata    P2 [GET FwV, GET missing, GET DevInfo root, GET DevID]; P2 [GET missing 2]; END
  cont       P2 [GET missing node, CONT http://<server addr>:<--cont-port>/dm/cont];
             (at the CONT URI) P2 [DELETE fumo/apps/Ext/Tmp]; P2 END
  repo       P2 [HGET <repo>/fw/pkgurl fumo/apps/DownloadAndUpdate/PkgURL, HPUT
             <repo>/up/<DevID> DevInfo root, HPOST <repo>/report fumo/apps/State]; P2 END
Each HTTP message is written with ONE send() (TCP_NODELAY), and logged with --log in the
format of scripts/lib/wire_log.py (exchanges.py merges the logs).  Stdlib only.
"""
import argparse
import base64
import hashlib
import http.server
import json
import os
import random
import re
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from wire_log import WireLog, now  # noqa: E402
import dm_client  # noqa: E402

CT_INITIATION = "application/vnd.oma.dm.initiation+json"
CT_RESPONSE = "application/vnd.oma.dm.response+json"
CT_REQUEST = "application/vnd.oma.dm.request+json"
CT_DMMO = "application/dmmo+json"
CT_MULTIPART = "multipart/form-data"
DEVID = "IMEI:356938035643809"

DEVINFO = "urn:oma:mo:oma-dm-devinfo:1.0"
FUMO = "urn:oma:mo:oma-fumo:1.0"
FWV = DEVINFO + "//FwV"
DEVID_URI = DEVINFO + "//DevID"
ROOT = DEVINFO + "//"
TMP = FUMO + "/apps/Ext/Tmp"
DNU = FUMO + "/apps/DownloadAndUpdate"
PKGURL = DNU + "/PkgURL"
STATE = FUMO + "/apps/State"
MOS_A = [{"MOID": DEVINFO, "MIID": ["d1"]}, {"MOID": FUMO, "MIID": ["apps"]}]
MOS_CR = [{"MOID": "oma:mo:oma-dm-devinfo:1.0", "DDF": "http://ddf.example/devinfo10.ddf",
           "Path": ["/"]},
          {"MOID": "oma:mo:oma-fumo:1.0", "DDF": "http://ddf.example/fumo10.ddf", "Path": ["/"]}]
AT = "urn:oma:at:dm:2.0:"


def missing(i):
    return f"{DEVINFO}//Ext/Missing/{i:04d}"


def cr_uri(u):
    """A ClientURI in the CR spelling: no urn: prefix, no empty instance segment."""
    if u.startswith("urn:"):
        u = u[4:]
    return u.replace(":1.0//", ":1.0/")


def jdump(o):
    return json.dumps(o, separators=(",", ":")).encode()


# ------------------------------------------------------------------ device model
def devinfo_mo(devid):
    return {"DevID": devid, "Man": "dmdissect", "Mod": "sample-client", "DmV": "2.0",
            "Lang": "en-US", "FwV": "1.0.3", "SwV": "1.0", "HwV": "A"}


def device_nodes(devid):
    """ClientURI (A form) -> (media type, value bytes, CR MO object)."""
    mo = devinfo_mo(devid)
    root = jdump([{"ClientURI": ROOT, "CV": "devinfo-7", "MOData": {"DevInfo": mo}}])
    return {
        FWV: ("text/plain", b"1.0.3", {"FwV": "1.0.3"}),
        DEVID_URI: ("text/plain", devid.encode(), {"DevID": devid}),
        ROOT: (CT_DMMO, root, mo),
    }


# ------------------------------------------------------------------ plans (server)
def plan_rounds(plan, ctx):
    """The command lists of the Package#2s of a plan (last one is END)."""
    end = [["END"]]
    if plan == "basic":
        return [[["GET", FWV], ["GET", missing(1)], ["DELETE", TMP]], [["EXEC", DNU]], end]
    if plan == "devinfo":
        return [[["GET", DEVID_URI]], end]
    if plan == "getdata":
        return [[["GET", FWV], ["GET", missing(1)], ["GET", ROOT], ["GET", DEVID_URI]],
                [["GET", missing(2)]], end]
    if plan == "cont":
        return [[["GET", missing(1)], ["CONT", ctx["cont_url"]]], [["DELETE", TMP]], end]
    if plan == "repo":
        r = ctx["repo_url"]
        return [[["HGET", r + "/fw/pkgurl", PKGURL],
                 ["HPUT", r + "/up/" + urllib.parse.quote(ctx["devid"], safe=""), ROOT],
                 ["HPOST", r + "/report", STATE]], end]
    raise ValueError(f"unknown plan {plan}")


def encode_p2(dialect, cmds, sid=None, seq=None):
    if dialect == "A":
        return jdump({"CMD": cmds})
    out = []
    for c in cmds:
        args = [cr_uri(a) if a.startswith("urn:oma:mo:") else a for a in c[1:]]
        out.append({c[0]: args})
    return jdump({"SessionInfo": {"SessionID": sid, "PkgSeq": seq}, "Cmds": out})


def decode_cmds(doc):
    """[(name, [args])] from an A or CR Package#2."""
    if "CMD" in doc:
        return [(c[0], list(c[1:])) for c in doc["CMD"]]
    return [(k, list(v)) for c in doc.get("Cmds", []) for k, v in c.items()]


def first_part(body, ctype_header):
    """The first part of a multipart/form-data body (the Package#3 JSON)."""
    m = re.search(r'boundary="?([^";]+)"?', ctype_header)
    if not m:
        raise ValueError("multipart without boundary")
    pieces = body.split(b"--" + m.group(1).encode())
    head, _, data = pieces[1][2:].partition(b"\r\n\r\n")
    return data[:-2], len(pieces) - 2


# ------------------------------------------------------------------ HTTP server side
class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "dm_peer.py/1.0"
    sys_version = ""
    disable_nagle_algorithm = True
    nreq = 0
    sent = 0
    index = -1

    def parse_request(self):
        self.index = self.nreq
        self.nreq += 1
        return super().parse_request()

    def log_message(self, fmt, *args):
        sys.stderr.write("dm_peer %s: %s %s\n" % (self.server.role, self.client_address[0],
                                                   fmt % args))

    def reply(self, code, ctype, body, extra=()):
        reason = self.responses.get(code, ("",))[0]
        fields = [f"HTTP/1.1 {code} {reason}", f"Server: {self.server_version}",
                  f"Date: {self.date_time_string()}"]
        if ctype is not None:
            fields.append(f"Content-Type: {ctype}")
        fields += [f"{k}: {v}" for k, v in extra]
        fields.append(f"Content-Length: {len(body)}")
        head = ("\r\n".join(fields) + "\r\n\r\n").encode("ascii")
        t = now()
        self.wfile.write(head + body)
        wl = self.server.wire_log
        if wl.path:
            wl.write(client=self.client_address, server=self.connection.getsockname(),
                     kind="response", index=self.index, offset=self.sent, t=t, head=head, wire=body)
        self.sent += len(head) + len(body)
        self.log_message("-> %d %s %s", code, ctype, body[:200].decode("utf-8", "replace"))

    def body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    # --- data repository
    def repo_get(self):
        u = urllib.parse.urlsplit(self.path)
        self.log_message("GET %s", self.path)
        if u.path == "/fw/pkgurl":
            host = self.connection.getsockname()[0]
            mo = [{"ClientURI": PKGURL, "MOData": {"PkgURL": f"http://{host}/fw/1.0.4.bin"}}]
            self.reply(200, CT_DMMO, jdump(mo))
        else:
            self.reply(404, "text/plain", b"not found\n")

    def repo_store(self):
        data = self.body()
        self.log_message("%s %s ct=%s %s", self.command, self.path, self.headers.get("Content-Type"),
                         data.decode("utf-8", "replace"))
        self.reply(200, "text/plain", f"stored {len(data)} bytes\n".encode())

    def do_GET(self):
        if self.server.role == "repo":
            return self.repo_get()
        self.reply(404, "text/plain", b"not found\n")

    def do_PUT(self):
        if self.server.role == "repo":
            return self.repo_store()
        self.reply(405, "text/plain", b"method not allowed\n")

    # --- DM server
    def do_POST(self):
        if self.server.role == "repo":
            return self.repo_store()
        u = urllib.parse.urlsplit(self.path)
        q = {k: v[-1] for k, v in urllib.parse.parse_qs(u.query).items()}
        data = self.body()
        cth = self.headers.get("Content-Type") or ""
        ct = cth.split(";")[0].strip().lower()
        self.log_message("POST %s ct=%s devid=%s %s", self.path, ct,
                         self.headers.get("OMADM-DevID"), data[:300].decode("utf-8", "replace"))
        if ct == CT_MULTIPART:
            data, nparts = first_part(data, cth)
        try:
            doc = json.loads(data)
        except ValueError:
            self.reply(400, "text/plain", b"bad JSON\n")
            return
        dialect = "CR" if "SessionInfo" in doc else "A"
        si = doc.get("SessionInfo", {})
        is_p1 = ct == CT_INITIATION or "ReasonForSession" in si or any(
            a.get("AlertType", "").endswith("Mgmt") for a in doc.get("Alert", []))
        # sessions by device address; by connection with ?perconn (a device running two at once)
        key = tuple(self.client_address) if "perconn" in q else self.client_address[0]
        st = self.server.sessions.get(key)
        if is_p1 or st is None:
            plan = u.path.rsplit("/", 1)[-1]
            host = self.connection.getsockname()[0]
            ctx = {"cont_url": f"http://{host}:{self.server.cont_port}/dm/cont",
                   "repo_url": self.server.repo_url,
                   "devid": self.headers.get("OMADM-DevID") or si.get("DevID") or DEVID}
            st = {"round": 0, "plan": plan, "rounds": plan_rounds(plan, ctx), "q": q,
                  "sid": si.get("SessionID")}
            self.server.sessions[key] = st
        else:
            st["round"] += 1
        r = st["round"]
        q = st["q"]
        if "fail" in q and int(q["fail"].split(":")[0]) == r:
            code = int(q["fail"].split(":")[1])
            self.reply(code, "text/plain", f"DM server failure (round {r})\n".encode())
            return
        rounds = st["rounds"]
        cmds = rounds[min(r, len(rounds) - 1)]
        sid = st["sid"]
        if r >= 1 and "p2sid" in q:
            sid = q["p2sid"]
        seq = si.get("PkgSeq", 0) + 1 if isinstance(si.get("PkgSeq"), int) else None
        self.reply(200, q.get("p2ct", CT_REQUEST), encode_p2(dialect, cmds, sid, seq))


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def listen_addr(s):
    host, _, port = s.rpartition(":")
    return host.strip("[]"), int(port)


def serve(a, role):
    wl = WireLog(a.log)
    sessions = {}
    servers = []
    for spec in a.listen:
        host, port = listen_addr(spec)
        cls = type("S", (Server,), {"address_family": socket.AF_INET6 if ":" in host
                                    else socket.AF_INET})
        srv = cls((host, port), Handler)
        srv.role, srv.wire_log, srv.sessions = role, wl, sessions
        srv.repo_url = getattr(a, "repo_url", None) or ""
        srv.cont_port = getattr(a, "cont_port", 8080)
        servers.append(srv)
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    for srv in servers[1:]:
        threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.1},
                         daemon=True).start()
    if a.ready_file:
        open(a.ready_file, "w").close()
    sys.stderr.write(f"dm_peer {role}: listening on {' '.join(a.listen)}\n")
    try:
        servers[0].serve_forever(poll_interval=0.1)
    except KeyboardInterrupt:
        pass


# ------------------------------------------------------------------ HTTP client side
class Conn:
    """Raw-socket HTTP/1.1 client connection; every request is one send(); logs what it
    sends (kind request) and what it receives (kind received)."""

    def __init__(self, host, port, log, src=None):
        fam = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.s = socket.socket(fam, socket.SOCK_STREAM)
        self.s.settimeout(30)
        if src:
            self.s.bind(src)
        self.s.connect((host, port))
        self.s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.names = (self.s.getsockname(), self.s.getpeername())
        self.host = (f"[{host}]" if ":" in host else host) + ("" if port == 80 else f":{port}")
        self.key = (host, port)
        self.log, self.sent, self.nreq, self.buf = log, 0, 0, b""

    def request(self, method, target, headers, body=b""):
        lines = [f"{method} {target} HTTP/1.1", f"Host: {self.host}", "User-Agent: dm_peer.py/1.0"]
        lines += [f"{k}: {v}" for k, v in headers]
        if body or method in ("POST", "PUT"):
            lines.append(f"Content-Length: {len(body)}")
        head = ("\r\n".join(lines) + "\r\n\r\n").encode()
        t = now()
        self.s.sendall(head + body)
        self.log.write(client=self.names[0], server=self.names[1], kind="request",
                       index=self.nreq, offset=self.sent, t=t, head=head, wire=body,
                       parts=getattr(self, "next_parts", None))
        self.next_parts = None
        self.sent += len(head) + len(body)
        idx = self.nreq
        self.nreq += 1
        status, hdrs, rhead, rbody = self.read_response()
        self.log.write(client=self.names[0], server=self.names[1], kind="received", index=idx,
                       offset=0, t=now(), head=rhead, wire=rbody)
        return status, hdrs, rbody

    def fill(self):
        d = self.s.recv(65536)
        if not d:
            raise ConnectionError("connection closed by the server")
        self.buf += d

    def read_response(self):
        while b"\r\n\r\n" not in self.buf:
            self.fill()
        head, _, self.buf = self.buf.partition(b"\r\n\r\n")
        head += b"\r\n\r\n"
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ")[1])
        hdrs = {}
        for ln in lines[1:]:
            if ln:
                k, _, v = ln.partition(":")
                hdrs[k.strip().lower()] = v.strip()
        n = int(hdrs.get("content-length", 0))
        while len(self.buf) < n:
            self.fill()
        body, self.buf = self.buf[:n], self.buf[n:]
        return status, hdrs, head, body

    def close(self, rst=False):
        if rst:
            self.s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.s.close()


BOUNDARY = "dmdissect-p3-5e8a1c"


def multipart(p3, parts):
    """multipart/form-data Package#3 (dm_client.multipart) with this peer's boundary."""
    return dm_client.multipart(p3, parts, BOUNDARY)


class Client:
    def __init__(self, a):
        self.a = a
        self.log = WireLog(a.log)
        self.conns = {}
        self.url = a.url
        self.devid = a.devid
        self.seq = 1
        self.src_ip = a.src

    def conn(self, url):
        u = urllib.parse.urlsplit(url)
        key = (u.hostname, u.port or 80)
        c = self.conns.get(key)
        if c is None:
            src = (self.src_ip, self.a.sport) if self.src_ip else None
            c = Conn(u.hostname, u.port or 80, self.log, src)
            self.conns[key] = c
        return c, (u.path + ("?" + u.query if u.query else ""))

    def drop(self, url, rst=False):
        u = urllib.parse.urlsplit(url)
        c = self.conns.pop((u.hostname, u.port or 80), None)
        if c:
            c.close(rst)

    def post(self, ctype, body, pkg, parts=None, devid=None):
        a = self.a
        c, target = self.conn(self.url)
        hdrs = []
        if not (a.no_accept):
            hdrs.append(("Accept", CT_REQUEST))
        hdrs.append(("Content-Type", ctype))
        dv = devid if devid is not None else self.devid
        if a.dialect == "A" and not a.no_devid:
            hdrs.append(("OMADM-DevID", dv))
        c.next_parts = parts
        status, h, body = c.request("POST", target, hdrs, body)
        print(f"dm_peer client: {pkg} -> {status} {h.get('content-type')} "
              f"{body[:300].decode('utf-8', 'replace')}", file=sys.stderr)
        return status, h, body

    def p1(self):
        a = self.a
        if a.dialect == "A":
            alert = {"AlertType": AT + ("ServerInitiatedMgmt" if a.notification_id is not None
                                        else "ClientInitiatedMgmt")}
            if a.notification_id is not None:
                alert.update({"DataType": "application/json",
                              "Data": {"NOTIFICATION-ID": a.notification_id}})
            return jdump({"MOS": MOS_A, "Alert": [alert]})
        si = {"DevID": self.devid, "SessionID": a.session_id, "PkgSeq": self.seq,
              "ReasonForSession": 1200 if a.server_initiated else 1201}
        doc = {"SessionInfo": si, "MOS": MOS_CR}
        if a.mod_devid:
            doc["MOD"] = [{"URI": "oma:mo:oma-dm-devinfo:1.0/", "MO": devinfo_mo(a.mod_devid)}]
        return jdump(doc)

    def execute(self, cmds, rnd):
        """Run the commands; return (status list [(code, extra)], multipart parts, CR MODs)."""
        a = self.a
        nodes = device_nodes(a.getdata_devid or self.devid)
        out, parts = [], []
        for i, (name, args) in enumerate(cmds):
            code, extra = 200, {}
            if name == "GET":
                uri = args[0] if args else ""
                if a.dialect == "CR":
                    uri = next((k for k in nodes if cr_uri(k) == uri), uri)
                node = nodes.get(uri)
                if node:
                    parts.append((i, node[0], node[1]))
                    extra["MOD"] = {"URI": cr_uri(uri), "MO": node[2]}
                else:
                    code = 404
            elif name == "CONT":
                self.next_url = args[0]
            elif name in ("HGET", "HPUT", "HPOST"):
                code = self.repo(name, args)
            out.append([code, extra])
        dm = urllib.parse.urlsplit(self.url)
        for k in [k for k in self.conns if k != (dm.hostname, dm.port or 80)]:
            self.conns.pop(k).close()            # side traffic: its own connection, closed
        if a.status_code:
            idx, code = (int(x) for x in a.status_code.split(":"))
            if rnd == 0:
                out[idx][0] = code
                parts = [p for p in parts if p[0] != idx]
        return out, parts

    def repo(self, name, args):
        c, target = self.conn(args[0])
        if name == "HGET":
            st, h, body = c.request("GET", target, [("Accept", CT_DMMO)])
        else:
            nodes = device_nodes(self.devid)
            uri = args[1]
            data = nodes[uri][1] if uri in nodes else jdump(
                [{"ClientURI": uri, "MOData": {"State": 50}}])
            st, h, body = c.request("PUT" if name == "HPUT" else "POST", target,
                                    [("Content-Type", CT_DMMO)], data)
        print(f"dm_peer client: {name} {args[0]} -> {st}", file=sys.stderr)
        return 200 if st < 300 else 419

    def p3(self, results, parts, rnd):
        a = self.a
        if a.dialect == "A":
            st = [{"sc": code} for code, _ in results]
            if a.drop_status and rnd == 0:
                st = st[:-1]
            doc = {"Status": st}
            if a.alert_no_datatype and rnd == 0:
                doc["Alert"] = [{"AlertType": "urn:oma:at:scomo:1.0:OperationComplete",
                                 "SourceURI": "urn:oma:mo:oma-scomo:1.0/apps/Download",
                                 "Mark": "informational", "Data": {"Result": 1200}}]
            body = jdump(doc)
            if a.dup_member and rnd == 0:
                body = body.replace(b'{"sc":200}', b'{"sc":200,"sc":200}', 1)
            return body, (parts if not a.no_multipart else [])
        res = []
        for code, extra in results:
            r = {"Code": code}
            r.update(extra)
            res.append(r)
        if a.drop_status and rnd == 0:
            res = res[:-1]
        si = {"DevID": a.p3_devid or self.devid, "SessionID": a.p3_session_id or a.session_id,
              "PkgSeq": self.seq}
        return jdump({"SessionInfo": si, "Results": res}), []

    def run(self):
        a = self.a
        if a.start_at:
            time.sleep(max(0.0, a.start_at - time.time()))
        p1 = self.p1()
        status, h, body = self.post(a.ct_p1 or CT_INITIATION, p1, "P1")
        rnd, retried = 0, False
        while True:
            if status >= 400:
                if a.retry_after_error and not retried:
                    retried = True
                    time.sleep(a.pause)
                    status, h, body = self.post(self.last[0], self.last[1], "P3 (retry)",
                                                self.last[2])
                    continue
                print(f"dm_peer client: HTTP {status}: session aborted", file=sys.stderr)
                break
            doc = json.loads(body)
            if "SessionInfo" in doc:
                self.seq = doc["SessionInfo"].get("PkgSeq", self.seq) + 1
            cmds = decode_cmds(doc)
            if a.rst_after is not None and rnd == a.rst_after:
                time.sleep(a.pause)
                self.drop(self.url, rst=True)
                print("dm_peer client: connection reset (SO_LINGER 0)", file=sys.stderr)
                return
            if cmds and cmds[-1][0] == "END":
                if a.p3_after_end:
                    time.sleep(a.pause)
                    body = jdump({"Status": []}) if a.dialect == "A" else jdump(
                        {"SessionInfo": {"DevID": self.devid, "SessionID": a.session_id,
                                         "PkgSeq": self.seq}, "Results": []})
                    self.post(CT_RESPONSE, body, "P3 after END")
                break
            self.next_url = None
            results, parts = self.execute(cmds, rnd)
            time.sleep(a.pause)
            if rnd < a.reconnect:
                self.drop(self.url)
            if self.next_url:
                self.url = self.next_url
            if a.dialect == "CR":
                if a.seq_gap and rnd == 0:
                    self.seq += 1
                if a.seq_repeat and rnd == 1:
                    self.seq -= 2
            body, parts = self.p3(results, parts, rnd)
            ct = CT_RESPONSE
            sections = None
            if parts or (a.extra_part and rnd == 0):
                if a.extra_part and rnd == 0:
                    parts = parts + [(1, "text/plain", b"not-found")]
                body, sections = multipart(body, parts)
                ct = f"{CT_MULTIPART}; boundary={BOUNDARY}"
            if a.ct_p3 and not sections:
                ct = a.ct_p3                      # --ct-p3: the plain (non-multipart) P3s
            devid = a.p3_devid if (a.p3_devid and a.dialect == "A") else None
            self.last = (ct, body, sections)
            status, h, body = self.post(ct, body, f"P3 #{rnd + 1}", sections, devid)
            rnd += 1
        time.sleep(a.pause)
        for k in list(self.conns):
            self.conns.pop(k).close()
        print("dm_peer client: done", file=sys.stderr)


def wait_notification(spec):
    host, port = listen_addr(spec)
    s = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((host, port))
    ready = os.environ.get("DMPEER_UDP_READY")
    if ready:
        open(ready, "w").close()
    s.settimeout(30)
    data, peer = s.recvfrom(65535)
    s.close()
    info = parse_notification(data)
    print(f"dm_peer client: notification from {peer[0]}: {info}", file=sys.stderr)
    return info


def parse_notification(d):
    """Minimal decode of the WSP push around our own Package#0 (the client's view)."""
    hl = d[2]
    ct = d[3]
    body = d[3 + hl:]
    if ct == 0xC4:                            # DM 1.2
        return {"format": "dm12", "sessionid": struct.unpack(">H", body[21:23])[0]}
    ver, oc = body[0] >> 4, ((body[0] & 0x0F) << 1) | (body[1] >> 7)
    pos, num, opts = 2, 0, {}
    for _ in range(oc):
        delta, ln = body[pos] >> 4, ((body[pos] & 0x0F) << 8) | body[pos + 1]
        num += delta
        opts.setdefault(num, body[pos + 2:pos + 2 + ln])
        pos += 2 + ln
    nid = struct.unpack(">H", opts[3])[0] if len(opts.get(3, b"")) == 2 else None
    return {"format": "dm20", "ver": ver, "notification_id": nid}


# ------------------------------------------------------------------ notifications
def l12(opts):
    """Options [(number, value)] in L12 framing (delta-coded)."""
    out, prev = b"", 0
    for num, val in opts:
        out += struct.pack(">H", ((num - prev) << 12) | len(val)) + val
        prev = num
    return out


def notification(a):
    server_id = a.server_id.encode()
    if a.format == "dm12":
        trig = struct.pack(">H", (a.dm12_version << 6) | (2 << 4) | (1 << 3)) + b"\0\0\0"
        trig += struct.pack(">HB", a.session_id, len(server_id)) + server_id
        md5 = lambda b: hashlib.md5(b).digest()  # noqa: E731
        b64 = lambda b: base64.b64encode(b)      # noqa: E731
        digest = md5(b64(md5(server_id + b":" + a.secret.encode())) + b":" + a.nonce.encode()
                     + b":" + b64(md5(trig)))
        return bytes([0x01, 0x06, 0x03, 0xC4, 0xAF, 0x87]) + digest + trig, {
            "format": "DM 1.2", "version": a.dm12_version, "ui_mode": 2, "initiator": 1,
            "sessionid": a.session_id, "server_id": a.server_id, "password": a.secret,
            "nonce": a.nonce}
    if a.format == "a-cr":                    # CR draft: SERVER-ID, Requested-MO*, Requested-MO-CV
        opts = [(1, server_id)] + [(3, struct.pack(">H", i)) for i in a.requested_mo]
        opts.append((7, struct.pack(">H", 1) + a.cv.encode()))
        body = struct.pack(">H", (a.ver << 12) | (len(opts) << 7)) + l12(opts)
        return bytes([0x01, 0x06, 0x03, 0xD8, 0xAF, 0x87]) + body, {
            "format": "DM 2.0 CR draft (L12)", "ver": a.ver, "server_id": a.server_id,
            "requested_mo": a.requested_mo, "requested_mo_cv": {"mo_index": 1, "validator": a.cv}}
    ts = struct.pack(">I", int(time.time()))
    opts = [(1, server_id)]
    if a.repeat_server_id:
        opts.append((1, server_id))
    opts += [(2, b"\x02"), (3, struct.pack(">H", a.notification_id)), (4, b"\0" * 32), (5, ts),
             (6, b"")]

    def build(o):
        return struct.pack(">H", (a.ver << 12) | (len(o) << 7)) + l12(o)
    zero = build(opts)
    digest = hashlib.sha256(a.secret.encode() + zero + a.auth_data.encode()).digest()
    opts = [(n, digest if n == 4 else v) for n, v in opts]
    body = build(opts)
    return bytes([0x01, 0x06, 0x03, 0xD8, 0xAF, 0x87]) + body, {
        "format": "DM 2.0 A (L12)", "ver": a.ver, "oc": len(opts), "server_id": a.server_id,
        "server_id_repeated": a.repeat_server_id, "preferred_con_type": 2,
        "notification_id": a.notification_id, "timestamp": struct.unpack(">I", ts)[0],
        "req_mos": True, "secret": a.secret, "auth_data": a.auth_data,
        "digest": digest.hex()}


def notify(a):
    data, fields = notification(a)
    host = a.addr
    s = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_DGRAM)
    if a.sport:
        s.bind(("0.0.0.0" if ":" not in host else "::", a.sport))
    t = now()
    s.sendto(data, (host, a.port))
    src = s.getsockname()
    print(f"dm_peer notify: {len(data)} bytes to {host}:{a.port}: {data.hex()}", file=sys.stderr)
    if a.log:
        rec = {"t": round(t, 6), "src": f"{src[0]}:{src[1]}", "dst": f"{host}:{a.port}",
               "udp_payload_hex": data.hex(), "wsp_prefix_hex": data[:6].hex(),
               "package0_hex": data[6:].hex(), "package0_len": len(data) - 6, "fields": fields}
        with open(a.log, "a") as fh:
            fh.write(json.dumps(rec) + "\n")


# ------------------------------------------------------------------ curl (multipart P3)
def curl_trace_requests(path):
    """Bytes of each request curl sent, from `curl --trace FILE` (Send header / Send data)."""
    reqs, cur, mode, block, size = [], None, None, b"", 0

    def flush():
        if mode is not None:
            if len(block) < size:
                sys.exit("dm_peer curl: trace block shorter than announced")
            cur[mode] += block[:size]
    for line in open(path, encoding="latin-1"):
        if line.startswith(("<=", "==", "=>")):
            flush()
            mode, block = None, b""
            m = re.match(r"=> Send (header|data), (\d+) bytes", line)
            if m and m.group(1) == "header":
                if cur is not None:
                    reqs.append(cur)
                cur = [b"", b""]
            if m:
                mode, size = (0 if m.group(1) == "header" else 1), int(m.group(2))
        elif mode is not None:
            m = re.match(r"^[0-9a-f]{4}: ((?:[0-9a-f]{2} ){1,16})", line)
            if m:
                block += bytes.fromhex(m.group(1).replace(" ", ""))
    flush()
    if cur is not None:
        reqs.append(cur)
    return reqs


def curl_session(a):
    """The getdata plan with curl: P1 (--data-binary), the multipart P3 (-F ... real curl
    multipart), the plain P3, chained with --next on one keep-alive connection."""
    d = a.workdir
    nodes = device_nodes(DEVID)

    def w(name, data):
        with open(os.path.join(d, name), "wb") as fh:
            fh.write(data)
        return os.path.join(d, name)
    p1 = w("p1.json", jdump({"MOS": MOS_A, "Alert": [{"AlertType": AT + "ClientInitiatedMgmt"}]}))
    p3a = w("p3a.json", jdump({"Status": [{"sc": 200}, {"sc": 404}, {"sc": 200}, {"sc": 200}]}))
    fwv = w("fwv.txt", nodes[FWV][1])
    root = w("root.json", nodes[ROOT][1])
    dev = w("devid.txt", nodes[DEVID_URI][1])
    p3b = w("p3b.json", jdump({"Status": [{"sc": 404}]}))
    common = ["-sS", "--http1.1", "-H", f"Accept: {CT_REQUEST}", "-H", f"OMADM-DevID: {DEVID}",
              "-H", "Expect:", "-A", "dm_peer.py-curl/1.0"]
    out = [os.path.join(d, f"p2-{i}.json") for i in range(3)]
    trace = os.path.join(d, "curl.trace")
    cmd = ["curl", "--trace", trace, "--local-port", str(a.sport)]
    if a.src:
        cmd += ["--interface", a.src]
    cmd += [a.url] + common + ["-H", f"Content-Type: {CT_INITIATION}", "--data-binary", "@" + p1,
                               "-o", out[0]]
    cmd += ["--next", a.url] + common + [
        "-F", f"=<{p3a};type={CT_RESPONSE}", "-F", f"0=<{fwv};type=text/plain",
        "-F", f"2=<{root};type={CT_DMMO}", "-F", f"3=<{dev};type=text/plain", "-o", out[1]]
    cmd += ["--next", a.url] + common + ["-H", f"Content-Type: {CT_RESPONSE}",
                                         "--data-binary", "@" + p3b, "-o", out[2]]
    print("dm_peer curl: " + " ".join(cmd), file=sys.stderr)
    t0 = now()
    subprocess.run(cmd, check=True)
    got = [json.load(open(o)) for o in out]
    want = [{"CMD": [["GET", FWV], ["GET", missing(1)], ["GET", ROOT], ["GET", DEVID_URI]]},
            {"CMD": [["GET", missing(2)]]}, {"CMD": [["END"]]}]
    if got != want:
        sys.exit(f"dm_peer curl: unexpected Package#2s {got}")
    # ground truth: the bytes curl says it sent, one request each (one connection)
    u = urllib.parse.urlsplit(a.url)
    log = WireLog(a.log)
    off = 0
    for i, (head_b, body_b) in enumerate(curl_trace_requests(trace)):
        start = head_b.split(b"\r\n", 1)[0].decode()
        parts = None
        m = re.search(rb"boundary=([-\w]+)", head_b)
        if m:
            parts = []
            for piece in body_b.split(b"--" + m.group(1))[1:-1]:
                ph, _, pdata = piece[2:].partition(b"\r\n\r\n")
                hdrs = [ln.split(": ", 1) for ln in ph.decode().split("\r\n") if ln]
                parts.append((hdrs, pdata[:-2]))
        log.write(client=(a.src or "0.0.0.0", a.sport), server=(u.hostname, u.port or 80),
                  kind="request", index=i, offset=off, t=t0, head=head_b,
                  wire=body_b, parts=parts)
        off += len(head_b) + len(body_b)
        print(f"dm_peer curl: request {i}: {start}, {len(body_b)} body bytes", file=sys.stderr)


# ------------------------------------------------------------------ main
def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    for role in ("server", "repo"):
        s = sub.add_parser(role)
        s.add_argument("--listen", action="append", required=True)
        s.add_argument("--log")
        s.add_argument("--ready-file")
        if role == "server":
            s.add_argument("--repo-url", default="")
            s.add_argument("--cont-port", type=int, default=8080)
    c = sub.add_parser("client", help="one DM session")
    c.add_argument("url", help="DM server URL, e.g. http://10.77.20.2/dm/basic")
    c.add_argument("--dialect", choices=["A", "CR"], default="A")
    c.add_argument("--devid", default=DEVID)
    c.add_argument("--src", help="source address to bind")
    c.add_argument("--sport", type=int, default=0)
    c.add_argument("--log")
    c.add_argument("--pause", type=float, default=0.05)
    c.add_argument("--start-at", type=float, help="sleep until this epoch time before the P1")
    c.add_argument("--session-id", default="A17", help="CR SessionID")
    c.add_argument("--session-id-hex", action="store_true",
                   help="with --wait-notification (DM 1.2): SessionID = notification sessionid "
                        "in upper-case hex (default decimal)")
    c.add_argument("--server-initiated", action="store_true", help="CR ReasonForSession 1200")
    c.add_argument("--notification-id", type=int, help="A: ServerInitiatedMgmt with this id")
    c.add_argument("--wait-notification", metavar="ADDR:PORT",
                   help="wait for a UDP push first; take NOTIFICATION-ID / sessionid from it")
    c.add_argument("--reconnect", type=int, default=0, metavar="N",
                   help="for the first N Package#3s: close the connection after the Package#2 "
                        "and open a new one for the P3")
    g = c.add_argument_group("misbehaviour (all off by default)")
    g.add_argument("--p3-after-end", action="store_true", help="send a P3 after the P2 with END")
    g.add_argument("--no-devid", action="store_true", help="A: no OMADM-DevID header at all")
    g.add_argument("--p3-devid", help="A: OMADM-DevID of the P3s / CR: SessionInfo.DevID of P3s")
    g.add_argument("--getdata-devid", help="A: DevID value the device returns for GET DevID")
    g.add_argument("--mod-devid", help="CR: P1 MOD with DevInfo whose DevID is this")
    g.add_argument("--p3-session-id", help="CR: SessionID of the P3s")
    g.add_argument("--seq-gap", action="store_true", help="CR: first P3 PkgSeq one too high")
    g.add_argument("--seq-repeat", action="store_true",
                   help="CR: second P3 repeats the PkgSeq of the first")
    g.add_argument("--ct-p1", help="Content-Type of the P1")
    g.add_argument("--ct-p3", help="Content-Type of the plain (not multipart) P3s")
    g.add_argument("--no-accept", action="store_true", help="no Accept header")
    g.add_argument("--drop-status", action="store_true", help="first P3: one status too few")
    g.add_argument("--status-code", metavar="IDX:CODE", help="first P3: status IDX = CODE")
    g.add_argument("--alert-no-datatype", action="store_true",
                   help="first P3: generic alert with Data but no DataType")
    g.add_argument("--dup-member", action="store_true", help='first P3: {"sc":200,"sc":200}')
    g.add_argument("--no-multipart", action="store_true", help="A: GET data never sent")
    g.add_argument("--extra-part", action="store_true",
                   help="first P3: a part named 1 (a GET answered 404)")
    g.add_argument("--retry-after-error", action="store_true",
                   help="after an HTTP 4xx/5xx, send the same P3 again once")
    g.add_argument("--rst-after", type=int, help="reset the connection after P2 number N (0 = "
                   "the answer to P1) instead of answering it")
    n = sub.add_parser("notify")
    n.add_argument("addr")
    n.add_argument("port", type=int)
    n.add_argument("--format", choices=["a", "a-cr", "dm12"], default="a")
    n.add_argument("--sport", type=int, default=0)
    n.add_argument("--server-id", default="dms.example")
    n.add_argument("--notification-id", type=int, default=0x1234)
    n.add_argument("--session-id", type=int, default=1234, help="DM 1.2 sessionid")
    n.add_argument("--dm12-version", type=int, default=11)
    n.add_argument("--secret", default="srvsecret")
    n.add_argument("--auth-data", default="")
    n.add_argument("--nonce", default="nonce1")
    n.add_argument("--cv", default="devinfo-7", help="CR Requested-MO-CV validator")
    n.add_argument("--requested-mo", type=int, action="append", default=[],
                   help="CR: a Requested-MO option (option 3) with this MO index; repeatable")
    n.add_argument("--ver", type=int, default=2)
    n.add_argument("--repeat-server-id", action="store_true")
    n.add_argument("--log")
    k = sub.add_parser("curl-session")
    k.add_argument("url")
    k.add_argument("--workdir", required=True)
    k.add_argument("--log")
    k.add_argument("--src")
    k.add_argument("--sport", type=int, default=41000)
    a = ap.parse_args()
    if a.cmd in ("server", "repo"):
        serve(a, a.cmd)
    elif a.cmd == "notify":
        notify(a)
    elif a.cmd == "curl-session":
        curl_session(a)
    else:
        if a.wait_notification:
            info = wait_notification(a.wait_notification)
            if info["format"] == "dm12":
                sid = info["sessionid"]
                a.session_id = f"{sid:X}" if a.session_id_hex else str(sid)
                a.server_initiated = True
            elif info.get("notification_id") is not None and a.dialect == "A":
                a.notification_id = info["notification_id"]
            else:
                a.server_initiated = True
        Client(a).run()


if __name__ == "__main__":
    random.seed(0)
    main()
