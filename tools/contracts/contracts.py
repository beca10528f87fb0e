#!/usr/bin/env python3
"""The contracts between the chart, the code, the scripts and the operators' documents.

Called by scripts/check-contracts.sh with the rendered chart of each values file (one
`--render NAME=FILE` per file, rendered for the release name and namespace the runbooks
document). Each check prints "ok   ..." or "FAIL ..." with the offending names; the exit status
is the number of failed checks (capped at 100).

The configuration keys a host reads are generated from its source: the options classes (a
`SectionName` constant and their public properties, nested classes and arrays followed), the
sections bound to framework options (`GetSection($"{X.SectionName}:Membership")`) and the
literal keys ("Encryption:KeyRingFile") of the projects the host references.
"""
from __future__ import annotations

import argparse
import base64
import json
import pathlib
import re
import subprocess
import sys

import yaml

import connection_budget

ROOT = pathlib.Path(__file__).resolve().parents[2]
CHART = ROOT / "deploy/helm/clinic-cluster"

# Environment variables read by the hosting frameworks rather than our configuration:
# ASP.NET Core (environment, listen URLs), the generic host's HostOptions (shutdownTimeoutSeconds)
# and Orleans Kubernetes hosting (downward API).
FRAMEWORK_ENV = {
    "ASPNETCORE_ENVIRONMENT", "DOTNET_ENVIRONMENT", "ASPNETCORE_URLS", "shutdownTimeoutSeconds",
    "POD_NAME", "POD_NAMESPACE", "POD_IP", "ORLEANS_SERVICE_ID", "ORLEANS_CLUSTER_ID",
}
# The .NET hosts and the projects they are built from (the rest is found through ProjectReference).
HOSTS = {"silo": "src/Silo/Silo.csproj", "api": "src/Api/Api.csproj"}
# Namespaces the documents may name besides the release's: the database's (runbooks' DB_NS) and
# the operators' of the prerequisites.
OPERATOR_NAMESPACES = {"cert-manager", "cnpg-system", "external-secrets", "monitoring", "keda", "ingress-nginx", "kube-system"}

results: list[tuple[bool, str]] = []


def check(ok: bool, message: str, problems: list[str] | None = None) -> None:
    results.append((ok, message))
    print(("ok   " if ok else "FAIL ") + message)
    for problem in (problems or [])[:40]:
        print("       " + problem)


# ---------------------------------------------------------------- configuration keys from code


def project_dirs(csproj: str) -> list[pathlib.Path]:
    seen: list[pathlib.Path] = []
    stack = [ROOT / csproj]
    while stack:
        path = stack.pop().resolve()
        if path.parent in seen:
            continue
        seen.append(path.parent)
        for ref in re.findall(r'ProjectReference Include="([^"]+)"', path.read_text()):
            stack.append(path.parent / ref.replace("\\", "/"))
    return seen


CLASS_RE = re.compile(r"\b(?:class|record)\s+(\w+)")
PROP_RE = re.compile(r"^\s*public\s+(?!const|static|override)([\w.<>\[\]?, ]+?)\s+(\w+)\s*\{\s*get;", re.M)


def classes_in(dirs: list[pathlib.Path]) -> dict[str, str]:
    """Class name -> its text (from its declaration to the next declaration in the file); a
    file's top-level statements (Program.cs) under "<file>"."""
    found: dict[str, str] = {}
    for d in dirs:
        for f in d.rglob("*.cs"):
            if "/obj/" in str(f) or "/bin/" in str(f):
                continue
            text = f.read_text()
            marks = list(CLASS_RE.finditer(text))
            found[f"<{f}>"] = text[:marks[0].start()] if marks else text
            for i, m in enumerate(marks):
                end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
                found.setdefault(m.group(1), text[m.start():end])
    return found


