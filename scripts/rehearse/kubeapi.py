#!/usr/bin/env python3
"""The part of a Kubernetes API server the silos use (Orleans' Kubernetes hosting: read its own
pod, list the cluster's pods, watch them, delete a dead silo's pod), for the rehearsal, where pods
are Docker containers. Pods are those podrun.py registered in PODS (a JSON file it keeps:
name -> {labels, podIP}); a pod is "deleted" only when the rehearsal removes it from that file,
as Kubernetes keeps a pod whose container was killed and restarts the container. HTTPS with a
certificate of the test CA (the service account's ca.crt), bearer token checked.

  kubeapi.py PODS BIND PORT CERT KEY TOKENFILE     serve until stopped"""
import http.server, json, ssl, sys, time, urllib.parse

pods_file, bind, port, cert, key, token_file = sys.argv[1:7]
with open(token_file) as f:
    token = f.read().strip()


def pods():
    try:
        with open(pods_file) as f:
            return json.load(f)
    except FileNotFoundError:
        return {}


def pod(namespace, name, entry):
    return {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": name, "namespace": namespace, "labels": entry["labels"], "uid": name},
            "status": {"phase": "Running", "podIP": entry.get("podIP")}}


def selected(entry, selector):
    for term in filter(None, selector.split(",")):
        k, _, v = term.partition("=")
        if entry["labels"].get(k) != v:
            return False
    return True


class Handler(http.server.BaseHTTPRequestHandler):
    def reply(self, status, document):
        body = json.dumps(document).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def route(self):
        if self.headers.get("Authorization") != f"Bearer {token}":
            self.reply(401, {"kind": "Status", "code": 401})
            return None
        url = urllib.parse.urlsplit(self.path)
        parts = url.path.strip("/").split("/")
        if parts[:3] != ["api", "v1", "namespaces"] or len(parts) < 5 or parts[4] != "pods":
            self.reply(404, {"kind": "Status", "code": 404})
            return None
        return parts[3], (parts[5] if len(parts) > 5 else None), urllib.parse.parse_qs(url.query)

    def do_GET(self):
        routed = self.route()
        if not routed:
            return
        namespace, name, query = routed
        current = pods()
        if name:
            if name in current:
                self.reply(200, pod(namespace, name, current[name]))
            else:
                self.reply(404, {"kind": "Status", "code": 404, "reason": "NotFound"})
            return
        selector = query.get("labelSelector", [""])[0]
        if query.get("watch", ["false"])[0] in ("true", "1"):
            # A watch that reports nothing: pods here are only removed by the rehearsal itself.
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.flush()
            time.sleep(240)
            return
        items = [pod(namespace, n, e) for n, e in sorted(current.items()) if selected(e, selector)]
        self.reply(200, {"apiVersion": "v1", "kind": "PodList", "metadata": {"resourceVersion": "1"}, "items": items})

    def do_PATCH(self):
        routed = self.route()
        if routed:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            namespace, name, _ = routed
            self.reply(200, pod(namespace, name, pods().get(name, {"labels": {}})))

    def do_DELETE(self):
        routed = self.route()
        if routed:
            namespace, name, _ = routed
            sys.stderr.write(f"kubeapi: delete pod {name} (left to the rehearsal)\n")
            self.reply(200, pod(namespace, name, pods().get(name, {"labels": {}})))

    def log_message(self, fmt, *args):
        sys.stderr.write("kubeapi: " + (fmt % args) + "\n")


server = http.server.ThreadingHTTPServer((bind, int(port)), Handler)
server.daemon_threads = True
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain(cert, key)
server.socket = context.wrap_socket(server.socket, server_side=True)
server.serve_forever()
