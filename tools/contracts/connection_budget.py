"""The PostgreSQL connection budget of a rendered release behind PgBouncer (issue 20).

In session mode each client connection holds one server connection for its whole life, so:
  1. one PgBouncer accepts every client at max scale (max_client_conn), since all of them
     reconnect to one PgBouncer while another restarts;
  2. the PgBouncers' server connections together (replicas x max_db_connections) cover every
     client at max scale, else clients wait for a server connection that only a disconnect frees;
  3. the PgBouncers during a rollout (replicas + maxSurge) x max_db_connections fit the server's
     max_connections minus the reserved sessions, so PostgreSQL never refuses a connection.
Clients are counted from the rendered objects: each Deployment whose containers set
Postgres__MaxPoolSize at its HPA's (or KEDA ScaledObject's) maxReplicas plus its maxSurge, each
CronJob that sets it once (concurrencyPolicy Forbid), and the backup (pg_dump: one connection).
"""
from __future__ import annotations

import configparser
from typing import Callable, Iterable


def _ini(objects: list[dict]) -> tuple[dict | None, dict[str, str]]:
    for o in objects:
        if o.get("kind") == "ConfigMap" and "pgbouncer.ini" in (o.get("data") or {}):
            parser = configparser.ConfigParser(interpolation=None, inline_comment_prefixes=None, comment_prefixes=(";", "#"))
            parser.read_string(o["data"]["pgbouncer.ini"])
            return o, dict(parser["pgbouncer"])
    return None, {}


def _max_pods(o: dict, objects: list[dict]) -> int:
    name = o["metadata"]["name"]
    pods = int(o["spec"].get("replicas") or 1)
    for scaler in objects:
        if scaler.get("kind") == "HorizontalPodAutoscaler" and scaler["spec"]["scaleTargetRef"]["name"] == name:
            pods = max(pods, int(scaler["spec"]["maxReplicas"]))
        if scaler.get("kind") == "ScaledObject" and scaler["spec"]["scaleTargetRef"]["name"] == name:
            pods = max(pods, int(scaler["spec"].get("maxReplicaCount") or pods))
    surge = ((o["spec"].get("strategy") or {}).get("rollingUpdate") or {}).get("maxSurge", 0)
    return pods + (surge if isinstance(surge, int) else 1)


def clients(objects: list[dict], pod_specs: Callable, env_map: Callable) -> list[tuple[str, int, int]]:
    """(workload, pods at most, connections per pod) of every PgBouncer client."""
    found = []
    for o, spec in pod_specs(objects):
        if o.get("kind") not in ("Deployment", "CronJob"):
            continue
        envs = [env_map(c) for c in spec.get("containers", [])]
        pool = sum(int(e["Postgres__MaxPoolSize"]) for e in envs if e.get("Postgres__MaxPoolSize"))
        if not pool and any("PGHOST" in e for e in envs):
            pool = 1  # pg_dump
        if pool:
            pods = _max_pods(o, objects) if o["kind"] == "Deployment" else 1
            found.append((o["metadata"]["name"], pods, pool))
    return found


def check(objects: list[dict], values: dict, pod_specs: Callable, env_map: Callable) -> tuple[bool, str, list[str]] | None:
    """None when the release renders no PgBouncer; else (ok, figures, problems)."""
    config, ini = _ini(objects)
    if config is None:
        return None
    name = config["metadata"]["name"]
    deployment = next(o for o in objects if o.get("kind") == "Deployment" and o["metadata"]["name"] == name)
    replicas = int(deployment["spec"].get("replicas") or 1)
    surge = ((deployment["spec"].get("strategy") or {}).get("rollingUpdate") or {}).get("maxSurge", 0)
    rollout = replicas + (surge if isinstance(surge, int) else 1)
    mode = ini.get("pool_mode", "session")
    max_client = int(ini.get("max_client_conn", 100))
    max_db = int(ini.get("max_db_connections", 0))  # 0: unlimited
    postgres = values.get("postgres") or {}
    server = int(postgres.get("maxConnections", 100)) - int(postgres.get("reservedConnections", 0))

    workloads = clients(objects, pod_specs, env_map)
    total = sum(pods * pool for _, pods, pool in workloads)
    detail = ", ".join(f"{w} {pods} x {pool}" for w, pods, pool in workloads)
    problems: list[str] = []
    if total > max_client:
        problems.append(f"max_client_conn {max_client} < {total} client connections at max scale ({detail}): "
                        "while one PgBouncer restarts the other refuses clients")
    if not max_db:
        problems.append("max_db_connections is unset: the PgBouncers could open more server connections than PostgreSQL allows")
    else:
        if mode == "session" and replicas * max_db < total:
            problems.append(f"session mode: {replicas} PgBouncers x max_db_connections {max_db} = {replicas * max_db} server connections "
                            f"< {total} client connections at max scale ({detail}): clients would wait for a server connection")
        if rollout * max_db > server:
            problems.append(f"{rollout} PgBouncers during a rollout x max_db_connections {max_db} = {rollout * max_db} > "
                            f"postgres.maxConnections - reservedConnections = {server}")
    figures = (f"{total} client connections at max scale ({detail}); {replicas} x {max_db} server connections "
               f"({mode} mode), {rollout} x {max_db} during a rollout, server share {server}")
    return not problems, figures, problems


def merged(defaults: dict, overrides: dict) -> dict:
    """Helm's merge of a values file over the chart's values.yaml (maps merge, the rest replaces)."""
    out = dict(defaults)
    for key, value in overrides.items():
        out[key] = merged(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def server_max_connections(lines: Iterable[str]) -> int | None:
    """max_connections of deploy/cloudnative-pg/cluster.yaml."""
    for line in lines:
        stripped = line.strip()
        if stripped.startswith("max_connections:"):
            return int(stripped.split(":", 1)[1].strip().strip('"'))
    return None