def keys_of_class(name: str, classes: dict[str, str], prefix: str, keys: set[str], open_prefixes: set[str], depth: int = 0) -> None:
    body = classes.get(name)
    if body is None or depth > 4:
        return
    for ptype, pname in PROP_RE.findall(body):
        key = f"{prefix}:{pname}".lower()
        ptype = ptype.replace("?", "").strip()
        inner = re.sub(r"^(IReadOnlyList|IList|List|IEnumerable|ICollection)<(.+)>$", r"\2[]", ptype)
        if inner.endswith("[]"):
            element = inner[:-2]
            if element in classes:
                keys_of_class(element, classes, f"{prefix}:{pname}:*", keys, open_prefixes, depth + 1)
            else:
                keys.add(key + ":*")
        elif re.match(r"^I?(Read[Oo]nly)?Dictionary<", ptype):
            open_prefixes.add(key + ":")
        elif ptype in classes and ptype != name:
            keys_of_class(ptype, classes, f"{prefix}:{pname}", keys, open_prefixes, depth + 1)
        else:
            keys.add(key)


def host_keys(host: str) -> tuple[set[str], set[str]]:
    dirs = project_dirs(HOSTS[host])
    classes = classes_in(dirs)
    keys: set[str] = set()
    open_prefixes: set[str] = set()
    sections = {}
    for cname, body in classes.items():
        m = re.search(r'const string SectionName = "([^"]+)"', body)
        if m:
            sections[cname] = m.group(1)
            keys_of_class(cname, classes, m.group(1), keys, open_prefixes)
    for body in classes.values():
        for cname, sub in re.findall(r'GetSection\(\$"\{(\w+)\.SectionName\}:(\w+)"\)', body):
            if cname in sections:
                open_prefixes.add(f"{sections[cname]}:{sub}:".lower())
        for literal in re.findall(r'"([A-Z][A-Za-z]+(?::[A-Z][A-Za-z]+)+)"', body):
            keys.add(literal.lower())
    return keys, open_prefixes


def is_bound(key: str, keys: set[str], open_prefixes: set[str]) -> bool:
    k = key.replace("__", ":").lower()
    k_star = re.sub(r":\d+(?=:|$)", ":*", k)
    return k in keys or k_star in keys or any(k.startswith(p) for p in open_prefixes)


# ---------------------------------------------------------------- rendered objects


def load(path: str) -> list[dict]:
    with open(path) as f:
        return [d for d in yaml.safe_load_all(f) if isinstance(d, dict)]


def compose_objects() -> list[dict]:
    """compose.yaml's services as pods (one container each; secrets under /run/secrets), so the
    env checks read them as they read the chart."""
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    pods = []
    for name, service in (compose.get("services") or {}).items():
        env = service.get("environment") or {}
        if isinstance(env, list):
            env = dict(e.split("=", 1) for e in env)
        command = service.get("command") or []
        container = {
            "name": name, "image": re.sub(r"\$\{\w+:-([^}]+)\}", r"\1", service.get("image", "")),
            "args": command if isinstance(command, list) else command.split(),
            "env": [{"name": k, "value": None if v is None else str(v)} for k, v in env.items()],
            "volumeMounts": [{"mountPath": "/run/secrets"}] + [
                {"mountPath": v.split(":")[1] if isinstance(v, str) else v.get("target", "")} for v in service.get("volumes") or []],
        }
        pods.append({"kind": "Pod", "metadata": {"name": f"compose-{name}"}, "spec": {"containers": [container]}})
    return pods


def pod_specs(objects: list[dict]):
    """(object, pod spec) for every workload and bare pod."""
    for o in objects:
        kind = o.get("kind")
        spec = o.get("spec") or {}
        if kind in ("Deployment", "StatefulSet", "DaemonSet", "Job"):
            yield o, spec["template"]["spec"]
        elif kind == "CronJob":
            yield o, spec["jobTemplate"]["spec"]["template"]["spec"]
        elif kind == "Pod":
            yield o, spec


def host_of(container: dict) -> str | None:
    repo = container.get("image", "").split("@")[0].rsplit(":", 1)[0]
    last = repo.rsplit("/", 1)[-1]
    return last if last in HOSTS and "clinic-cluster" in repo else None


def env_map(container: dict) -> dict[str, str | None]:
    return {e["name"]: e.get("value") for e in container.get("env") or []}


