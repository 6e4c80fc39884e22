/**
 * Pure: registry inputs (arguments, environment variables, headers) → concrete strings. A value
 * comes from `value`, else `default`; `{name}` placeholders are filled from the input's
 * `variables`. What the registry leaves for the user to supply becomes a `{{vars.NAME}}`
 * template, so each environment states it, and validation says where it is missing.
 */
import type { RegistryArgument, RegistryInput } from './server-json.js';

export interface Notes {
  add(note: string): void;
}

export function varName(raw: string): string {
  const name = raw
    .replace(/^-+/, '')
    .replace(/[^A-Za-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return /^[A-Za-z_]/.test(name) ? name : `v_${name}`;
}

/** `{x}` placeholders → values from `variables` (value, else default), else `{{vars.x}}`. */
export function fillPlaceholders(
  text: string,
  variables: Record<string, RegistryInput> | undefined,
  notes: Notes,
): string {
  return text.replace(/\{([A-Za-z0-9_.-]+)\}/g, (_, key: string) => {
    const v = variables?.[key];
    const filled = v?.value ?? v?.default;
    if (filled !== undefined) return filled;
    notes.add(
      `set vars.${varName(key)} in every environment that deploys this server (${v?.description ?? key})`,
    );
    return `{{vars.${varName(key)}}}`;
  });
}

/** The value of an input, or undefined when the registry gives none. */
export function inputValue(input: RegistryInput, notes: Notes): string | undefined {
  const raw = input.value ?? input.default;
  return raw === undefined ? undefined : fillPlaceholders(raw, input.variables, notes);
}

/** Registry arguments → argv tokens. Secret arguments are refused: secrets never go through argv. */
export function argumentTokens(args: readonly RegistryArgument[] | undefined, notes: Notes): string[] {
  const out: string[] = [];
  for (const arg of args ?? []) {
    const label = arg.type === 'named' ? (arg.name ?? '') : (arg.valueHint ?? 'positional argument');
    if (arg.type === 'named' && !arg.name) {
      notes.add(`skipped a named argument without a name${arg.description ? ` (${arg.description})` : ''}`);
      continue;
    }
    if (arg.isSecret) {
      notes.add(
        `dropped secret argument ${label}: mcp-gitops passes secrets only through environment variables`,
      );
      continue;
    }
    if (arg.type === 'named' && arg.format === 'boolean') {
      const on = (arg.value ?? arg.default ?? (arg.isRequired ? 'true' : 'false')) === 'true';
      if (on) out.push(label);
      continue;
    }
    let value = inputValue(arg, notes);
    if (value === undefined && arg.isRequired) {
      const name = varName(arg.valueHint ?? arg.name ?? 'arg');
      notes.add(
        `set vars.${name} in every environment that deploys this server (${arg.description ?? label})`,
      );
      value = `{{vars.${name}}}`;
    }
    if (arg.type === 'named') {
      if (value === undefined) {
        notes.add(`optional argument ${label} left out${arg.description ? ` (${arg.description})` : ''}`);
        continue;
      }
      out.push(label, value);
      continue;
    }
    if (value === undefined) {
      notes.add(`optional argument ${label} left out${arg.description ? ` (${arg.description})` : ''}`);
      continue;
    }
    out.push(value);
  }
  return out;
}
