/**
 * Policy evaluation for `validate`, `plan` and `apply` (DESIGN.md §2 "Policy"): the built-ins
 * enabled in `mcp-gitops.yaml` and every Policy document of the repo. A violation is a Diagnostic
 * `[policy/<name>]` with the policy's severity, at the failing field of the resource as written
 * (an environment's override when the value comes from there). Values are never echoed.
 *
 * Servers are judged fully resolved for each environment that deploys them (overrides merged,
 * templates rendered per target, defaults filled, as `resolveDesiredState` produces them; a server
 * no environment deploys is judged as written, with defaults). Other kinds are judged as written.
 */
import type { ErrorObject } from 'ajv/dist/2020.js';
import type { ConfigSet, LoadedDocument, SourceLocation } from '../core/config-set.js';
import type { Diagnostic } from '../core/diagnostics.js';
import type { PolicyResource } from '../core/resources.js';
import { escapeText } from '../surface/hygiene/index.js';
import { assertReads, specReads } from './assert-reads.js';
import { precompiledAssert } from './builtin-asserts.js';
import { builtinPolicies, enabledBuiltinNames } from './builtin-policies.js';
import { assertErrors, compileAssert } from './compile-assert.js';
import { matchesPolicy } from './match-policy.js';
import { resolvesAsWritten } from './placement-reads.js';
import {
  type FieldPath,
  type PolicySubject,
  type PolicySubjects,
  placementSubjects,
  policySubjects,
  writtenSubject,
} from './policy-subjects.js';
import { scanPlaintextSecrets } from './scan-plaintext-secrets.js';
import { scanToolHygiene } from './scan-tool-hygiene.js';

type Scanner = (config: ConfigSet) => { file: string; line: number; col: number; message: string }[];

const SCANNERS: Readonly<Record<string, Scanner>> = {
  'no-plaintext-secrets': (config) => scanPlaintextSecrets(config),
  'tool-description-hygiene': (config) => scanToolHygiene(config),
};

interface Violation {
  at: SourceLocation;
  message: string;
  environments: Set<string>;
}

export function evaluatePolicies(config: ConfigSet): Diagnostic[] {
  const out: Diagnostic[] = [];
  const enabled = enabledBuiltinNames(config.repository?.value?.spec?.policies ?? []);
  const builtins = builtinPolicies();
  // `doc` for the repo's own policies (located only when reported), none for built-ins.
  const policies: { resource: PolicyResource; doc?: LoadedDocument<PolicyResource> }[] = [];

  enabled.forEach((name) => {
    const builtin = builtins.get(name);
    // An unknown name is reported by validate's Repository check (rule unknown-policy).
    if (!builtin) return;
    const scanner = builtin.scanner ? SCANNERS[name] : undefined;
    if (scanner) {
      const { severity } = builtin.resource.spec;
      for (const f of scanner(config)) {
        out.push({
          file: f.file,
          line: f.line,
          col: f.col,
          severity,
          message: f.message,
          rule: `policy/${name}`,
        });
      }
    } else {
      policies.push({ resource: builtin.resource });
    }
  });
  for (const doc of config.policies) {
    if (doc.value?.spec?.assert) policies.push({ resource: doc.value, doc });
  }

  let subjects: PolicySubjects | undefined;
  for (const { resource, doc } of policies) {
    const name = resource.metadata.name;
    const rule = `policy/${name}`;
    const precompiled = doc ? undefined : precompiledAssert(name);
    const compiled = precompiled
      ? { ok: true as const, validate: precompiled }
      : compileAssert(resource.spec.assert, { trusted: !doc });
    if (!compiled.ok) {
      if (!doc) {
        const why = compiled.problems.map((p) => p.message).join('; ');
        throw new Error(`built-in policy ${name} has an invalid assert schema: ${why}`);
      }
      for (const problem of compiled.problems) {
        const at = doc.locate(['spec', 'assert', ...problem.path], problem.which);
        out.push({ ...at, severity: 'error', message: problem.message, rule });
      }
      continue;
    }
    subjects ??= policySubjects(config);
    const match = resource.spec.match;
    const reads = specReads(assertReads(resource.spec.assert));
    const denyAll = deniesEverything(resource.spec.assert);
    const violations = new Map<string, Violation>();
    const judge = (subject: PolicySubject) => {
      if (!matchesPolicy(match, subject)) return;
      const environments = match?.environments
        ? subject.environments?.filter((e) => match.environments!.includes(e))
        : subject.environments;
      for (const error of firstErrorPerField(assertErrors(compiled.validate, subject.resource))) {
        const path = pointerToPath(error.instancePath);
        const at = subject.locate(path);
        const message = `${resource.spec.message}: ${subjectName(subject)}: ${describeError(path, error, denyAll)}`;
        const key = `${at.file}:${at.line}:${at.col}:${message}`;
        const violation = violations.get(key) ?? { at, message, environments: new Set<string>() };
        if (ENVIRONMENT_SCOPED.has(subject.kind))
          for (const e of environments ?? []) violation.environments.add(e);
        violations.set(key, violation);
      }
    };
    for (const subject of subjects.others) judge(subject);
    for (const group of subjects.servers) {
      // Environments that resolve the server identically wherever this policy looks share one
      // judgement of the server as written; the others are judged fully resolved.
      const same: string[] = [];
      for (const placement of group.placements) {
        if (resolvesAsWritten(group, placement, reads)) same.push(placement.envDoc.value.metadata.name);
        else for (const subject of placementSubjects(group, placement)) judge(subject);
      }
      if (same.length > 0) judge(writtenSubject(subjects.written, group.doc, [...new Set(same)]));
    }
    for (const v of violations.values()) {
      const envs = [...v.environments].sort();
      const suffix =
        envs.length === 0 ? '' : ` (environment${envs.length > 1 ? 's' : ''} ${envs.join(', ')})`;
      out.push({ ...v.at, severity: resource.spec.severity, message: `${v.message}${suffix}`, rule });
    }
  }
  return out;
}

/** Kinds whose violations name the environments they hold in. */
const ENVIRONMENT_SCOPED = new Set(['Server', 'ToolLock', 'Tool']);

/** `Server memory`, `Tool memory/delete_entities` (a tool name comes from a server: escaped). */
function subjectName(subject: PolicySubject): string {
  if (subject.kind === 'Tool') return `Tool ${subject.server}/${escapeText(subject.name)}`;
  return `${subject.kind} ${subject.name}`;
}

function firstErrorPerField(errors: ErrorObject[]): ErrorObject[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const key = `${e.instancePath}|${e.keyword === 'required' ? (e.params as { missingProperty: string }).missingProperty : ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function pointerToPath(pointer: string): FieldPath {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/** `assert: { not: {} }`: whatever the policy matches is denied, whatever its fields hold. */
function deniesEverything(assert: unknown): boolean {
  if (assert === null || typeof assert !== 'object' || Object.keys(assert).length !== 1) return false;
  const not = (assert as { not?: unknown }).not;
  return not !== null && typeof not === 'object' && !Array.isArray(not) && Object.keys(not).length === 0;
}

/** "spec.package.version must match the required pattern": never the value itself. */
function describeError(path: FieldPath, error: ErrorObject, denyAll: boolean): string {
  const field = path.length === 0 ? 'the resource' : path.join('.');
  switch (error.keyword) {
    case 'pattern':
      return `${field} does not match the required pattern`;
    case 'not':
      if (path.length === 0 && denyAll && error.schemaPath === '#/not') return 'denied by this policy';
      return `${field} has a value the policy forbids`;
    default:
      return `${field} ${error.message ?? `fails ${error.keyword}`}`;
  }
}
