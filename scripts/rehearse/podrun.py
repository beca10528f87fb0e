#!/usr/bin/env python3
"""Runs the chart's rendered pod specs with `docker run`: the rehearsal's stand-in for a kubelet.

  podrun.py order RENDERED                      the workloads in Helm's install order, one a line:
                                                "<phase> <weight> <Kind>/<name>" (pre-install hooks
                                                by weight, then Deployments/StatefulSets, then
                                                CronJobs, which only run when a Job is made of them)
  podrun.py replicas RENDERED Kind/name         replicas (the HPA's minReplicas when one targets it)
  podrun.py secrets RENDERED                    every Secret name the pods mount or read, one a line
  podrun.py certificates RENDERED               cert-manager Certificates: "<secretName> DNS:a,DNS:b"
  podrun.py probe RENDERED Kind/name            the readiness probe: "http PORT PATH" or "tcp PORT"
  podrun.py argv RENDERED Kind/name OPTIONS     the `docker run` arguments, one a line (NUL-free)
  podrun.py project RENDERED Kind/name --pod P --secrets DIR --state DIR
                                                re-writes a running pod's Secret volumes from DIR
                                                as the kubelet does when a Secret changes

OPTIONS: --pod NAME (container and host name, metadata.name), --ip IP (status.podIP and --ip),
--network NET, --secrets DIR (DIR/<secret name>/<key>: what the cluster's Secrets hold),
--state DIR (where the Secret and ConfigMap volumes of this pod are written), --volumes DIR
(persistentVolumeClaims: DIR/<claim name>), --label L, --publish SPEC (repeatable), --namespace NS,
--kube-api HOST:PORT (the API server: KUBERNETES_SERVICE_HOST/PORT, which the kubelet sets in every
pod), --service-account DIR (token, ca.crt, namespace: mounted where the kubelet mounts them when
automountServiceAccountToken is true), --pods FILE (the pod's name, labels and IP are recorded
there for scripts/rehearse/kubeapi.py).

What the container gets, exactly as rendered: image, command (as --entrypoint plus arguments) and
args, env (value, fieldRef, secretKeyRef, configMapKeyRef) and envFrom, each volumeMount (Secret
and ConfigMap items written to files with the volume's defaultMode, owned by root and the pod's
fsGroup, in the kubelet's layout (..data symlink to a timestamped folder), bind-mounted read-only; emptyDir as tmpfs with its sizeLimit; a PVC as a host folder),
the security context (runAsUser/runAsGroup, fsGroup as a supplementary group, read-only root,
dropped capabilities, no privilege escalation; runAsNonRoot is checked), memory and CPU limits,
and the Services that select the pod as network aliases (same port numbers: a Service whose port
differs from its target port is reported). Anything it cannot reproduce is an error, never skipped.
"""
import json, os, re, shutil, sys, time

import yaml


def die(message):
    sys.exit(f"podrun: {message}")


def load(path):
    with open(path) as f:
        return [d for d in yaml.safe_load_all(f) if isinstance(d, dict) and d.get("kind")]


def find(docs, ref):
    kind, name = ref.split("/", 1)
    for d in docs:
        if d["kind"] == kind and d["metadata"]["name"] == name:
            return d
    die(f"{ref} is not in the rendered chart")


def pod_template(obj):
    if obj["kind"] == "CronJob":
        return obj["spec"]["jobTemplate"]["spec"]["template"]
    return obj["spec"]["template"]


WORKLOADS = ("Deployment", "StatefulSet", "Job", "CronJob")


def hook_phases(obj):
    hooks = (obj["metadata"].get("annotations") or {}).get("helm.sh/hook", "")
    return [h.strip() for h in hooks.split(",") if h.strip()]