def check_env(name: str, objects: list[dict], host_tables: dict) -> None:
    unbound, missing = [], []
    for o, spec in pod_specs(objects):
        for c in (spec.get("initContainers") or []) + spec.get("containers", []):
            host = host_of(c)
            if host is None:
                continue
            where = f"{o['kind']} {o['metadata']['name']}/{c['name']} ({host})"
            env = env_map(c)
            keys, prefixes = host_tables[host]
            for key in env:
                if key in FRAMEWORK_ENV:
                    continue
                if "__" not in key or not is_bound(key, keys, prefixes):
                    unbound.append(f"{where}: {key} is read by nothing in the {host}'s code")
            # Every *File setting names a file under a mounted volume.
            mounts = [m["mountPath"] for m in c.get("volumeMounts") or []]
            for key, value in env.items():
                if key.endswith("File") and value and not any(value.startswith(m.rstrip("/") + "/") or value == m for m in mounts):
                    missing.append(f"{where}: {key}={value} is not under a mounted volume")
            args = " ".join(c.get("args") or [])
            serving = not args or args.startswith("--")  # the host itself, not a one-shot command
            clustered = env.get("Silo__Clustering", env.get("Cluster__Clustering", "Localhost")) != "Localhost"
            if clustered and env.get("ClusterTls__Enabled") != "false":
                for k in ("ClusterTls__CertificateFile", "ClusterTls__KeyFile", "ClusterTls__CaFile"):
                    if k not in env and (serving or host == "api"):
                        missing.append(f"{where}: AdoNet clustering needs {k} (or ClusterTls__Enabled=false)")
            if host == "silo" and serving:
                for k in ("Encryption__KeyRingFile", "Audit__ChainKeyFile"):
                    if k not in env:
                        missing.append(f"{where}: the silo needs {k}")
            if env.get("Postgres__SslMode") in ("VerifyFull", "VerifyCA") and "Postgres__RootCertificateFile" not in env:
                missing.append(f"{where}: Postgres__SslMode={env['Postgres__SslMode']} needs Postgres__RootCertificateFile")
            if not any(k.startswith("Postgres__ConnectionString") or k.startswith("Postgres__MigrationConnectionString") for k in env) \
                    and env.get("Silo__Storage", "PostgreSql") != "Memory":
                missing.append(f"{where}: no Postgres__*ConnectionString* setting")
    check(not unbound, f"{name}: every env key a rendered pod sets is bound in the code", unbound)
    check(not missing, f"{name}: every setting the mode requires is set", missing)


def check_secret_formats(name: str, objects: list[dict]) -> None:
    bad = []
    for o in objects:
        if o.get("kind") != "Secret":
            continue
        data = {k: v for k, v in (o.get("stringData") or {}).items()}
        data.update({k: base64.b64decode(v).decode() for k, v in (o.get("data") or {}).items()})
        for key, value in data.items():
            where = f"Secret {o['metadata']['name']} key {key}"
            if key.startswith("credentials"):
                lines = [l.strip() for l in value.splitlines() if l.strip() and not l.strip().startswith("#")]
                if not lines or any(":" not in l or l.startswith(":") or l.endswith(":") or l.startswith("{") for l in lines):
                    bad.append(f"{where}: Dashboard__CredentialsFile wants 'name:password' lines (OperatorCredentials.Parse)")
            if key in ("key-ring.json", "chain-key"):
                try:
                    ring = json.loads(value)
                    assert ring["activeKeyId"] in ring["keys"]
                except Exception:
                    bad.append(f"{where}: not a key ring (KeyRing.cs: activeKeyId, keys)")
    check(not bad, f"{name}: chart-made secret data has the format the code reads", bad)


