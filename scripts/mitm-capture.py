#!/usr/bin/env python3
"""mitm-capture.py — make a real network capture through a real mitmproxy.

    python3 scripts/mitm-capture.py --mitmdump PATH/TO/mitmdump --out DIR

A stub HTTP server (stdlib, 127.0.0.1) sits behind `mitmdump --mode reverse:`;
urllib sends five requests through the proxy, four of them leaking test-device
PI (phone number, Base64 Android ID, MD5 IMEI, resident ID, OAID header). The
Host header carries the "public" host and `keep_host_header=true` keeps it, so
mitmproxy's HAR shows e.g. http://alog.umeng.com/app_logs, not 127.0.0.1.

Writes into DIR:
    capture.har    mitmproxy's own HAR export (`hardump`, written on shutdown)
    flows.mitm     mitmproxy's native flow file (`-w`)
    run.jsonl      hegui-trace v1 (shared/spec/trace-format.md): app start and
                   consent notice before the requests, consent accepted after
    mitmdump.log   mitmdump's output, for debugging
and prints a one-line JSON summary. Exits non-zero with a message on failure.
Python 3.11 standard library only (plus the mitmdump binary).
"""
import argparse
import base64
import hashlib
import http.server
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from datetime import datetime
from pathlib import Path

START_TIMEOUT = 30  # s until mitmdump accepts connections
REQUEST_TIMEOUT = 60  # s per request (2-core CI under `cargo test` load)
STOP_TIMEOUT = 60  # s for mitmdump to write the HAR and exit after SIGINT


def luhn_complete(body: str) -> str:
    """body + the Luhn check digit (IMEI = 14 digits + check digit)."""
    total = 0
    for i, c in enumerate(reversed(body)):  # rightmost body digit gets doubled
        d = int(c) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return body + str((10 - total % 10) % 10)


def resident_id_complete(body17: str) -> str:
    """GB 11643 resident ID: 17 digits + ISO 7064 MOD 11-2 check character."""
    weights = [pow(2, 17 - i, 11) for i in range(17)]  # 7 9 10 5 8 4 2 1 6 3 ...
    s = sum(int(c) * w for c, w in zip(body17, weights))
    return body17 + "10X98765432"[s % 11]


# Test-device values. "860000000000003" fails Luhn; 860000000000009 is valid.
IMEI = luhn_complete("86000000000000")
ANDROID_ID = "9774d56d682e549c"
OAID = "a1b2c3d4-e5f6-4a5b-8c9d-0e1f2a3b4c5d"
PHONE = "13812345678"
RESIDENT_ID = resident_id_complete("11010119900101123")
AID_B64 = base64.b64encode(ANDROID_ID.encode()).decode()
IMEI_MD5 = hashlib.md5(IMEI.encode()).hexdigest()

# (method, host, path, content type, body, extra headers) — the order is the HAR order.
REQUESTS = [
    ("GET", "api.example-shop.cn", f"/v1/login?mobile={PHONE}", None, None, {}),
    ("POST", "alog.umeng.com", "/app_logs", "application/json",
     json.dumps({"aid": AID_B64, "imei_md5": IMEI_MD5}), {}),
    ("POST", "api.example-shop.cn", "/v1/profile", "application/x-www-form-urlencoded",
     urllib.parse.urlencode({"idcard": RESIDENT_ID}), {}),
    ("GET", "cdn.example-shop.cn", "/logo.png", None, None, {}),
    ("GET", "api.example-shop.cn", "/v1/config", None, None, {"X-OAID": OAID}),
]