def order(docs):
    rows = []
    for d in docs:
        if d["kind"] not in WORKLOADS:
            continue
        phases = hook_phases(d)
        weight = int((d["metadata"].get("annotations") or {}).get("helm.sh/hook-weight", "0"))
        if "test" in phases:
            continue
        if "pre-install" in phases:
            rows.append((0, weight, "pre-install", d))
        elif phases:
            rows.append((3, weight, phases[0], d))
        elif d["kind"] == "CronJob":
            rows.append((2, 0, "cronjob", d))
        else:
            rows.append((1, 0, "install", d))
    rows.sort(key=lambda r: (r[0], r[1]))
    for _, weight, phase, d in rows:
        print(f"{phase} {weight} {d['kind']}/{d['metadata']['name']}")


def replicas(docs, ref):
    obj = find(docs, ref)
    kind, name = ref.split("/", 1)
    for d in docs:
        if d["kind"] == "HorizontalPodAutoscaler" and d["spec"]["scaleTargetRef"]["name"] == name \
                and d["spec"]["scaleTargetRef"]["kind"] == kind:
            return d["spec"].get("minReplicas", 1)
    return obj["spec"].get("replicas", 1)


def container_of(obj):
    spec = pod_template(obj)["spec"]
    if spec.get("initContainers"):
        die(f"{obj['metadata']['name']}: init containers are not reproduced")
    if len(spec["containers"]) != 1:
        die(f"{obj['metadata']['name']}: {len(spec['containers'])} containers; one is reproduced")
    return spec, spec["containers"][0]


def secret_names(docs):
    names = set()
    for d in docs:
        if d["kind"] not in WORKLOADS or "test" in hook_phases(d):
            continue
        spec, c = container_of(d)
        for v in spec.get("volumes", []):
            if "secret" in v:
                names.add(v["secret"]["secretName"])
        for e in c.get("env", []):
            ref = (e.get("valueFrom") or {}).get("secretKeyRef")
            if ref:
                names.add(ref["name"])
        for e in c.get("envFrom", []):
            if "secretRef" in e:
                names.add(e["secretRef"]["name"])
    for n in sorted(names):
        print(n)


def named_port(container, port):
    if isinstance(port, int):
        return port
    for p in container.get("ports", []):
        if p.get("name") == port:
            return p["containerPort"]
    die(f"port {port} is not declared by the container")


def probe(docs, ref):
    _, c = container_of(find(docs, ref))
    p = c.get("readinessProbe") or c.get("startupProbe")
    if not p:
        die(f"{ref} has no readiness probe")
    if "httpGet" in p:
        print(f"http {named_port(c, p['httpGet']['port'])} {p['httpGet']['path']}")
    elif "tcpSocket" in p:
        print(f"tcp {named_port(c, p['tcpSocket']['port'])}")
    else:
        die(f"{ref}: unsupported probe {p}")


def configmap(docs, name):
    for d in docs:
        if d["kind"] == "ConfigMap" and d["metadata"]["name"] == name:
            return d.get("data") or {}
    die(f"ConfigMap {name} is not rendered by the chart")


def secret_key(secrets, name, key):
    path = os.path.join(secrets, name, key)
    if not os.path.isfile(path):
        die(f"Secret {name} has no key {key} ({path})")
    return path


def quantity_bytes(q):
    m = re.fullmatch(r"([0-9.]+)(Ki|Mi|Gi|Ti|k|M|G|T)?", str(q))
    if not m:
        die(f"quantity {q}")
    factor = {None: 1, "Ki": 1024, "Mi": 1024**2, "Gi": 1024**3, "Ti": 1024**4, "k": 1000, "M": 1000**2, "G": 1000**3, "T": 1000**4}[m.group(2)]
    return int(float(m.group(1)) * factor)


def cpus(q):
    q = str(q)
    return str(int(q[:-1]) / 1000) if q.endswith("m") else q


def field(path, pod, ip, namespace, labels):
    if path == "metadata.name":
        return pod
    if path == "metadata.namespace":
        return namespace
    if path == "status.podIP":
        return ip
    m = re.fullmatch(r"metadata\.labels\['([^']+)'\]", path)
    if m:
        return labels[m.group(1)]
    die(f"fieldRef {path}")