def check_scaling(name: str, values: dict, objects: list[dict], namespace: str) -> None:
    problems = []
    custom = [o["metadata"]["name"] for o in objects if o.get("kind") == "HorizontalPodAutoscaler"
              and any(m.get("type") in ("Pods", "External", "Object") for m in o["spec"].get("metrics", []))]
    adapter = [o for o in objects if o.get("kind") == "ConfigMap" and o["metadata"]["name"].endswith("-adapter-rules")]
    if custom and not adapter:
        problems.append(f"HPA {', '.join(custom)} use Pods/External metrics but no Prometheus Adapter rules are rendered "
                        "(prometheusAdapter.configMap), so they could never read them (Resource metrics only, or configure the adapter)")
    for cm in adapter:
        if cm["metadata"].get("namespace") == namespace:
            problems.append(f"ConfigMap {cm['metadata']['name']} lands in the release namespace {namespace}; "
                            "the adapter mounts ConfigMaps of its own namespace (prometheusAdapter.namespace)")
    if (values.get("ingress") or {}).get("enabled"):
        for o, spec in pod_specs(objects):
            for c in spec.get("containers", []):
                if host_of(c) == "api" and not any(k.startswith("Proxy__KnownNetworks__") for k in env_map(c)):
                    problems.append(f"{o['metadata']['name']}: the Ingress is on but Proxy__KnownNetworks is not set: "
                                    "every client would share the ingress pod's rate limit")
    check(not problems, f"{name}: autoscaling metrics have an adapter, the API trusts its ingress", problems)


def check_install(name: str, values: dict, objects: list[dict]) -> None:
    """What makes a first install or `helm test` fail before any code runs."""
    problems = []
    for o in objects:
        if o.get("kind") == "Namespace":
            problems.append(f"Namespace {o['metadata']['name']} is rendered: the pre-install hooks run before it exists and "
                            "Helm refuses to adopt one created beforehand (create it with kubectl, docs/operations/deploy.md)")
    if values.get("environment", "Production") != "Development":
        for o, spec in pod_specs(objects):
            if (o["metadata"].get("annotations") or {}).get("helm.sh/hook") != "test":
                continue
            script = " ".join(" ".join(c.get("args") or []) for c in spec["containers"])
            if "/api/clinics/demo" in script:
                problems.append(f"Pod {o['metadata']['name']}: books in clinic demo, which only the Development seed creates")
            if not re.search(r'/api/clinics"', script) or "POST" not in script:
                problems.append(f"Pod {o['metadata']['name']}: does not create its own test clinic")
    check(not problems, f"{name}: the install needs no namespace of its own and helm test brings its own clinic", problems)


def check_connection_budget(name: str, values: dict, objects: list[dict]) -> None:
    """Behind PgBouncer, every pod's pool at max scale fits PgBouncer and PostgreSQL (connection_budget.py)."""
    full = connection_budget.merged(yaml.safe_load((CHART / "values.yaml").read_text()), values)
    result = connection_budget.check(objects, full, pod_specs, env_map)
    if result is None:
        return
    ok, figures, problems = result
    if name in ("values-production", "values-staging"):
        server = connection_budget.server_max_connections((ROOT / "deploy/cloudnative-pg/cluster.yaml").read_text().splitlines())
        if server != full["postgres"]["maxConnections"]:
            ok = False
            problems.append(f"postgres.maxConnections {full['postgres']['maxConnections']} is not deploy/cloudnative-pg/cluster.yaml's "
                            f"max_connections {server}")
    check(ok, f"{name}: PgBouncer and PostgreSQL hold every pod's pool at max scale: {figures}", problems)


def check_workflow_rollback() -> None:
    text = (ROOT / ".github/workflows/deploy.yml").read_text()
    problems = []
    for step in re.split(r"\n\s*- (?=name:|uses:)", text):
        if "helm rollback" in step and "failure()" in step:
            problems.append("deploy.yml: a step runs `helm rollback` on failure(): a failed `helm test` would roll back a healthy "
                            "release (--atomic already rolls back a failed upgrade)")
    check(not problems, "deploy.yml rolls back only a failed upgrade (--atomic), never on a failed helm test", problems)


# ---------------------------------------------------------------- images


