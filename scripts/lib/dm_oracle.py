#!/usr/bin/env python3
"""Independent cross-check of the DM captures of scripts/record-dm-samples (not dmdissect):
rebuilds every HTTP message of FILE.exchanges.json from the TCP payload bytes in the capture
(tshark tcp.payload by stream offset) and checks that each body hashes to what the peers
logged; then evaluates a subset of the reference §6 rules on those messages (and on
FILE.notifications.json) and compares the rule ids found with FILE.expected-rules.txt.

The rule logic here is deliberately simple (sessions = consecutive DM POSTs from one client IP,
a P1 starts a new one); it only has to be right for these recordings.  Rules evaluated:
DM-CT-001/002/003/004/006/007, DM-HDR-001/002/003, DM-SES-001/003/004, DM-DEV-001/002,
DM-SEQ-001/002/003, DM-P3-001/002/010, DM-END-001, DM-ALR-001, DM-TRN-004/005/006,
DM-N0-010/013, DM-NC-001/004/005/006/008, DM-TRK-005.
Usage: dm_oracle.py FILE...   (exit 1 when a file's findings differ from its expected rules)
Stdlib only; needs tshark.
"""
import collections
import hashlib
import json
import re
import subprocess
import sys

CT_I = "application/vnd.oma.dm.initiation+json"
CT_Q = "application/vnd.oma.dm.request+json"
CT_R = "application/vnd.oma.dm.response+json"
VALID = {200: None, 202: {"EXEC"}, 204: {"GET"}, 304: {"GET", "HPUT", "HPOST"}, 400: None,
         403: "notSCE", 404: "notSCE", 405: {"EXEC", "DELETE"}, 406: {"HPUT", "HPOST"},
         415: {"HGET"}, 419: {"HGET", "HPUT", "HPOST"}, 500: None, 501: None, 503: None,
         506: {"HGET"}, 507: None}


def streams(f):
    out = subprocess.run(["tshark", "-n", "-r", f, "-Y", "tcp.len > 0", "-T", "fields", "-e",
                          "ip.src", "-e", "tcp.srcport", "-e", "ip.dst", "-e", "tcp.dstport", "-e",
                          "tcp.seq", "-e", "tcp.payload"], capture_output=True, text=True).stdout
    st = collections.defaultdict(bytearray)
    for line in out.splitlines():
        s, sp, d, dp, seq, pay = line.split("\t")
        key = (f"{s}:{sp}", f"{d}:{dp}")
        data = bytes.fromhex(pay.replace(":", ""))
        off = int(seq) - 1
        buf = st[key]
        if len(buf) < off + len(data):
            buf.extend(b"\0" * (off + len(data) - len(buf)))
        buf[off:off + len(data)] = data
    return st


def strict_json(b):
    dups = []

    def hook(pairs):
        keys = [k for k, _ in pairs]
        dups.extend(k for k, n in collections.Counter(keys).items() if n > 1)
        return dict(pairs)
    return json.loads(b, object_pairs_hook=hook), dups


def first_part(body, ct):
    m = re.search(r'boundary="?([^";]+)"?', ct)
    pieces = body.split(b"--" + m.group(1).encode())[1:]
    parts = []
    for p in pieces:
        if p.startswith(b"--"):
            break
        head, _, data = p[2:].partition(b"\r\n\r\n")
        name = re.search(rb'name="([^"]*)"', head)
        parts.append((name.group(1).decode() if name else None, head.decode(), data[:-2]))
    return parts


def hdr(m, name):
    return next((v for k, v in m["headers"] if k.lower() == name), None)


def cmds_of(doc):
    if "CMD" in doc:
        return [(c[0], c[1:]) for c in doc["CMD"]]
    return [(k, v) for c in doc.get("Cmds", []) for k, v in c.items()]


