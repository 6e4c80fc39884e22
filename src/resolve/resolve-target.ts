/**
 * A target's settings rendered for its environment. Target settings may use `vars.*`,
 * `environment.name` and `target.name`; the rendered settings (with `host` defaulting to `local`)
 * are then what server templates see as `target.*`.
 */
import type { TargetSpec } from '../core/resources.js';
import { renderPrepared } from '../templates/render-template.js';
import { toTemplateData } from '../templates/template-context.js';
import { mapTemplateFields } from '../templates/template-fields.js';
import { withLocation } from './with-location.js';

export const DEFAULT_HOST = 'local';

/** `host: fleet`: the target stands for every enrolled machine its selector matches (DESIGN.md §4). */
export const FLEET_HOST = 'fleet';

export function isFleetHost(host: unknown): boolean {
  return host === FLEET_HOST;
}

export function resolveTargetSettings(
  target: TargetSpec,
  environment: { name: string; vars: Record<string, string> },
): TargetSpec {
  const data = toTemplateData({
    vars: environment.vars,
    environment: { name: environment.name },
    target: { name: target.name },
  });
  const rendered = mapTemplateFields(target, 'target', (text, path) =>
    withLocation(
      () => `environment ${environment.name}, target ${target.name}, field ${path.join('.')}`,
      () => renderPrepared(text, data),
    ),
  );
  return { ...rendered, host: rendered.host ?? DEFAULT_HOST };
}