def image_names_built() -> set[str]:
    # scripts/image.sh says what it builds (`--list`, one reference a line); the base-image
    # stand-ins are read from scripts/image-bases.sh's build lines.
    listed = subprocess.run(["bash", "scripts/image.sh", "--list"], cwd=ROOT, capture_output=True, text=True, check=True)
    built = {repo_name(line.strip()) for line in listed.stdout.splitlines() if line.strip()}
    text = (ROOT / "scripts/image-bases.sh").read_text().replace("\\\n", " ")
    for line in text.splitlines():
        if "docker build" not in line or line.lstrip().startswith(("#", "log ")):
            continue
        built.update(repo_name(tag) for tag in re.findall(r'-t\s+"?([^"\s]+)', line))
    return built


def repo_name(image: str) -> str:
    repo = image.split("@")[0]
    repo = re.sub(r":[^/]*$", "", repo)
    return repo.rsplit("/", 1)[-1]


def own(image: str) -> bool:
    return "clinic-cluster/" in image or image.startswith(("$REGISTRY/", "${REGISTRY}/", '"$REGISTRY/'))


def check_images(renders: dict[str, list[dict]]) -> None:
    named: dict[str, set[str]] = {}
    for rname, objects in renders.items():
        for o, spec in pod_specs(objects):
            for c in (spec.get("initContainers") or []) + spec.get("containers", []):
                named.setdefault(c["image"], set()).add(f"chart ({rname}) {o['kind']} {o['metadata']['name']}")
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    for sname, service in (compose.get("services") or {}).items():
        if "image" in service:
            image = re.sub(r"\$\{\w+:-([^}]+)\}", r"\1", service["image"])
            named.setdefault(image, set()).add(f"compose.yaml service {sname}")
    for wf in sorted((ROOT / ".github/workflows").glob("*.yml")):
        text = wf.read_text()
        loops = re.findall(r"for target in ([\w ]+); do", text)
        for image in re.findall(r'(?:-t|image-ref:|image:)[ \t]+"?([\w.${}/-]+(?::[\w.${}-]+)?)', text):
            images = [image.replace("$target", w) for loop in loops for w in loop.split()] if "$target" in image else [image]
            for i in images:
                named.setdefault(i, set()).add(f"{wf.relative_to(ROOT)}")
    built = image_names_built()
    problems, upstream = [], set()
    for image, where in sorted(named.items()):
        if not own(image):
            upstream.add(re.sub(r"@.*", "", image))
            continue
        if repo_name(image) not in built:
            problems.append(f"{image} (named by {', '.join(sorted(where))}) is built by no line of scripts/image.sh")
    check(not problems, f"every image of ours the chart, compose.yaml and the workflows name is built by scripts/image.sh "
                        f"(built: {', '.join(sorted(built))}; upstream, pulled as is: {', '.join(sorted(upstream)) or 'none'})", problems)


# ---------------------------------------------------------------- script paths


def check_script_paths() -> None:
    files = [ROOT / "Makefile", ROOT / "README.md"]
    files += sorted((ROOT / "docs/runbooks").glob("*.md")) + sorted((ROOT / "docs/operations").glob("*.md"))
    files += sorted(CHART.rglob("*.yaml")) + sorted(CHART.rglob("*.tpl")) + sorted(CHART.rglob("*.txt"))
    problems = []
    count = 0
    for f in files:
        for n, line in enumerate(f.read_text().splitlines(), 1):
            for path in re.findall(r"(?<![\w/.-])(scripts/[\w./-]+\.(?:sh|py|mjs))", line):
                count += 1
                if not (ROOT / path).is_file():
                    problems.append(f"{f.relative_to(ROOT)}:{n}: {path} does not exist")
    check(not problems, f"every script path named in the chart, Makefile, README, docs/runbooks and docs/operations exists ({count} mentions)", problems)


# ---------------------------------------------------------------- operators' commands


def documented_release() -> tuple[str, str, str]:
    text = (ROOT / "docs/runbooks/README.md").read_text()
    env = dict(re.findall(r"\b(NS|RELEASE|DB_NS)=([\w.-]+)", text))
    return env["RELEASE"], env["NS"], env.get("DB_NS", "database")