def check(f):
    doc = json.load(open(f + ".exchanges.json"))
    st = streams(f)
    found = set()
    bad_bytes = 0
    msgs = []
    for c in doc["connections"]:
        for e in c["exchanges"]:
            for kind, src, dst in (("request", c["client"], c["server"]),
                                   ("response", c["server"], c["client"])):
                m = e[kind]
                raw = bytes(st[(src, dst)][m["offset"]:m["offset"] + m["head_len"] + m["wire_len"]])
                body = raw[m["head_len"]:]
                if hashlib.sha256(body).hexdigest() != m["wire_sha256"]:
                    bad_bytes += 1
                m["_body"] = body
            msgs.append((c, e))
    # DM exchanges (POSTs whose answer or request is DM-ish), in request time order
    dm = []
    for c, e in sorted(msgs, key=lambda x: x[1]["request"]["t"]):
        if e["method"] != "POST" or not (e["uri"].startswith("/dm")):
            continue
        dm.append((c, e))
    sessions = collections.defaultdict(list)
    for c, e in dm:
        ip = c["client"].rsplit(":", 1)[0]
        req = e["request"]
        ct = (req["content_type"] or "").split(";")[0].strip().lower()
        body = req["_body"]
        parts = None
        if ct == "multipart/form-data":
            parts = first_part(body, req["content_type"])
            body = parts[0][2]
        try:
            rdoc, dups = strict_json(body)
        except ValueError:
            continue
        if dups:
            found.add("DM-CT-007")
        si = rdoc.get("SessionInfo")
        is_p1 = ct == CT_I or (si and "ReasonForSession" in si) or any(
            a.get("AlertType", "").endswith("Mgmt") for a in rdoc.get("Alert", []))
        # the test server keys sessions by connection with ?perconn (one device, two sessions)
        key = c["client"] if "perconn" in e["uri"] else ip
        if is_p1 or not sessions[key] or sessions[key][-1]["closed"]:
            sessions[key].append({"pk": [], "closed": False, "ended": False, "t0": req["t"],
                                  "ip": ip, "server": c["server"]})
        s = sessions[key][-1]
        resp = e["response"]
        pdoc = None
        if e["status"] == 200:
            try:
                pdoc, d2 = strict_json(resp["_body"])
                if d2:
                    found.add("DM-CT-007")
            except ValueError:
                pass
        s["pk"].append({"p1": bool(is_p1), "ct": ct, "doc": rdoc, "parts": parts, "req": req,
                        "status": e["status"], "p2": pdoc, "resp": resp, "uri": e["uri"],
                        "server": c["server"]})
    notes = []
    try:
        notes = json.load(open(f + ".notifications.json"))["datagrams"]
    except OSError:
        pass
    for n in notes:
        fl = n["fields"]
        if fl.get("ver", 2) != 2:
            found.add("DM-N0-010")
        if fl.get("server_id_repeated"):
            found.add("DM-N0-013")
    for key, ss in sessions.items():
        for s in ss:
            run_rules(s, found, notes, s["ip"])
            s["t1"] = max(p["resp"]["t"] for p in s["pk"])
    # DM-TRK-005: a device opens a session while another of its sessions with that server is open
    every = [s for ss in sessions.values() for s in ss]
    for s in every:
        if any(o is not s and o["ip"] == s["ip"] and o["server"].rsplit(":", 1)[0] ==
               s["server"].rsplit(":", 1)[0] and o["t0"] < s["t0"] < o["t1"] for o in every):
            found.add("DM-TRK-005")
    by_ip = collections.defaultdict(list)
    for s in every:
        by_ip[s["ip"]].append(s)
    sessions = by_ip
    for n in notes:    # DM-NC-001: a P1 from the device within 300 s
        dev = n["dst"].rsplit(":", 1)[0]
        if not any(s["t0"] >= n["t"] and s["t0"] - n["t"] <= 300 and s["pk"][0]["p1"]
                   for s in sessions.get(dev, [])):
            found.add("DM-NC-001")
    return found, bad_bytes, sum(len(v) for v in sessions.values())


