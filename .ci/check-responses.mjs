// Type-checks captured skill responses against Amazon's response model: each response becomes
// `const response: ResponseEnvelope = <json>`, compiled by tsc with ask-sdk-model's declarations.
// Object literals get TypeScript's excess-property check, so unknown fields fail as well as wrong types.
// A known-bad canary response must fail too, or the check itself is broken.
// Usage: node .ci/check-responses.mjs <folder of captured *.json responses>
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const packageDir = path.join(path.dirname(fileURLToPath(import.meta.url)), "package");
const captured = process.argv[2];
if (!captured || !fs.existsSync(captured)) {
  console.error("usage: node .ci/check-responses.mjs <folder of captured responses>");
  process.exit(2);
}

// Inside .ci/package so that module resolution finds ask-sdk-model in its node_modules.
const work = path.join(packageDir, ".work");
fs.rmSync(work, { recursive: true, force: true });
fs.mkdirSync(work, { recursive: true });

const header = 'import type { ResponseEnvelope } from "ask-sdk-model";\nexport const response: ResponseEnvelope = ';
const sources = new Map(); // generated .ts file -> captured file
for (const name of fs.readdirSync(captured).filter((f) => f.endsWith(".json")).sort()) {
  const text = fs.readFileSync(path.join(captured, name), "utf8");
  let json;
  try {
    json = JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    json = "undefined as never; // not JSON: " + JSON.stringify(text.slice(0, 200));
  }
  const ts = `r${sources.size}.ts`;
  fs.writeFileSync(path.join(work, ts), header + json + ";\n");
  sources.set(ts, name);
}
const canary = { version: "1.0", response: { outputSpeech: { type: "PlainText", text: "hi" }, shouldEndSession: "yes", surprise: 1 } };
fs.writeFileSync(path.join(work, "canary.ts"), header + JSON.stringify(canary) + ";\n");

fs.writeFileSync(path.join(work, "tsconfig.json"), JSON.stringify({
  compilerOptions: { strict: true, noEmit: true, target: "es2020", module: "commonjs", moduleResolution: "node", types: [], skipLibCheck: true },
  files: [...sources.keys(), "canary.ts"],
}, null, 2));

let output = "";
try {
  execFileSync(process.execPath, [path.join(packageDir, "node_modules", "typescript", "bin", "tsc"), "-p", path.join(work, "tsconfig.json")], { encoding: "utf8" });
} catch (e) {
  output = (e.stdout ?? "") + (e.stderr ?? "");
}

const errors = new Map();
let current = null;
for (const line of output.split("\n")) {
  const m = /^(?:.*[\\/])?([^\\/()]+\.ts)\(\d+,\d+\): error (TS\d+: .*)$/.exec(line);
  if (m) {
    current = m[1];
    if (!errors.has(current)) errors.set(current, []);
    errors.get(current).push(m[2]);
  } else if (current && line.startsWith("  ")) {
    errors.get(current).push(line);
  } else if (line.trim()) {
    current = null;
  }
}

let passed = 0;
let failed = 0;
for (const [ts, name] of sources) {
  if (errors.has(ts)) {
    failed++;
    console.log(`FAIL ${name}`);
    for (const message of errors.get(ts).slice(0, 12)) console.log("    " + message);
  } else {
    passed++;
  }
}
if (!errors.has("canary.ts")) {
  failed++;
  console.log("FAIL canary: a response with shouldEndSession \"yes\" and an unknown field passed the type check, so the check is broken");
} else {
  passed++;
}
const unexplained = output.split("\n").filter((l) => /error TS/.test(l) && !/\.ts\(\d+,\d+\)/.test(l));
for (const line of unexplained) {
  failed++;
  console.log("FAIL tsc: " + line);
}
if (sources.size === 0) {
  failed++;
  console.log(`FAIL no captured responses in ${captured}`);
}
console.log(`responses: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