class StubHandler(http.server.BaseHTTPRequestHandler):
    """Answers every GET/POST with 200 and a small JSON body."""

    protocol_version = "HTTP/1.1"

    def _reply(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        body = b'{"code":0,"msg":"ok"}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _reply

    def log_message(self, *args):  # keep stderr quiet
        pass


def die(msg: str, log: Path | None = None):
    if log and log.exists() and log.stat().st_size:
        msg += "\n--- mitmdump.log (tail) ---\n" + log.read_text(errors="replace")[-3000:]
    sys.exit(f"mitm-capture: {msg}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, proc: subprocess.Popen, log: Path) -> float:
    """Poll until mitmdump listens; return the seconds it took."""
    t0 = time.monotonic()
    while time.monotonic() < t0 + START_TIMEOUT:
        if proc.poll() is not None:
            die(f"mitmdump exited early with status {proc.returncode}", log)
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return time.monotonic() - t0
        except OSError:
            time.sleep(0.05)
    die(f"mitmdump did not accept connections on 127.0.0.1:{port} within {START_TIMEOUT} s", log)


def drive(proxy_port: int):
    """Send REQUESTS through the proxy, one after the other."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # ignore *_proxy env
    for method, host, path, ctype, body, headers in REQUESTS:
        req = urllib.request.Request(
            f"http://127.0.0.1:{proxy_port}{path}", method=method,
            data=body.encode() if body is not None else None,
            headers={"Host": host, **({"Content-Type": ctype} if ctype else {}), **headers})
        with opener.open(req, timeout=REQUEST_TIMEOUT) as resp:
            resp.read()
            if resp.status != 200:
                die(f"{method} {host}{path}: HTTP {resp.status}")


def check_har(har_path: Path) -> dict:
    try:
        har = json.loads(har_path.read_text())
        entries = har["log"]["entries"]
    except (OSError, ValueError, KeyError) as e:
        die(f"{har_path} is not a readable HAR: {e}")
    if len(entries) != len(REQUESTS):
        die(f"{har_path} has {len(entries)} entries, expected {len(REQUESTS)}")
    for entry, (method, host, path, *_rest) in zip(entries, REQUESTS):
        want = f"http://{host}{path}"
        if (entry["request"]["method"], entry["request"]["url"]) != (method, want):
            die(f"HAR entry {entry['request']['method']} {entry['request']['url']}, expected {method} {want}")
    return har


def rfc3339(t: float) -> str:
    """Unix time -> RFC 3339 with ms and the local offset."""
    return datetime.fromtimestamp(t).astimezone().isoformat(timespec="milliseconds")


def write_trace(path: Path, har: dict):
    """hegui-trace v1 around the capture's real times: every request is pre-consent."""
    starts, ends = [], []
    for e in har["log"]["entries"]:
        t = datetime.fromisoformat(e["startedDateTime"]).timestamp()  # HAR times are UTC
        starts.append(t)
        ends.append(t + max(e["time"], 0) / 1000)
    first, last = min(starts), max(ends)
    src = {"tool": "mitm-capture", "version": "1", "layer": "proxy"}
    events = [
        (first - 2.5, "trace_start", {
            "trace_id": f"mitm-capture-{int(first)}", "schema": "hegui-trace/1",
            "app": {"package": "com.example.shop", "version_name": "1.0.0", "version_code": 1,
                    "platform": "android"},
            "device": {"manufacturer": "Google", "model": "sdk_gphone64_x86_64", "os_version": "13",
                       "api_level": 33, "rooted": True, "abi": "x86_64", "emulator": True},
            "fixtures": {"imei": IMEI, "android_id": ANDROID_ID, "oaid": OAID, "phone_number": PHONE},
            "tz": os.environ.get("TZ", "").lstrip(":") or rfc3339(first)[-6:]}),  # IANA name or offset
        (first - 2.0, "app_start", {"kind": "cold", "trigger": "automation"}),
        (first - 1.0, "consent_shown", {
            "dialog_id": "d1", "kind": "privacy_policy",
            "text_sha256": hashlib.sha256("请阅读《隐私政策》".encode()).hexdigest(),
            "text_excerpt": "请阅读《隐私政策》",
            "buttons": [{"label": "同意", "role": "accept"}, {"label": "不同意", "role": "reject"}],
            "links": [], "detect": "operator", "confidence": 1.0}),
        (last + 1.0, "consent_accepted", {"dialog_id": "d1", "button_label": "同意",
                                          "detect": "operator", "confidence": 1.0}),
        (last + 1.5, "trace_end", {"reason": "capture finished"}),
    ]
    with path.open("w", encoding="utf-8") as f:
        for seq, (t, typ, payload) in enumerate(events):
            line = {"v": 1, "seq": seq, "type": typ, "ts": rfc3339(t), "run_id": "r1", "src": src,
                    **payload}
            f.write(json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mitmdump", required=True, help="path to the mitmdump binary")
    ap.add_argument("--out", required=True, type=Path, help="output directory")
    args = ap.parse_args()
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    har_path, flows_path, trace_path, log_path = (
        out / "capture.har", out / "flows.mitm", out / "run.jsonl", out / "mitmdump.log")
    for p in (har_path, flows_path, trace_path):
        p.unlink(missing_ok=True)  # never report a stale file from an earlier run

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), StubHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    proxy_port = free_port()
    with tempfile.TemporaryDirectory() as confdir, log_path.open("wb") as log:
        cmd = [args.mitmdump, "-q", "--listen-host", "127.0.0.1", "--listen-port", str(proxy_port),
               "--mode", f"reverse:http://127.0.0.1:{server.server_port}",
               "--set", f"confdir={confdir}",  # fresh CA, ignore ~/.mitmproxy
               "--set", "keep_host_header=true", "--set", f"hardump={har_path}",
               "-w", str(flows_path)]
        try:
            proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log, stderr=log)
        except OSError as e:
            die(f"cannot run {args.mitmdump}: {e}")
        try:
            up = wait_for_port(proxy_port, proc, log_path)
            print(f"mitm-capture: aid={AID_B64} imei_md5={IMEI_MD5} idcard={RESIDENT_ID}",
                  file=sys.stderr)
            t0 = time.monotonic()
            drive(proxy_port)
            t1 = time.monotonic()
            proc.send_signal(signal.SIGINT)  # graceful: hardump is written on shutdown
            try:
                proc.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                die(f"mitmdump did not exit within {STOP_TIMEOUT} s of SIGINT", log_path)
            print(f"mitm-capture: mitmdump up in {up:.1f} s, requests {t1 - t0:.1f} s, "
                  f"shutdown {time.monotonic() - t1:.1f} s (exit status {proc.returncode})",
                  file=sys.stderr)
        except Exception as e:  # urllib errors, timeouts: report and fail
            die(f"capture failed: {e!r}", log_path)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            server.shutdown()
            server.server_close()

    har = check_har(har_path)
    if not flows_path.exists() or flows_path.stat().st_size == 0:
        die(f"{flows_path} is missing or empty", log_path)
    write_trace(trace_path, har)
    print(json.dumps({
        "har": str(har_path), "flows": str(flows_path), "trace": str(trace_path),
        "mitmproxy": har["log"]["creator"]["version"],
        "fixtures": {"imei": IMEI, "android_id": ANDROID_ID, "oaid": OAID, "phone_number": PHONE},
        "aid_b64": AID_B64, "imei_md5": IMEI_MD5, "resident_id": RESIDENT_ID,
        "hosts": sorted({h for _, h, *_ in REQUESTS}),
        "urls": [e["request"]["url"] for e in har["log"]["entries"]],
    }, ensure_ascii=False))


if __name__ == "__main__":
    main()