KIND_ALIASES = {
    "deploy": "Deployment", "deployment": "Deployment", "deployments": "Deployment",
    "svc": "Service", "service": "Service", "cronjob": "CronJob", "cronjobs": "CronJob",
    "job": "Job", "jobs": "Job", "secret": "Secret", "secrets": "Secret", "configmap": "ConfigMap", "cm": "ConfigMap",
    "statefulset": "StatefulSet", "sts": "StatefulSet", "pvc": "PersistentVolumeClaim", "hpa": "HorizontalPodAutoscaler",
    "externalsecret": "ExternalSecret", "certificate": "Certificate", "networkpolicy": "NetworkPolicy",
}


def command_lines(path: pathlib.Path) -> list[tuple[int, str]]:
    """Lines of the fenced shell blocks and of inline `code` that run kubectl/helm, continuation lines joined."""
    out, in_block, pending, start = [], False, "", 0
    for n, line in enumerate(path.read_text().splitlines(), 1):
        if line.strip().startswith("```"):
            in_block = not in_block and line.strip()[3:] in ("bash", "sh", "shell", "console")
            continue
        if in_block:
            if not pending:
                start = n
            pending += line.rstrip("\\").strip() + " "
            if not line.rstrip().endswith("\\"):
                out.append((start, pending.strip()))
                pending = ""
        else:
            for code in re.findall(r"`([^`]*(?:kubectl|helm)[^`]*)`", line):
                out.append((n, code))
    return out


def rendered_names(objects: list[dict]) -> dict[str, set[str]]:
    names: dict[str, set[str]] = {}
    for o in objects:
        names.setdefault(o["kind"], set()).add(o["metadata"]["name"])
        if o["kind"] == "ExternalSecret":
            names.setdefault("Secret", set()).add(((o["spec"].get("target") or {}).get("name")) or o["metadata"]["name"])
        if o["kind"] == "Certificate":
            names.setdefault("Secret", set()).add(o["spec"]["secretName"])
        if o["kind"] == "CronJob":
            names.setdefault("Job", set()).add(o["metadata"]["name"] + "-*")
        if o["kind"] == "Ingress" and "cert-manager.io/cluster-issuer" in (o["metadata"].get("annotations") or {}):
            for tls in o["spec"].get("tls") or []:
                names.setdefault("Secret", set()).add(tls["secretName"])  # cert-manager's ingress-shim issues it
    return names


def referenced_secrets(objects: list[dict]) -> dict[str, set[str]]:
    """Secret name -> where the render uses it."""
    refs: dict[str, set[str]] = {}

    def walk(node, where):
        if isinstance(node, dict):
            for k, v in node.items():
                if k == "secretName" and isinstance(v, str):
                    refs.setdefault(v, set()).add(where)
                elif k in ("secretKeyRef", "secretRef") and isinstance(v, dict) and "name" in v:
                    refs.setdefault(v["name"], set()).add(where)
                elif k == "credentials" and isinstance(v, dict) and "name" in v:
                    refs.setdefault(v["name"], set()).add(where)
                else:
                    walk(v, where)
        elif isinstance(node, list):
            for v in node:
                walk(v, where)

    for o in objects:
        walk(o.get("spec"), f"{o['kind']} {o['metadata']['name']}")
    return refs


