#!/usr/bin/env python3
"""An object-storage stand-in for the rehearsal's backup Job with target s3: answers the aws CLI's
PutObject (and a multipart upload, for dumps above its 8 MB threshold) over HTTPS, for any bucket
(virtual-hosted or path style), and keeps the objects under DIR/<host>/<key>. Runs in a container
of the backup image (its Python is the aws CLI's), reached by the network aliases of the S3 names.

  s3.py DIR CERT KEY        listen on 0.0.0.0:443 until stopped

Test only: no authentication is checked."""
import hashlib, http.server, os, ssl, sys, urllib.parse, uuid

root, cert, key = sys.argv[1:4]
uploads = {}


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def target(self):
        url = urllib.parse.urlsplit(self.path)
        host = (self.headers.get("Host") or "s3").split(":")[0]
        return os.path.join(root, host, url.path.lstrip("/")), urllib.parse.parse_qs(url.query, keep_blank_values=True)

    def body(self):
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def answer(self, status, payload=b"", headers=()):
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def do_PUT(self):
        path, query = self.target()
        data = self.body()
        etag = '"%s"' % hashlib.md5(data).hexdigest()
        if "uploadId" in query:
            uploads[query["uploadId"][0]][int(query["partNumber"][0])] = data
        else:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as f:
                f.write(data)
            sys.stderr.write(f"s3: stored {path} ({len(data)} bytes)\n")
        self.answer(200, headers=[("ETag", etag)])

    def do_POST(self):
        path, query = self.target()
        self.body()
        if "uploads" in query:
            upload = uuid.uuid4().hex
            uploads[upload] = {}
            xml = f"<InitiateMultipartUploadResult><UploadId>{upload}</UploadId></InitiateMultipartUploadResult>"
        else:
            parts = uploads.pop(query["uploadId"][0])
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as f:
                for n in sorted(parts):
                    f.write(parts[n])
            sys.stderr.write(f"s3: stored {path} ({os.path.getsize(path)} bytes, {len(parts)} parts)\n")
            xml = '<CompleteMultipartUploadResult><ETag>"done"</ETag></CompleteMultipartUploadResult>'
        self.answer(200, xml.encode(), [("Content-Type", "application/xml")])

    def log_message(self, fmt, *args):
        pass


server = http.server.ThreadingHTTPServer(("0.0.0.0", 443), Handler)
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain(cert, key)
server.socket = context.wrap_socket(server.socket, server_side=True)
server.serve_forever()