def run_rules(s, found, notes, ip):
    pk = s["pk"]
    p1 = pk[0]
    cr = "SessionInfo" in p1["doc"]
    devid0 = hdr(p1["req"], "omadm-devid")
    accept0 = hdr(p1["req"], "accept")
    note = next((n for n in notes if n["dst"].startswith(ip + ":") and n["t"] < p1["req"]["t"]
                 and p1["req"]["t"] - n["t"] <= 300), None)
    prev_p2 = None
    ended = False
    errored = False
    model_seq = None
    last_client_seq = None
    cont_uri = None
    for i, p in enumerate(pk):
        d, req = p["doc"], p["req"]
        if ended:
            found.add("DM-END-001")
        if errored:
            found.add("DM-TRN-004")
        if p["p1"]:
            if p["ct"] != CT_I:
                found.add("DM-CT-001")
        elif p["ct"] not in (CT_R, "multipart/form-data"):
            found.add("DM-CT-003")
        acc = hdr(req, "accept")
        if acc is None or not any(x.strip().split(";")[0] in (CT_Q, "application/*", "*/*")
                                  for x in acc.split(",")):
            found.add("DM-CT-004")
        if not cr:
            dv = hdr(req, "omadm-devid")
            if not dv:
                found.add("DM-HDR-001")
            elif devid0 and dv != devid0:
                found.add("DM-HDR-002")
        else:
            si = d.get("SessionInfo", {})
            need = ["DevID", "SessionID", "PkgSeq"] + (["ReasonForSession"] if p["p1"] else [])
            if any(k not in si for k in need):
                found.add("DM-SES-001" if p["p1"] else "DM-SES-003")
            if not p["p1"]:
                if si.get("SessionID") != p1["doc"]["SessionInfo"].get("SessionID"):
                    found.add("DM-SES-004")
                if si.get("DevID") != p1["doc"]["SessionInfo"].get("DevID"):
                    found.add("DM-DEV-001")
            else:
                for mod in d.get("MOD", []):
                    if "devinfo" in mod.get("URI", "") and "DevID" in mod.get("MO", {}) and \
                            mod["MO"]["DevID"] != si.get("DevID"):
                        found.add("DM-DEV-002")
                if si.get("PkgSeq") != 1:
                    found.add("DM-SEQ-001")
                # DM-NC-008: Requested-MO indices each need a MOD item; Requested-MO-CV ones
                # without an item are reported as "not modified"
                if note and note["fields"].get("format", "").startswith("DM 2.0 CR"):
                    plain = set(note["fields"].get("requested_mo", []))
                    cv = {note["fields"]["requested_mo_cv"]["mo_index"]} - plain
                    if len(d.get("MOD", [])) < len(plain) + len(cv):
                        found.add("DM-NC-008")
                rs = si.get("ReasonForSession")
                if rs != (1200 if note else 1201):
                    found.add("DM-NC-005")
            seq = si.get("PkgSeq")
            if last_client_seq is not None and seq <= last_client_seq:
                found.add("DM-SEQ-002")
            if model_seq is not None and seq != model_seq + 1:
                found.add("DM-SEQ-003")
            last_client_seq = seq
            model_seq = seq
        # A: P1 session alert vs notification
        if p["p1"] and not cr:
            al = [a for a in d.get("Alert", []) if a.get("AlertType", "").endswith("Mgmt")]
            if note:
                nid = note["fields"].get("notification_id")
                if not any(a["AlertType"].endswith("ServerInitiatedMgmt") and
                           nid in (a.get("Data") or {}).values() for a in al):
                    found.add("DM-NC-004")
                if note["fields"].get("req_mos") and "MOS" not in d:
                    found.add("DM-NC-006")
            elif not any(a["AlertType"].endswith("ClientInitiatedMgmt") for a in al):
                found.add("DM-NC-004")
        for a in d.get("Alert", []):
            if not isinstance(a.get("AlertType"), str) or ("Data" in a and "DataType" not in a):
                found.add("DM-ALR-001")
        # TRN-005/006
        if not p["p1"]:
            if cont_uri:
                u = re.match(r"http://([^/]+)(/.*)", cont_uri)
                if (p["server"], p["uri"]) != (u.group(1) if ":" in u.group(1) else
                                               u.group(1) + ":80", u.group(2)):
                    found.add("DM-TRN-005")
            elif (p["server"], p["uri"]) != (p1["server"], p1["uri"]):
                found.add("DM-TRN-006")
        # P3 against the previous P2
        if not p["p1"] and prev_p2 is not None and not ended:
            cmds = cmds_of(prev_p2)
            sts = d.get("Status") if not cr else d.get("Results")
            if sts is not None and len(sts) != len(cmds):
                found.add("DM-P3-001")
            named = {}
            for pn, ph, pdata in (p["parts"] or [])[1:]:
                named[pn] = pdata
            for j, (name, args) in enumerate(cmds):
                if sts is None or j >= len(sts):
                    break
                item = sts[j]
                code = item if isinstance(item, int) else item.get("sc" if not cr else "Code")
                ok = code in VALID or 1000 <= code <= 1999
                if ok and code in VALID:
                    rule = VALID[code]
                    if rule == "notSCE":
                        ok = name not in ("SHOW", "CONT", "END")
                    elif rule is not None:
                        ok = name in rule
                if not ok:
                    found.add("DM-P3-002")
                if not cr and name == "GET":
                    if (code == 200) != (str(j) in named):
                        found.add("DM-P3-010")
                    if code == 200 and "DevID" in args[0] and str(j) in named and \
                            named[str(j)].decode() != devid0:
                        found.add("DM-HDR-003")
            if not cr:
                for pn in named:
                    if not pn.isdigit() or int(pn) >= len(cmds) or cmds[int(pn)][0] != "GET":
                        found.add("DM-P3-010")
        # the answer
        if p["status"] >= 400:
            errored = True
            prev_p2 = None
            continue
        rct = (p["resp"]["content_type"] or "").split(";")[0].strip().lower()
        if rct != CT_Q:
            found.add("DM-CT-002")
            if acc and rct not in acc and "*/*" not in acc:
                found.add("DM-CT-006")
        p2 = p["p2"]
        prev_p2 = p2
        if p2 is None:
            continue
        if cr:
            si2 = p2.get("SessionInfo", {})
            if si2.get("SessionID") != p1["doc"]["SessionInfo"].get("SessionID"):
                found.add("DM-SES-004")
            if model_seq is not None and si2.get("PkgSeq") != model_seq + 1:
                found.add("DM-SEQ-003")
            model_seq = si2.get("PkgSeq")
        cm = cmds_of(p2)
        for name, args in cm:
            if name == "CONT":
                cont_uri = args[0]
        if cm and cm[-1][0] == "END":
            ended = True


def main():
    rc = 0
    for f in sys.argv[1:]:
        found, bad, nsess = check(f)
        want = set(open(f + ".expected-rules.txt").read().split())
        same = found == want and bad == 0
        rc |= not same
        print(f"dm_oracle: {f.rsplit('/', 1)[-1]}: {nsess} session(s); bodies rebuilt from the "
              f"capture: {'all match' if not bad else f'{bad} MISMATCH'}; rules found "
              f"{sorted(found) or '-'}; expected {sorted(want) or '-'}: "
              f"{'ok' if same else 'DIFFERENT'}")
    sys.exit(rc)


if __name__ == "__main__":
    main()
