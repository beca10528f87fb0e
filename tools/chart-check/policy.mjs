// Policy tests over the objects of a rendered chart: what a hospital's platform team checks
// before a chart may run, each a named rule. Rules that do not apply to a render (no
// NetworkPolicies when they are disabled) say so rather than pass silently.
//   node policy.mjs NAME rendered.yaml            run every rule, exit 1 on a violation
//   node policy.mjs --expect-violations FILE      every rule must flag the fixture (the rules can fail)
import { loadDocuments } from "./validate.mjs";

const workloadKinds = new Set(["Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob", "Pod"]);
const longRunning = new Set(["Deployment", "StatefulSet", "DaemonSet"]);
// The only API access any pod gets: Orleans Kubernetes hosting on the silo pods.
const allowedRbac = { apiGroups: [""], resources: ["pods"], verbs: ["get", "list", "watch", "delete"] };

const id = (o) => `${o.kind}/${o.metadata?.name}`;

function podSpec(o) {
  switch (o.kind) {
    case "Pod": return { spec: o.spec, labels: o.metadata?.labels ?? {} };
    case "CronJob": return { spec: o.spec?.jobTemplate?.spec?.template?.spec, labels: o.spec?.jobTemplate?.spec?.template?.metadata?.labels ?? {} };
    default: return { spec: o.spec?.template?.spec, labels: o.spec?.template?.metadata?.labels ?? {} };
  }
}

function containers(spec) {
  return [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])];
}

function envValue(container, name) {
  return container.env?.find((e) => e.name === name);
}

function seconds(timespan) {
  const m = /^(\d+):(\d{2}):(\d{2})$/.exec(timespan ?? "");
  return m ? Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]) : NaN;
}

function matches(selector, labels) {
  const ml = selector?.matchLabels ?? {};
  if (!Object.entries(ml).every(([k, v]) => labels[k] === v)) return false;
  for (const e of selector?.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, e.key);
    if (e.operator === "In" && !(has && e.values.includes(labels[e.key]))) return false;
    if (e.operator === "NotIn" && has && e.values.includes(labels[e.key])) return false;
    if (e.operator === "Exists" && !has) return false;
    if (e.operator === "DoesNotExist" && has) return false;
  }
  return true;
}

function component(o) {
  return podSpec(o).labels["app.kubernetes.io/component"];
}