def check_documents(renders: dict[str, list[dict]], release: str, namespace: str, db_ns: str, production: str,
                    other_namespaces: set[str]) -> None:
    objects = renders[production]
    names = rendered_names(objects)
    docs = sorted((ROOT / "docs/runbooks").glob("*.md")) + [ROOT / "docs/operations/deploy.md"]
    wrong_release, wrong_ns, unknown = [], [], []
    count = 0
    allowed_ns = {namespace, db_ns} | OPERATOR_NAMESPACES | other_namespaces

    def expand(s: str, local: dict[str, str]) -> str:
        s = s.replace('"', "").replace("${RELEASE}", release).replace("$RELEASE", release) \
            .replace("${NS}", namespace).replace("$NS", namespace).replace("$DB_NS", db_ns)
        for var, value in local.items():
            s = s.replace("${" + var + "}", value).replace("$" + var, value)
        return s

    for doc in docs:
        rel = doc.relative_to(ROOT)
        # A document's own literal assignments (SECRET=clinic-cluster-cluster-tls) name objects too.
        local = {var: value for var, value in re.findall(r"^\s*([A-Z][A-Z0-9_]*)=([\w.-]+)\s*(?:#.*)?$", doc.read_text(), re.M)
                 if var not in ("RELEASE", "NS", "DB_NS")}
        for n, cmd in command_lines(doc):
            cmd = re.sub(r"(^|\s)#.*$", "", cmd)  # a trailing shell comment
            for part in re.split(r"&&|\|\||;|\|", cmd):
                words = part.split()
                if not words:
                    continue
                tool = next((w for w in words if w in ("helm", "kubectl")), None)
                if tool is None:
                    continue
                words = words[words.index(tool):]
                count += 1
                ns = None
                for i, w in enumerate(words):
                    if w in ("-n", "--namespace") and i + 1 < len(words):
                        ns = expand(words[i + 1], local)
                    elif w.startswith("--namespace="):
                        ns = expand(w.split("=", 1)[1], local)
                if ns and ns not in allowed_ns and not ns.startswith("<"):
                    wrong_ns.append(f"{rel}:{n}: namespace {ns} (documented: NS={namespace}, DB_NS={db_ns}): {part.strip()}")
                if tool == "helm":
                    flags_with_value = {"-n", "--namespace", "-f", "--values", "--set", "--timeout", "--max", "-o", "--history-max", "--version", "--kube-version"}
                    positional, skip = [], False
                    for w in words[1:]:
                        if skip:
                            skip = False
                            continue
                        if w in flags_with_value:
                            skip = True
                            continue
                        if not w.startswith("-"):
                            positional.append(expand(w, local))
                    if positional and positional[0] in ("install", "upgrade", "test", "history", "rollback", "uninstall", "status", "get", "diff", "template"):
                        verb = positional[0]
                        rest = positional[1:]
                        if verb in ("get", "diff") and rest:
                            rest = rest[1:]
                        # Ours: a command on this chart, or on a release in the release's namespace.
                        if verb in ("install", "upgrade", "template", "diff"):
                            ours = len(rest) > 1 and (rest[1] in ("$CHART", "${CHART}") or "helm/clinic-cluster" in rest[1])
                        else:
                            ours = ns in (namespace, None) or "$RELEASE" in part
                        if ours and rest and rest[0] != release and not rest[0].startswith("<"):
                            wrong_release.append(f"{rel}:{n}: helm {verb} {rest[0]} (documented release: {release})")
                    continue
                if ns not in (None, namespace):
                    continue
                refs = [(k, v) for k, v in re.findall(r"\b([a-z]+)/([\w$.{}\"()-]+)", part) if k in KIND_ALIASES]
                for m in re.finditer(r"\b(?:get|delete|describe|create|edit|patch|logs)\s+(?:secret generic|secret tls|secret|cronjob|configmap|deploy|deployment|job)\s+(\"?\$?[\w.${}-]+\"?)", part):
                    kind = m.group(0).split()[1]
                    refs.append(({"secret": "secret"}.get(kind, kind), m.group(1)))
                for kind, raw in refs:
                    name = expand(raw, local)
                    if name.startswith("<") or name.startswith("-"):
                        continue
                    kind_name = KIND_ALIASES[kind]
                    pattern = name.split("$(")[0]
                    candidates = names.get(kind_name, set())
                    if "$(" in name:
                        ok = any(c.startswith(pattern) for c in candidates)
                    else:
                        ok = name in candidates or any(c.endswith("-*") and name.startswith(c[:-1]) for c in candidates)
                    if kind_name == "Secret" and name in referenced_secrets(objects):
                        ok = True
                    if not ok:
                        unknown.append(f"{rel}:{n}: {kind}/{name} is not rendered for release {release} in {namespace} "
                                       f"(rendered {kind_name}s: {', '.join(sorted(candidates)) or 'none'})")
    workflow = (ROOT / ".github/workflows/deploy.yml").read_text()
    for m in re.finditer(r"^\s*(?:run:\s*)?helm (?:upgrade --install|test|rollback|history)\s+([\w$.-]+)", workflow, re.M):
        if m.group(1) != release:
            wrong_release.append(f".github/workflows/deploy.yml: helm ... {m.group(1)} (documented release: {release})")
    check(not wrong_release, f"docs/runbooks, docs/operations/deploy.md and deploy.yml use the documented release {release}", wrong_release)
    check(not wrong_ns, f"their commands name the documented namespaces ({count} commands)", wrong_ns)
    check(not unknown, f"every resource their commands name is rendered by the chart (values-production, release {release}, namespace {namespace})", unknown)


