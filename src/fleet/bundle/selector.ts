/**
 * Which enrolled machines a fleet target stands for: its `selector` is a matchLabels map (as in
 * Kubernetes and Rancher Fleet), matched against a machine's labels (those given at enrolment plus
 * the built-ins `os` and `arch` from the agent's facts). Pure.
 */

/** True when every key of the selector has exactly that value in `labels`; an empty selector matches all. */
export function matchesSelector(
  selector: Readonly<Record<string, string>> | undefined,
  labels: Readonly<Record<string, string>>,
): boolean {
  if (!selector) return true;
  for (const key of Object.keys(selector)) {
    if (!Object.hasOwn(labels, key) || labels[key] !== selector[key]) return false;
  }
  return true;
}

/** A fleet target's selector from its settings (`{}` when it has none). */
export function targetSelector(settings: { selector?: unknown }): Record<string, string> {
  const selector = settings.selector;
  if (selector === null || typeof selector !== 'object' || Array.isArray(selector)) return {};
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(selector)) {
    if (typeof value === 'string') out[key] = value;
  }
  return out;
}

/** The shape of a label key (schemas/environment.schema.json `labelKey`): for `--labels` at enrolment too. */
export const LABEL_KEY = /^[A-Za-z0-9]([-A-Za-z0-9_./]*[A-Za-z0-9])?$/;
/** The shape of a label value (schemas/environment.schema.json `labelValue`); empty is allowed. */
export const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;
export const LABEL_MAX_CHARS = 63;
export const SELECTOR_MAX_ENTRIES = 32;

export function isLabelKey(key: string): boolean {
  return key.length <= LABEL_MAX_CHARS && LABEL_KEY.test(key);
}

export function isLabelValue(value: string): boolean {
  return value.length <= LABEL_MAX_CHARS && LABEL_VALUE.test(value);
}
