#!/usr/bin/env python3
"""A stand-in for the API's routes that the chart's `helm test` script calls, with the answers
the real endpoints give (201/409 on create, 404 for an unknown clinic, 401 without the token),
so scripts/check-contracts.sh can run the rendered script twice: the first run must create its
clinic, provider and patient, the second reuse them, and each must cancel what it booked.

    stub_api.py PORT TOKEN STATE_FILE      (serves until killed; STATE_FILE gets the counts on each change)
"""
import json
import re
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

port, token, state_file = int(sys.argv[1]), sys.argv[2], sys.argv[3]
clinics: dict[str, dict] = {}


def save() -> None:
    summary = {cid: {"providers": len(c["providers"]), "patients": len(c["patients"]),
                     "appointments": len(c["appointments"]),
                     "cancelled": sum(1 for a in c["appointments"].values() if a["status"] == "cancelled")}
               for cid, c in clinics.items()}
    with open(state_file, "w") as f:
        json.dump(summary, f)


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):  # quiet
        pass

    def answer(self, status: int, body: object = None) -> None:
        # Compact, as System.Text.Json writes it (the script reads fields with grep/sed).
        data = json.dumps(body if body is not None else {"status": status}, separators=(",", ":")).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def body(self) -> dict:
        length = int(self.headers.get("Content-Length") or 0)
        return json.loads(self.rfile.read(length) or b"{}")

    def route(self, method: str) -> None:
        if self.headers.get("Authorization") != f"Bearer {token}":
            return self.answer(401)
        url = urlparse(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        path = url.path.rstrip("/")
        if method == "POST" and path == "/api/clinics":
            b = self.body()
            if b["id"] in clinics:
                return self.answer(409, {"title": "clinic-exists"})
            clinics[b["id"]] = {"settings": b, "providers": {}, "patients": {}, "appointments": {}}
            save()
            return self.answer(201, {"id": b["id"], "name": b["name"]})
        m = re.match(r"^/api/clinics/([^/]+)(/.*)?$", path)
        if not m or m.group(1) not in clinics:
            return self.answer(404)
        c, rest = clinics[m.group(1)], m.group(2) or ""
        if rest == "/providers" and method == "GET":
            return self.answer(200, [{"id": pid, **p} for pid, p in c["providers"].items()])
        if rest == "/providers" and method == "POST":
            pid = f"prv-{len(c['providers']) + 1}"
            c["providers"][pid] = self.body()
            save()
            return self.answer(201, {"id": pid, **c["providers"][pid]})
        if rest == "/patients" and method == "GET":
            items = [{"id": pid, "mrn": p["mrn"]} for pid, p in c["patients"].items() if p["mrn"] == query.get("mrn")]
            return self.answer(200, {"items": items})
        if rest == "/patients" and method == "POST":
            pid = f"pat-{len(c['patients']) + 1}"
            c["patients"][pid] = self.body()
            save()
            return self.answer(201, {"id": pid, **c["patients"][pid]})
        a = re.match(r"^/providers/([^/]+)/availability$", rest)
        if a and method == "GET":
            if a.group(1) not in c["providers"] or "from" not in query or "to" not in query:
                return self.answer(404 if a.group(1) not in c["providers"] else 400)
            start = f"{query['from']}T08:00:00+00:00"
            return self.answer(200, {"providerId": a.group(1), "appointmentType": query.get("type"), "timeZone": "UTC",
                                     "slots": [{"start": start, "end": f"{query['from']}T08:30:00+00:00"}]})
        if rest == "/appointments" and method == "POST":
            b = self.body()
            if not self.headers.get("Idempotency-Key") or b["patientId"] not in c["patients"] or b["providerId"] not in c["providers"]:
                return self.answer(400)
            aid = f"apt-{len(c['appointments']) + 1}"
            c["appointments"][aid] = {**b, "status": "booked"}
            save()
            return self.answer(201, {"id": aid, "patientId": b["patientId"], "status": "booked"})
        x = re.match(r"^/appointments/([^/]+)/cancel$", rest)
        if x and method == "POST" and x.group(1) in c["appointments"]:
            c["appointments"][x.group(1)]["status"] = "cancelled"
            save()
            return self.answer(200, {"id": x.group(1), "status": "cancelled"})
        return self.answer(404)

    def do_GET(self):
        self.route("GET")

    def do_POST(self):
        self.route("POST")


ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
