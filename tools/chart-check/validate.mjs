// Validates every object of a rendered chart against the Kubernetes JSON schemas shipped in
// kubernetes-models (and the CRD schemas of @kubernetes-models/*): ajv-compiled validators of
// the Kubernetes OpenAPI definitions. Kinds with no schema anywhere are skipped only if they are
// on the allow-list below, and every skip is printed.
//   node validate.mjs NAME rendered.yaml [more.yaml...]
// Prints one line per problem and "validate NAME: N objects, N valid, N skipped, N failed".
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

// apiVersion group -> the package holding its models.
const crdPackages = {
  "monitoring.coreos.com": "@kubernetes-models/prometheus-operator",
  "keda.sh": "@kubernetes-models/keda",
  "cert-manager.io": "@kubernetes-models/cert-manager",
  "external-secrets.io": "@kubernetes-models/external-secrets",
  "argoproj.io": "@kubernetes-models/argo-cd",
};

// Kinds whose schema no npm package here ships: checked only for apiVersion/kind/metadata.name.
export const allowList = new Set([
  "postgresql.cnpg.io/v1/Cluster",
  "postgresql.cnpg.io/v1/ScheduledBackup",
]);

function modulePath(apiVersion, kind) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  if (group === "") return `kubernetes-models/${version}/${kind}`;
  const pkg = crdPackages[group] ?? "kubernetes-models";
  return `${pkg}/${group}/${version}/${kind}`;
}

export function loadDocuments(file) {
  const docs = [];
  for (const doc of parseAllDocuments(readFileSync(file, "utf8"))) {
    if (doc.errors.length) throw new Error(`${file}: ${doc.errors[0].message}`);
    const value = doc.toJS();
    if (value && typeof value === "object") docs.push(value);
  }
  return docs;
}

function describe(errors) {
  return (errors ?? [])
    .slice(0, 5)
    .map((e) => `${e.instancePath || "/"} ${e.message ?? e.keyword}${e.params ? " " + JSON.stringify(e.params) : ""}`)
    .join("; ");
}

export async function validate(docs, log) {
  let valid = 0, skipped = 0, failed = 0;
  for (const doc of docs) {
    const id = `${doc.kind ?? "?"}/${doc.metadata?.name ?? "?"}`;
    if (!doc.apiVersion || !doc.kind || !doc.metadata?.name) {
      log(`FAIL ${id}: apiVersion, kind and metadata.name are required`);
      failed++;
      continue;
    }
    const key = `${doc.apiVersion}/${doc.kind}`;
    if (allowList.has(key)) {
      log(`skip ${id}: ${key} is on the allow-list (no schema package)`);
      skipped++;
      continue;
    }
    let Model;
    try {
      Model = (await import(modulePath(doc.apiVersion, doc.kind)))[doc.kind];
    } catch {
      Model = undefined;
    }
    if (!Model) {
      log(`FAIL ${id}: no schema for ${key} and not on the allow-list`);
      failed++;
      continue;
    }
    try {
      new Model(doc).validate();
      valid++;
    } catch (error) {
      log(`FAIL ${id}: ${describe(error.errors) || error.message}`);
      failed++;
    }
  }
  return { valid, skipped, failed };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [name, ...files] = process.argv.slice(2);
  const docs = files.flatMap(loadDocuments);
  const { valid, skipped, failed } = await validate(docs, (line) => console.log(`  ${line}`));
  console.log(`validate ${name}: ${docs.length} objects, ${valid} valid, ${skipped} skipped, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}