def project_volume(docs, ref, v, folder, secrets, fs_group):
    """Writes a Secret or ConfigMap volume as the kubelet's atomic writer does: the items in a
    fresh ..<timestamp> folder, the ..data symlink renamed over to point at it, one symlink per
    top-level item through ..data, the previous folder removed. A mounted pod sees the old set or
    the new one, never a mix: the layout ClusterTlsReloader is written against (decision 0029)."""
    source = v.get("secret") or v.get("configMap")
    mode = source.get("defaultMode", 0o644)
    files = {}
    if "secret" in v:
        name = source["secretName"]
        keys = sorted(os.listdir(os.path.join(secrets, name))) if os.path.isdir(os.path.join(secrets, name)) else []
        items = source.get("items") or [{"key": k, "path": k} for k in keys]
        if not items:
            die(f"Secret {name} is missing or empty")
        for it in items:
            with open(secret_key(secrets, name, it["key"]), "rb") as f:
                files[it["path"]] = f.read()
    else:
        data = configmap(docs, source["name"])
        items = source.get("items") or [{"key": k, "path": k} for k in data]
        for it in items:
            files[it["path"]] = data[it["key"]].encode()
    os.makedirs(folder, exist_ok=True)
    os.chmod(folder, 0o755)
    previous = os.readlink(os.path.join(folder, "..data")) if os.path.islink(os.path.join(folder, "..data")) else None
    stamp = "..%s.%d" % (time.strftime("%Y_%m_%d_%H_%M_%S", time.gmtime()), time.monotonic_ns())
    for path, content in files.items():
        target = os.path.join(folder, stamp, path)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as f:
            f.write(content)
        os.chown(target, 0, fs_group if fs_group is not None else 0)
        os.chmod(target, mode)
    for root, _, _ in os.walk(os.path.join(folder, stamp)):
        os.chmod(root, 0o755)
    temporary = os.path.join(folder, "..data_tmp")
    if os.path.lexists(temporary):
        os.remove(temporary)
    os.symlink(stamp, temporary)
    os.rename(temporary, os.path.join(folder, "..data"))
    for top in {p.split("/", 1)[0] for p in files}:
        link = os.path.join(folder, top)
        if not os.path.islink(link):
            if os.path.lexists(link):
                die(f"{ref}: {link} is not a symlink")
            os.symlink(os.path.join("..data", top), link)
    if previous and previous != stamp:
        shutil.rmtree(os.path.join(folder, previous), ignore_errors=True)


def project(docs, ref, opts):
    """Re-projects every Secret volume of a running pod from --secrets (the kubelet's sync after a
    Secret changed); prints the volumes it wrote."""
    obj = find(docs, ref)
    spec, c = container_of(obj)
    fs_group = (spec.get("securityContext") or {}).get("fsGroup")
    volumes = {v["name"]: v for v in spec.get("volumes", [])}
    state = os.path.join(opts["state"], opts["pod"])
    for m in c.get("volumeMounts", []):
        v = volumes[m["name"]]
        if "secret" in v and not m.get("subPath"):
            project_volume(docs, ref, v, os.path.join(state, m["name"]), opts["secrets"], fs_group)
            print(m["name"])