export const rules = {
  "containers run as non-root with a read-only root filesystem, no privilege escalation, no capabilities, seccomp RuntimeDefault"(docs) {
    const bad = [];
    for (const o of docs.filter((d) => workloadKinds.has(d.kind))) {
      const { spec } = podSpec(o);
      const pod = spec?.securityContext ?? {};
      for (const c of containers(spec)) {
        const sc = c.securityContext ?? {};
        const where = `${id(o)} container ${c.name}`;
        if (!(sc.runAsNonRoot ?? pod.runAsNonRoot)) bad.push(`${where}: runAsNonRoot is not true`);
        if ((sc.runAsUser ?? pod.runAsUser) === 0) bad.push(`${where}: runs as UID 0`);
        if (sc.readOnlyRootFilesystem !== true) bad.push(`${where}: readOnlyRootFilesystem is not true`);
        if (sc.allowPrivilegeEscalation !== false) bad.push(`${where}: allowPrivilegeEscalation is not false`);
        if (sc.privileged) bad.push(`${where}: privileged`);
        if (!(sc.capabilities?.drop ?? []).includes("ALL")) bad.push(`${where}: capabilities are not all dropped`);
        if ((sc.capabilities?.add ?? []).length) bad.push(`${where}: adds capabilities`);
        if ((sc.seccompProfile ?? pod.seccompProfile)?.type !== "RuntimeDefault") bad.push(`${where}: seccomp profile is not RuntimeDefault`);
      }
      if (spec?.hostNetwork || spec?.hostPID || spec?.hostIPC) bad.push(`${id(o)}: uses host namespaces`);
    }
    return bad;
  },

  "every container has CPU and memory requests and limits"(docs) {
    const bad = [];
    for (const o of docs.filter((d) => workloadKinds.has(d.kind))) {
      for (const c of containers(podSpec(o).spec)) {
        for (const k of ["requests", "limits"]) {
          for (const r of ["cpu", "memory"]) {
            if (c.resources?.[k]?.[r] === undefined) bad.push(`${id(o)} container ${c.name}: no ${k}.${r}`);
          }
        }
      }
    }
    return bad;
  },

  "long-running containers have startup, readiness and liveness probes"(docs) {
    const bad = [];
    for (const o of docs.filter((d) => longRunning.has(d.kind))) {
      for (const c of podSpec(o).spec?.containers ?? []) {
        for (const p of ["startupProbe", "readinessProbe", "livenessProbe"]) {
          if (!c[p]) bad.push(`${id(o)} container ${c.name}: no ${p}`);
        }
      }
    }
    return bad;
  },

  "every Deployment has a PodDisruptionBudget selecting its pods"(docs) {
    const pdbs = docs.filter((d) => d.kind === "PodDisruptionBudget");
    return docs
      .filter((d) => d.kind === "Deployment")
      .filter((d) => !pdbs.some((p) => matches(p.spec?.selector, podSpec(d).labels)))
      .map((d) => `${id(d)}: no PodDisruptionBudget selects its pods`);
  },

  "Deployments roll with maxUnavailable 0"(docs) {
    return docs
      .filter((d) => d.kind === "Deployment")
      .filter((d) => d.spec?.strategy?.rollingUpdate?.maxUnavailable !== 0)
      .map((d) => `${id(d)}: strategy.rollingUpdate.maxUnavailable is not 0`);
  },

  "no image uses the latest tag or no tag"(docs) {
    const bad = [];
    for (const o of docs.filter((d) => workloadKinds.has(d.kind))) {
      for (const c of containers(podSpec(o).spec)) {
        const ref = c.image ?? "";
        const name = ref.split("@")[0];
        const slash = name.lastIndexOf("/");
        const colon = name.lastIndexOf(":");
        const tag = colon > slash ? name.slice(colon + 1) : "";
        if (!tag) bad.push(`${id(o)} container ${c.name}: image ${ref} has no tag`);
        else if (tag === "latest") bad.push(`${id(o)} container ${c.name}: image ${ref} uses latest`);
      }
    }
    return bad;
  },

  "termination grace period exceeds the shutdown timeout plus the preStop delay"(docs) {
    const bad = [];
    // The silo's own setting (a TimeSpan); the API uses the generic host's key (seconds).
    const hosts = [["silo", "Silo__ShutdownTimeout"], ["api", "shutdownTimeoutSeconds"]];
    for (const o of docs.filter((d) => d.kind === "Deployment")) {
      const host = hosts.find(([name]) => component(o) === name);
      if (!host) continue;
      const { spec } = podSpec(o);
      const c = spec?.containers?.[0] ?? {};
      const raw = envValue(c, host[1])?.value;
      const timeout = /^\d+$/.test(raw ?? "") ? Number(raw) : seconds(raw);
      const preStop = c.lifecycle?.preStop?.sleep?.seconds ?? 0;
      const grace = spec?.terminationGracePeriodSeconds ?? 30;
      if (Number.isNaN(timeout)) bad.push(`${id(o)}: ${host[1]} is not set (hh:mm:ss or seconds)`);
      else if (!(grace > timeout + preStop)) bad.push(`${id(o)}: terminationGracePeriodSeconds ${grace} <= ${host[1]} ${timeout} + preStop ${preStop}`);
      if (!c.lifecycle?.preStop) bad.push(`${id(o)}: no preStop delay`);
    }
    return bad;
  },

  "RBAC is namespaced and no wider than Orleans Kubernetes hosting needs"(docs) {
    const bad = [];
    for (const o of docs.filter((d) => d.kind === "ClusterRole" || d.kind === "ClusterRoleBinding")) {
      bad.push(`${id(o)}: cluster-wide RBAC`);
    }
    for (const o of docs.filter((d) => d.kind === "Role")) {
      for (const r of o.rules ?? []) {
        for (const [field, allowed] of Object.entries(allowedRbac)) {
          const extra = (r[field] ?? []).filter((v) => !allowed.includes(v));
          if (extra.length) bad.push(`${id(o)}: ${field} ${extra.join(",")} not allowed`);
        }
        if (r.resourceNames || r.nonResourceURLs) bad.push(`${id(o)}: unexpected resourceNames/nonResourceURLs`);
      }
    }
    const accounts = new Map();
    for (const o of docs.filter((d) => d.kind === "RoleBinding")) {
      if (o.roleRef?.kind !== "Role") bad.push(`${id(o)}: binds a ${o.roleRef?.kind}`);
      for (const s of o.subjects ?? []) {
        if (s.kind !== "ServiceAccount") bad.push(`${id(o)}: binds a ${s.kind}`);
        accounts.set(s.name, true);
      }
    }
    // Only the silo pods may use an API token; every other pod runs without one.
    for (const o of docs.filter((d) => workloadKinds.has(d.kind))) {
      const { spec } = podSpec(o);
      const bound = accounts.has(spec?.serviceAccountName);
      if (component(o) !== "silo" && spec?.automountServiceAccountToken !== false) bad.push(`${id(o)}: mounts a service account token`);
      if (component(o) !== "silo" && bound) bad.push(`${id(o)}: runs as a ServiceAccount with a RoleBinding`);
    }
    for (const o of docs.filter((d) => d.kind === "ServiceAccount")) {
      if (o.automountServiceAccountToken !== false) bad.push(`${id(o)}: automountServiceAccountToken is not false`);
    }
    return bad;
  },

  "silo pods carry what Orleans Kubernetes hosting reads"(docs) {
    const bad = [];
    const silos = docs.filter((d) => d.kind === "Deployment" && component(d) === "silo");
    if (!silos.length) bad.push("no silo Deployment");
    for (const o of silos) {
      const { spec, labels } = podSpec(o);
      const c = spec?.containers?.[0] ?? {};
      const field = (name) => envValue(c, name)?.valueFrom?.fieldRef?.fieldPath;
      const expect = {
        POD_NAME: "metadata.name",
        POD_NAMESPACE: "metadata.namespace",
        POD_IP: "status.podIP",
        ORLEANS_SERVICE_ID: "metadata.labels['orleans/serviceId']",
        ORLEANS_CLUSTER_ID: "metadata.labels['orleans/clusterId']",
      };
      for (const [name, path] of Object.entries(expect)) {
        if (field(name) !== path) bad.push(`${id(o)}: ${name} is not the downward-API field ${path}`);
      }
      // Labels present and equal to the configured ids, so the agent never needs to patch its pod.
      const ids = [["orleans/serviceId", "Silo__ServiceId"], ["orleans/clusterId", "Silo__ClusterId"]];
      const config = docs.find((d) => d.kind === "ConfigMap" && (c.envFrom ?? []).some((e) => e.configMapRef?.name === d.metadata.name));
      for (const [label, setting] of ids) {
        if (!labels[label]) bad.push(`${id(o)}: pod label ${label} missing`);
        else if (config?.data?.[setting] !== labels[label]) bad.push(`${id(o)}: pod label ${label}=${labels[label]} differs from ${setting}=${config?.data?.[setting]}`);
      }
      if (spec?.automountServiceAccountToken !== true) bad.push(`${id(o)}: the silo needs its service account token`);
    }
    return bad;
  },

  "default-deny NetworkPolicy, and only silos and the API reach the silo and gateway ports"(docs, context) {
    const policies = docs.filter((d) => d.kind === "NetworkPolicy");
    if (!policies.length) return context.networkPolicyExpected ? ["no NetworkPolicy at all"] : [];
    const bad = [];
    const deny = policies.find((p) =>
      ["Ingress", "Egress"].every((t) => (p.spec?.policyTypes ?? []).includes(t)) &&
      !(p.spec?.ingress?.length) && !(p.spec?.egress?.length) &&
      (Object.keys(p.spec?.podSelector ?? {}).length === 0 || p.spec?.podSelector?.matchLabels?.["app.kubernetes.io/instance"]));
    if (!deny) bad.push("no default-deny NetworkPolicy (both directions, no rules)");
    const silo = docs.find((d) => d.kind === "Deployment" && component(d) === "silo");
    const api = docs.find((d) => d.kind === "Deployment" && component(d) === "api");
    if (!silo || !api) return [...bad, "silo or API Deployment missing"];
    const siloLabels = podSpec(silo).labels;
    const apiLabels = podSpec(api).labels;
    const ports = Object.fromEntries((podSpec(silo).spec.containers[0].ports ?? []).map((p) => [p.name, p.containerPort]));
    const allowedFrom = { [ports.silo]: siloLabels, [ports.gateway]: apiLabels };
    for (const p of policies.filter((q) => matches(q.spec?.podSelector, siloLabels))) {
      for (const rule of p.spec?.ingress ?? []) {
        const rulePorts = (rule.ports ?? []).map((x) => x.port);
        const opensAll = rulePorts.length === 0;
        for (const port of [ports.silo, ports.gateway]) {
          if (!opensAll && !rulePorts.includes(port)) continue;
          for (const peer of rule.from ?? [{}]) {
            const ok = peer.podSelector && !peer.namespaceSelector && !peer.ipBlock && matches(peer.podSelector, allowedFrom[port]) &&
              Object.keys(peer.podSelector.matchLabels ?? {}).includes("app.kubernetes.io/component");
            if (!ok) bad.push(`${id(p)}: port ${port} is open to ${JSON.stringify(peer)}`);
          }
        }
      }
    }
    // Every workload pod is selected by a policy besides the default deny (or it can do nothing).
    for (const o of docs.filter((d) => workloadKinds.has(d.kind))) {
      const labels = podSpec(o).labels;
      if (!policies.some((p) => p !== deny && matches(p.spec?.podSelector, labels))) bad.push(`${id(o)}: no NetworkPolicy allows it any traffic`);
    }
    return bad;
  },

  "only the API is exposed: Ingress backends and non-ClusterIP Services"(docs) {
    const bad = [];
    const apiService = docs.find((d) => d.kind === "Service" && d.metadata?.labels?.["app.kubernetes.io/component"] === "api");
    for (const o of docs.filter((d) => d.kind === "Ingress")) {
      for (const rule of o.spec?.rules ?? []) {
        for (const path of rule.http?.paths ?? []) {
          if (path.backend?.service?.name !== apiService?.metadata?.name) bad.push(`${id(o)}: routes to ${path.backend?.service?.name}`);
        }
      }
      if (!(o.spec?.tls ?? []).length) bad.push(`${id(o)}: no TLS`);
    }
    for (const o of docs.filter((d) => d.kind === "Service" && (d.spec?.type ?? "ClusterIP") !== "ClusterIP")) {
      if (o !== apiService) bad.push(`${id(o)}: type ${o.spec.type}`);
    }
    return bad;
  },

  "silo scale-in removes one pod at a time after a stabilisation window"(docs) {
    const bad = [];
    const scalers = docs.filter((d) => (d.kind === "HorizontalPodAutoscaler" || d.kind === "ScaledObject") &&
      d.metadata?.labels?.["app.kubernetes.io/component"] === "silo");
    for (const o of scalers) {
      const behavior = o.kind === "ScaledObject" ? o.spec?.advanced?.horizontalPodAutoscalerConfig?.behavior : o.spec?.behavior;
      const down = behavior?.scaleDown ?? {};
      if (!((down.stabilizationWindowSeconds ?? 0) >= 60)) bad.push(`${id(o)}: scale-down stabilisation window under 60 s`);
      const policies = down.policies ?? [];
      if (!policies.length || !policies.every((p) => p.type === "Pods" && p.value === 1)) bad.push(`${id(o)}: scale-down is not one pod per period`);
      if (policies.length > 1 && down.selectPolicy !== "Min") bad.push(`${id(o)}: scale-down selectPolicy is not Min`);
    }
    return bad;
  },

  "no secret material in the rendered chart outside Development"(docs, context) {
    if (context.development) return [];
    return docs
      .filter((d) => d.kind === "Secret" && Object.keys({ ...d.data, ...d.stringData }).length)
      .map((d) => `${id(d)}: a Secret with data outside Development (use existingSecret or externalSecrets)`);
  },
};