def check_secrets_documented(renders: dict[str, list[dict]], prod_like: list[str]) -> None:
    """Every Secret a non-development render uses but does not create, and every Secret the
    CloudNativePG manifests name, has a `kubectl create secret` command in the operators' docs."""
    texts = "\n".join(p.read_text() for p in [ROOT / "docs/operations/deploy.md", ROOT / "deploy/cloudnative-pg/README.md"])
    created = set(re.findall(r"create secret (?:generic|tls|docker-registry)\s+\"?([\w.${}-]+)", texts.replace("\\\n", " ")))
    problems = []
    for rname in prod_like:
        objects = renders[rname]
        made = rendered_names(objects).get("Secret", set())
        for secret, where in sorted(referenced_secrets(objects).items()):
            if secret not in made and secret not in created:
                problems.append(f"{rname}: {secret} (used by {', '.join(sorted(where))}) has no `kubectl create secret` in docs/operations/deploy.md")
    for manifest in sorted((ROOT / "deploy/cloudnative-pg").glob("*.yaml")):
        for doc in yaml.safe_load_all(manifest.read_text()):
            for secret, where in referenced_names_cnpg(doc):
                if secret not in created:
                    problems.append(f"{manifest.relative_to(ROOT)}: {secret} ({where}) has no `kubectl create secret` in the docs")
    check(not problems, "every Secret the production and staging installs need has a documented create command", problems)


def referenced_names_cnpg(node, path=""):
    if isinstance(node, dict):
        for k, v in node.items():
            if k in ("secret", "passwordSecret") and isinstance(v, dict) and "name" in v:
                yield v["name"], path + "." + k
            else:
                yield from referenced_names_cnpg(v, path + "." + k)
    elif isinstance(node, list):
        for v in node:
            yield from referenced_names_cnpg(v, path)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--render", action="append", default=[], help="NAME=rendered.yaml=values.yaml=namespace")
    parser.add_argument("--production", default="values-production")
    args = parser.parse_args()
    renders, values, namespaces = {}, {}, {}
    for spec in args.render:
        name, rendered, values_file, ns = spec.split("=", 3)
        renders[name] = load(rendered)
        values[name] = yaml.safe_load(open(values_file)) or {}
        namespaces[name] = ns
    host_tables = {h: host_keys(h) for h in HOSTS}
    print(f"configuration keys from the code: silo {len(host_tables['silo'][0])}, api {len(host_tables['api'][0])}")
    check_env("compose.yaml", compose_objects(), host_tables)
    for name, objects in renders.items():
        check_env(name, objects, host_tables)
        check_secret_formats(name, objects)
        check_scaling(name, values[name], objects, namespaces[name])
        check_install(name, values[name], objects)
        check_connection_budget(name, values[name], objects)
    check_images(renders)
    check_workflow_rollback()
    check_script_paths()
    release, namespace, db_ns = documented_release()
    check_documents(renders, release, namespace, db_ns, args.production, set(namespaces.values()))
    check_secrets_documented(renders, [n for n in renders if n in ("values-production", "values-staging")])
    failed = sum(1 for ok, _ in results if not ok)
    print(f"contracts.py: {len(results) - failed} passed, {failed} failed")
    return min(failed, 100)


if __name__ == "__main__":
    sys.exit(main())