def argv(docs, ref, opts):
    obj = find(docs, ref)
    spec, c = container_of(obj)
    template = pod_template(obj)
    labels = template["metadata"].get("labels") or {}
    pod, ip, namespace = opts["pod"], opts.get("ip"), opts.get("namespace", "default")
    psc, csc = spec.get("securityContext") or {}, c.get("securityContext") or {}
    out = ["--name", pod, "--hostname", pod[:63], "--network", opts["network"]]
    if ip:
        out += ["--ip", ip]
    for label in opts.get("label", []):
        out += ["--label", label]
    for spec_ in opts.get("publish", []):
        out += ["-p", spec_]

    uid = csc.get("runAsUser", psc.get("runAsUser"))
    gid = csc.get("runAsGroup", psc.get("runAsGroup"))
    if (csc.get("runAsNonRoot", psc.get("runAsNonRoot"))) and (uid is None or uid == 0):
        die(f"{ref}: runAsNonRoot without a non-root runAsUser")
    if uid is not None:
        out += ["--user", f"{uid}:{gid if gid is not None else uid}"]
    fs_group = psc.get("fsGroup")
    if fs_group is not None:
        out += ["--group-add", str(fs_group)]
    if csc.get("readOnlyRootFilesystem"):
        out.append("--read-only")
    for cap in (csc.get("capabilities") or {}).get("drop", []):
        out += ["--cap-drop", cap]
    for cap in (csc.get("capabilities") or {}).get("add", []):
        out += ["--cap-add", cap]
    if csc.get("allowPrivilegeEscalation") is False:
        out += ["--security-opt", "no-new-privileges"]
    if csc.get("privileged"):
        die(f"{ref}: privileged containers are not reproduced")

    limits = (c.get("resources") or {}).get("limits") or {}
    if "memory" in limits:
        out += ["--memory", str(quantity_bytes(limits["memory"]))]
    if "cpu" in limits:
        out += ["--cpus", cpus(limits["cpu"])]

    # Services selecting this pod: their names resolve to it (the port numbers must match).
    for d in docs:
        if d["kind"] != "Service" or "test" in hook_phases(d):
            continue
        selector = d["spec"].get("selector") or {}
        if selector and all(labels.get(k) == v for k, v in selector.items()):
            names = [d["metadata"]["name"], f"{d['metadata']['name']}.{namespace}.svc", f"{d['metadata']['name']}.{namespace}.svc.cluster.local"]
            for n in names:
                out += ["--network-alias", n]
            for p in d["spec"].get("ports", []):
                target = named_port(c, p.get("targetPort", p["port"]))
                if target != p["port"]:
                    print(f"podrun: note: Service {d['metadata']['name']} port {p['port']} -> {target}: reach it on {target}", file=sys.stderr)

    env = []
    if opts.get("kube-api"):
        host, _, kport = opts["kube-api"].rpartition(":")
        env += [("KUBERNETES_SERVICE_HOST", host), ("KUBERNETES_SERVICE_PORT", kport)]
    if spec.get("automountServiceAccountToken", True):
        if not opts.get("service-account"):
            die(f"{ref} mounts a service account token: give --service-account")
        out += ["-v", f"{os.path.abspath(opts['service-account'])}:/var/run/secrets/kubernetes.io/serviceaccount:ro"]
    if opts.get("pods"):
        known = {}
        if os.path.exists(opts["pods"]):
            with open(opts["pods"]) as f:
                known = json.load(f)
        known[pod] = {"labels": labels, "podIP": ip}
        with open(opts["pods"], "w") as f:
            json.dump(known, f)
    for e in c.get("envFrom", []):
        if "configMapRef" in e:
            for k, v in configmap(docs, e["configMapRef"]["name"]).items():
                env.append((k, str(v)))
        elif "secretRef" in e:
            d = os.path.join(opts["secrets"], e["secretRef"]["name"])
            if not os.path.isdir(d):
                die(f"Secret {e['secretRef']['name']} (envFrom) is missing: {d}")
            for k in sorted(os.listdir(d)):
                with open(os.path.join(d, k)) as f:
                    env.append((k, f.read()))
    for e in c.get("env", []):
        if "value" in e:
            env.append((e["name"], str(e["value"])))
        elif "valueFrom" in e:
            vf = e["valueFrom"]
            if "fieldRef" in vf:
                env.append((e["name"], field(vf["fieldRef"]["fieldPath"], pod, ip, namespace, labels)))
            elif "secretKeyRef" in vf:
                with open(secret_key(opts["secrets"], vf["secretKeyRef"]["name"], vf["secretKeyRef"]["key"])) as f:
                    env.append((e["name"], f.read()))
            elif "configMapKeyRef" in vf:
                env.append((e["name"], str(configmap(docs, vf["configMapKeyRef"]["name"])[vf["configMapKeyRef"]["key"]])))
            else:
                die(f"{ref}: env {e['name']}: unsupported valueFrom")
        else:
            env.append((e["name"], ""))
    for k, v in env:
        if "\n" in v:
            die(f"{ref}: env {k} holds a line break")
        out += ["-e", f"{k}={v}"]

    volumes = {v["name"]: v for v in spec.get("volumes", [])}
    state = os.path.join(opts["state"], pod)
    shutil.rmtree(state, ignore_errors=True)
    projected = set()
    for m in c.get("volumeMounts", []):
        v = volumes.get(m["name"]) or die(f"{ref}: volumeMount {m['name']} has no volume")
        ro = m.get("readOnly", False)
        if "emptyDir" in v:
            size = v["emptyDir"].get("sizeLimit")
            if m.get("subPath"):
                die(f"{ref}: subPath of an emptyDir")
            opt = "rw,mode=1777" + (f",size={quantity_bytes(size)}" if size else "")
            out += ["--tmpfs", f"{m['mountPath']}:{opt}"]
            continue
        if "secret" in v or "configMap" in v:
            folder = os.path.join(state, m["name"])
            if m["name"] not in projected:
                project_volume(docs, ref, v, folder, opts["secrets"], fs_group)
                projected.add(m["name"])
            # A subPath is bound to the file itself, as the kubelet binds it: it never sees an update.
            host = os.path.realpath(os.path.join(folder, m["subPath"])) if m.get("subPath") else folder
            if not os.path.exists(host):
                die(f"{ref}: subPath {m.get('subPath')} is not in volume {m['name']}")
            out += ["-v", f"{os.path.abspath(host)}:{m['mountPath']}:ro"]
            if not ro:
                print(f"podrun: note: {m['name']} is mounted read-only (Kubernetes mounts Secret and ConfigMap volumes read-only)", file=sys.stderr)
            continue
        if "persistentVolumeClaim" in v:
            folder = os.path.join(opts["volumes"], v["persistentVolumeClaim"]["claimName"])
            os.makedirs(folder, exist_ok=True)
            if fs_group is not None:
                os.chown(folder, 0, fs_group)
                os.chmod(folder, 0o2775)
            out += ["-v", f"{os.path.abspath(folder)}:{m['mountPath']}" + (":ro" if ro else "")]
            continue
        die(f"{ref}: volume {m['name']} of an unsupported type")

    command, args = c.get("command"), c.get("args")
    if command:
        out += ["--entrypoint", command[0]]
    out.append(c["image"])
    if command:
        out += command[1:]
    if args:
        out += args
    for a in out:
        if "\n" in a:
            die(f"{ref}: an argument holds a line break")
        print(a)


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    cmd, docs = sys.argv[1], load(sys.argv[2])
    if cmd == "order":
        order(docs)
    elif cmd == "secrets":
        secret_names(docs)
    elif cmd == "replicas":
        print(replicas(docs, sys.argv[3]))
    elif cmd == "certificates":
        for d in docs:
            if d["kind"] == "Certificate":
                names = d["spec"].get("dnsNames", []) + [f"IP:{ip}" for ip in d["spec"].get("ipAddresses", [])]
                print(d["spec"]["secretName"], ",".join(n if n.startswith("IP:") else f"DNS:{n}" for n in names))
    elif cmd == "probe":
        probe(docs, sys.argv[3])
    elif cmd in ("argv", "project"):
        opts, rest = {"label": [], "publish": []}, sys.argv[4:]
        while rest:
            key, value, rest = rest[0].lstrip("-"), rest[1], rest[2:]
            if key in ("label", "publish"):
                opts[key].append(value)
            else:
                opts[key] = value
        for required in ("pod", "secrets", "state") + (("network", "volumes") if cmd == "argv" else ()):
            if required not in opts:
                die(f"--{required} is required")
        (argv if cmd == "argv" else project)(docs, sys.argv[3], opts)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