function run(docs, context, log) {
  let passed = 0, failed = 0;
  for (const [name, rule] of Object.entries(rules)) {
    const problems = rule(docs, context);
    if (problems.length) {
      failed++;
      log(`FAIL ${name}`);
      for (const p of problems.slice(0, 10)) log(`       ${p}`);
    } else {
      passed++;
    }
  }
  return { passed, failed };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  if (args[0] === "--expect-violations") {
    // The fixture breaks every rule once; a rule that does not flag it cannot fail.
    const docs = loadDocuments(args[1]);
    let blind = 0;
    for (const [name, rule] of Object.entries(rules)) {
      if (rule(docs, { networkPolicyExpected: true, development: false }).length === 0) {
        console.log(`  FAIL rule does not flag the violations fixture: ${name}`);
        blind++;
      }
    }
    console.log(`policy fixture: ${Object.keys(rules).length - blind} of ${Object.keys(rules).length} rules flag their violation`);
    process.exit(blind ? 1 : 0);
  }
  const [name, file, ...flags] = args;
  const docs = loadDocuments(file);
  const context = { networkPolicyExpected: !flags.includes("--no-network-policy"), development: flags.includes("--development") };
  const { passed, failed } = run(docs, context, (l) => console.log(`  ${l}`));
  console.log(`policy ${name}: ${passed} rules passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}
