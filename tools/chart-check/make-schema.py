#!/usr/bin/env python3
"""Writes deploy/helm/clinic-cluster/values.schema.json (kept in git; chart-check.sh verifies it is
up to date). A program rather than hand-written JSON so the shared shapes (image, resources,
probes, autoscaling, secret entries) are defined once."""
import json, pathlib, sys

def obj(props, required=(), extra=False):
    o = {"type": "object", "properties": props, "additionalProperties": extra}
    if required:
        o["required"] = list(required)
    return o

S = {"type": "string"}
B = {"type": "boolean"}
I = {"type": "integer"}
def intr(lo, hi=None):
    d = {"type": "integer", "minimum": lo}
    if hi is not None:
        d["maximum"] = hi
    return d
PORT = intr(1, 65535)
QTY = {"oneOf": [{"type": "string", "pattern": r"^[0-9.]+(m|Ki|Mi|Gi|Ti|k|M|G|T)?$"}, {"type": "number", "minimum": 0}]}
MAP = {"type": "object", "additionalProperties": {"type": "string"}}
LIST = {"type": "array"}
DNS = {"type": "string", "pattern": r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", "maxLength": 63}
OPT_DNS = {"type": "string", "pattern": r"^([a-z0-9]([-a-z0-9.]*[a-z0-9])?)?$", "maxLength": 253}
ORLEANS_ID = {"type": "string", "pattern": r"^[A-Za-z0-9._-]{1,64}$"}

defs = {
    "image": obj({
        "repository": {"type": "string", "minLength": 1},
        # An empty tag means the chart's appVersion; "latest" is refused.
        "tag": {"type": "string", "not": {"enum": ["latest"]}, "pattern": r"^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$|^$"},
        "digest": {"type": "string", "pattern": r"^(sha256:[a-f0-9]{64})?$"},
        "pullPolicy": {"enum": ["Always", "IfNotPresent", "Never"]},
    }, required=["repository"]),
    "resources": obj({
        "requests": obj({"cpu": QTY, "memory": QTY}, required=["cpu", "memory"]),
        "limits": obj({"cpu": QTY, "memory": QTY}, required=["cpu", "memory"]),
    }, required=["requests", "limits"]),
    "probes": obj({
        "timeoutSeconds": intr(1, 60),
        "startup": obj({"periodSeconds": intr(1), "failureThreshold": intr(1)}),
        "readiness": obj({"periodSeconds": intr(1), "failureThreshold": intr(1)}),
        "liveness": obj({"periodSeconds": intr(1), "failureThreshold": intr(1)}),
    }),
    "rate": obj({"stabilizationWindowSeconds": intr(0, 3600), "podsPerPeriod": intr(1), "periodSeconds": intr(1, 1800)}),
    "placement": {},
    "secret": obj({
        "enabled": B,
        "existingSecret": OPT_DNS,
        "data": MAP,
        "remoteRefs": {"type": "object", "additionalProperties": obj({"key": S, "property": S}, required=["key"])},
    }),
    "serviceAccount": obj({"name": OPT_DNS, "annotations": MAP}),
    "topologySpread": obj({"enabled": B, "zoneWhenUnsatisfiable": {"enum": ["DoNotSchedule", "ScheduleAnyway"]}}),
    "labelSelector": obj({"matchLabels": MAP, "matchExpressions": LIST}),
}
ref = lambda n: {"$ref": f"#/$defs/{n}"}

def workload(extra):
    props = {
        "image": ref("image"),
        "replicas": intr(1),
        "preStopSeconds": intr(0, 120),
        "shutdownTimeoutSeconds": intr(1, 600),
        "terminationGracePeriodSeconds": intr(1, 3600),
        "extraEnv": LIST,
        "resources": ref("resources"),
        "probes": ref("probes"),
        "podAnnotations": MAP,
        "nodeSelector": MAP,
        "tolerations": LIST,
        "affinity": {"type": "object"},
        "podAntiAffinity": {"enum": ["soft", "hard"]},
        "topologySpread": ref("topologySpread"),
        "pdb": obj({"maxUnavailable": {"oneOf": [intr(1), {"type": "string", "pattern": r"^[0-9]{1,3}%$"}]}}),
        "serviceAccount": ref("serviceAccount"),
    }
    props.update(extra)
    return obj(props)

def autoscaling(extra):
    props = {
        "enabled": B, "minReplicas": intr(1), "maxReplicas": intr(1),
        "targetCPUUtilizationPercentage": intr(1, 100), "targetMemoryUtilizationPercentage": intr(1, 100),
        "scaleUp": ref("rate"), "scaleDown": ref("rate"),
    }
    props.update(extra)
    return obj(props)

simple_image_workload = lambda extra: obj(dict({"enabled": B, "image": ref("image"), "resources": ref("resources")}, **extra))

schema = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "clinic-cluster chart values",
    "type": "object",
    "additionalProperties": False,
    "$defs": defs,
    "properties": {
        "global": obj({"imageRegistry": S, "imagePullSecrets": {"type": "array", "items": DNS}}),
        "nameOverride": S,
        "fullnameOverride": S,
        "commonLabels": MAP,
        "environment": {"enum": ["Development", "Staging", "Production"]},
        "orleans": obj({"serviceId": ORLEANS_ID, "clusterId": ORLEANS_ID, "siloPort": PORT, "gatewayPort": PORT}),
        "management": obj({"port": PORT}),
        "postgres": obj({
            "host": {"type": "string", "minLength": 1}, "port": PORT, "database": {"type": "string", "pattern": r"^[a-z_][a-z0-9_]{0,62}$"},
            "sslMode": {"enum": ["Disable", "Allow", "Prefer", "Require", "VerifyCA", "VerifyFull"]},
            "maxPoolSize": intr(1, 1000), "maxConnections": intr(1), "reservedConnections": intr(0), "maxAutoPrepare": intr(0, 256), "cidrs": {"type": "array", "items": S},
        }),
        "secrets": obj({k: ref("secret") for k in ["database", "encryption", "auditChain", "metricsToken", "dashboard", "postgresCa"]}),
        "externalSecrets": obj({
            "enabled": B,
            "secretStoreRef": obj({"name": DNS, "kind": {"enum": ["SecretStore", "ClusterSecretStore"]}}),
            "refreshInterval": {"type": "string", "pattern": r"^[0-9]+(s|m|h)$"},
        }),
        "clusterTls": obj({
            "enabled": B, "existingSecret": OPT_DNS,
            "certManager": obj({"enabled": B, "issuerRef": {"type": "object"}, "caSecret": OPT_DNS,
                                "duration": {"type": "string", "pattern": r"^[0-9]+h$"}, "renewBefore": {"type": "string", "pattern": r"^[0-9]+h$"}}),
        }),
        "silo": workload({
            "membership": {"type": "object", "additionalProperties": {"type": ["string", "number", "boolean"]}},
            "grainCollection": {"type": "object", "additionalProperties": {"type": ["string", "number", "boolean"]}},
            "dashboard": obj({"enabled": B}),
            "audit": obj({"checkpoint": obj({"persistence": B, "existingClaim": OPT_DNS, "size": QTY, "storageClass": S,
                                             "accessModes": {"type": "array", "items": {"enum": ["ReadWriteOnce", "ReadWriteMany", "ReadWriteOncePod"]}}})}),
            "autoscaling": autoscaling({"targetActivationsPerPod": intr(0), "targetAuditBacklog": intr(0)}),
        }),
        "api": workload({
            "port": PORT,
            "auth": obj({"authority": {"type": "string", "pattern": r"^(https://.+)?$"}, "audience": {"type": "string", "minLength": 1}}),
            "devSigningKeySecret": OPT_DNS,
            "proxy": obj({"knownNetworks": {"type": "array", "items": {"type": "string", "pattern": r"^[0-9a-fA-F.:]+/[0-9]{1,3}$"}}}),
            "service": obj({"type": {"enum": ["ClusterIP", "NodePort", "LoadBalancer"]}, "port": PORT}),
            "autoscaling": autoscaling({"targetRequestsPerSecond": intr(0)}),
        }),
        "autoscaling": obj({"engine": {"enum": ["hpa", "keda"]},
                            "keda": obj({"prometheusAddress": {"type": "string", "pattern": r"^https?://"}, "authenticationRef": S})}),
        "prometheusAdapter": obj({"configMap": B, "namespace": OPT_DNS}),
        "ingress": obj({"enabled": B, "className": S, "host": {"type": "string", "minLength": 1}, "clusterIssuer": S,
                        "maxBodySize": {"type": "string", "pattern": r"^[0-9]+[kmg]?$"}, "rateLimitRps": intr(1), "annotations": MAP}),
        "networkPolicy": obj({
            "enabled": B, "namespaceWideDefaultDeny": B,
            "ingressController": obj({"namespaceSelector": ref("labelSelector")}),
            "prometheus": obj({"namespaceSelector": ref("labelSelector"), "podSelector": ref("labelSelector")}),
            "dashboardFrom": LIST,
            "apiServerCidrs": {"type": "array", "items": S}, "apiServerPorts": {"type": "array", "items": PORT, "minItems": 1},
            "authorityCidrs": {"type": "array", "items": S},
        }),
        "serviceMonitor": obj({"enabled": B, "interval": {"type": "string", "pattern": r"^[0-9]+(s|m)$"}, "labels": MAP}),
        "prometheusRule": obj({"enabled": B, "labels": MAP}),
        "migration": obj({"enabled": B, "backoffLimit": intr(0, 20), "activeDeadlineSeconds": intr(30), "resources": ref("resources")}),
        "auditVerify": obj({
            "enabled": B, "schedule": {"type": "string", "pattern": r"^(\S+\s+){4}\S+$"}, "activeDeadlineSeconds": intr(60),
            "successfulJobsHistoryLimit": intr(0), "failedJobsHistoryLimit": intr(1), "resources": ref("resources"),
        }),
        "pgbouncer": simple_image_workload({"replicas": intr(1), "uid": intr(1), "poolMode": {"enum": ["session", "transaction"]},
                                            "maxClientConn": intr(1), "defaultPoolSize": intr(1), "maxDbConnections": intr(1), "tlsReloadSeconds": intr(0, 3600), "authSecret": OPT_DNS,
                                            "tls": obj({"existingSecret": OPT_DNS})}),
        "devPostgres": simple_image_workload({"passwords": obj({"superuser": S, "owner": S, "app": S, "api": S}), "storage": QTY, "storageClass": S}),
        "backup": simple_image_workload({
            "schedule": {"type": "string", "pattern": r"^(\S+\s+){4}\S+$"},
            "uid": intr(1), "credentialsSecret": OPT_DNS, "command": {"type": "array", "items": S, "minItems": 1},
            "keep": intr(1), "ageRecipients": {"type": "array", "items": {"type": "string", "pattern": r"^age1[0-9a-z]{58}$"}},
            "target": {"enum": ["pvc", "s3"]},
            "pvc": obj({"existingClaim": OPT_DNS, "size": QTY, "storageClass": S}),
            "s3": obj({"url": {"type": "string", "pattern": r"^(s3://.+)?$"}, "credentialsSecret": OPT_DNS, "cidrs": {"type": "array", "items": S},
                       "scratchSize": QTY}),
            "successfulJobsHistoryLimit": intr(0), "failedJobsHistoryLimit": intr(0),
        }),
        "namespace": obj({"resourceQuota": B, "quota": MAP,
                          "limitRange": obj({"defaultRequest": obj({"cpu": QTY, "memory": QTY}), "default": obj({"cpu": QTY, "memory": QTY}),
                                             "max": obj({"cpu": QTY, "memory": QTY})})}),
        "tests": obj({"enabled": B, "image": ref("image"), "uid": intr(1), "tokenSecret": DNS, "clinicId": DNS}),
    },
}
out = pathlib.Path(__file__).resolve().parents[2] / "deploy/helm/clinic-cluster/values.schema.json"
text = json.dumps(schema, indent=2) + "\n"
if len(sys.argv) > 1 and sys.argv[1] == "--check":
    if out.read_text() != text:
        sys.exit(f"{out} is out of date: run python3 tools/chart-check/make-schema.py")
else:
    out.write_text(text)
