// Validates every object of a rendered chart against the Kubernetes JSON schemas shipped in
// kubernetes-models (and the CRD schemas of @kubernetes-models/*): ajv-compiled validators of
// the Kubernetes OpenAPI definitions, plus a check for fields no schema type declares (typos). Kinds with no schema anywhere are skipped only if they are
// on the allow-list below, and every skip is printed.
//   node validate.mjs NAME rendered.yaml [more.yaml...]
//   node validate.mjs --expect-invalid fixtures/invalid-objects.yaml   (each object must fail)
// Prints one line per problem and "validate NAME: N objects, N valid, N skipped, N failed".
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
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
  "barmancloud.cnpg.io/v1/ObjectStore",
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

// The Kubernetes OpenAPI schemas allow unknown fields (the API server drops or rejects them
// later), so a misspelt field passes the schema. The models' type declarations list every field
// of every named type: walk the object along them and report the fields no type declares.
// Inline object types (most CRD specs) and free-form maps are not descended into.
const interfaces = new Map();

function declarationFile(specifier, fromFile) {
  if (specifier.startsWith(".")) return join(dirname(fromFile), specifier.replace(/\.js$/, ".d.ts"));
  try {
    return fileURLToPath(import.meta.resolve(specifier)).replace(/\.js$/, ".d.ts");
  } catch {
    return null;
  }
}

function interfaceOf(file) {
  if (!file || !existsSync(file)) return null;
  if (interfaces.has(file)) return interfaces.get(file);
  const lines = readFileSync(file, "utf8").split("\n");
  const imports = new Map();
  for (const line of lines) {
    const m = /^import \{ (\w+) \} from "([^"]+)";/.exec(line);
    if (m) imports.set(m[1], m[2]);
  }
  const start = lines.findIndex((l) => /^export interface \w+( extends [\w, ]+)? \{/.test(l));
  if (start < 0) {
    interfaces.set(file, null);
    return null;
  }
  const props = new Map();
  const result = { props };
  interfaces.set(file, result);
  // Fields of the interfaces it extends; one we cannot read makes the type open (no false alarms).
  for (const parent of (/ extends ([\w, ]+) \{/.exec(lines[start])?.[1] ?? "").split(",").map((p) => p.trim()).filter(Boolean)) {
    if (parent === "TypeMeta") continue;
    const inherited = imports.has(parent) ? interfaceOf(declarationFile(imports.get(parent), file)) : null;
    if (!inherited) {
      interfaces.set(file, null);
      return null;
    }
    for (const [k, v] of inherited.props) props.set(k, v);
  }
  for (let i = start + 1; i < lines.length && lines[i] !== "}"; i++) {
    const m = /^ {4}"([^"]+)"\??: (.*)$/.exec(lines[i]);
    if (!m) continue;
    const array = /^Array<(\w+)>;$/.exec(m[2]);
    const named = /^(\w+);$/.exec(m[2]);
    const type = array?.[1] ?? named?.[1];
    props.set(m[1], { file: type && imports.has(type) ? declarationFile(imports.get(type), file) : null, array: Boolean(array) });
  }
  return result;
}

function unknownFields(value, iface, path, out) {
  if (!iface || !value || typeof value !== "object" || Array.isArray(value)) return out;
  for (const [key, child] of Object.entries(value)) {
    const prop = iface.props.get(key);
    if (!prop) {
      out.push(`${path}/${key}: unknown field`);
      continue;
    }
    const sub = interfaceOf(prop.file);
    if (!sub) continue;
    if (prop.array && Array.isArray(child)) child.forEach((item, i) => unknownFields(item, sub, `${path}/${key}/${i}`, out));
    else if (!prop.array) unknownFields(child, sub, `${path}/${key}`, out);
  }
  return out;
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
    const specifier = modulePath(doc.apiVersion, doc.kind);
    try {
      Model = (await import(specifier))[doc.kind];
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
    } catch (error) {
      log(`FAIL ${id}: ${describe(error.errors) || error.message}`);
      failed++;
      continue;
    }
    const unknown = unknownFields(doc, interfaceOf(declarationFile(specifier)), "", []);
    if (unknown.length) {
      log(`FAIL ${id}: ${unknown.slice(0, 5).join("; ")}`);
      failed++;
      continue;
    }
    valid++;
  }
  return { valid, skipped, failed };
}

if (import.meta.url === `file://${process.argv[1]}` && process.argv[2] === "--expect-invalid") {
  // Every object of the fixture is wrong: each must fail, or the validator is blind to something.
  const docs = loadDocuments(process.argv[3]);
  let caught = 0;
  for (const doc of docs) {
    const { failed } = await validate([doc], () => {});
    if (failed) caught++;
    else console.log(`  FAIL not caught: ${doc.kind}/${doc.metadata?.name}`);
  }
  console.log(`validate fixture: ${caught} of ${docs.length} invalid objects caught`);
  process.exit(caught === docs.length ? 0 : 1);
} else if (import.meta.url === `file://${process.argv[1]}`) {
  const [name, ...files] = process.argv.slice(2);
  const docs = files.flatMap(loadDocuments);
  const { valid, skipped, failed } = await validate(docs, (line) => console.log(`  ${line}`));
  console.log(`validate ${name}: ${docs.length} objects, ${valid} valid, ${skipped} skipped, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}
