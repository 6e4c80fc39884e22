/**
 * Five-field cron expressions (UTC) for an update policy's `schedule`: pull requests are opened only
 * while it matches. Pure: `parseCron` turns the text into sets of allowed values or throws a
 * `CronError` that says which field is wrong and why (validation prints it at file:line), and
 * `cronMatches` tests one instant. Supports `*`, lists, ranges, steps (`*\/15`, `1-30/2`, `5/10`) and
 * names (`mon`-`sun`, `jan`-`dec`); day-of-week 0 and 7 are Sunday. As in Vixie cron, when both
 * day-of-month and day-of-week are restricted, a day matching either one matches.
 */

export class CronError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CronError';
  }
}

export interface ParsedCron {
  minute: ReadonlySet<number>;
  hour: ReadonlySet<number>;
  dayOfMonth: ReadonlySet<number>;
  month: ReadonlySet<number>;
  /** 0 = Sunday … 6 = Saturday (7 is folded into 0). */
  dayOfWeek: ReadonlySet<number>;
  /** The field was `*` (or `*\/1`): needed for the day-of-month / day-of-week rule. */
  dayOfMonthAny: boolean;
  dayOfWeekAny: boolean;
}

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
  /** The first name's value (jan = 1, sun = 0). */
  namesFrom?: number;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

const FIELDS: readonly FieldSpec[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS, namesFrom: 1 },
  { name: 'day of week', min: 0, max: 7, names: DAYS, namesFrom: 0 },
];

const MAX_LENGTH = 200;

export function parseCron(expr: string): ParsedCron {
  if (typeof expr !== 'string') throw new CronError('a cron expression is a string');
  if (expr.length > MAX_LENGTH) throw new CronError(`longer than ${MAX_LENGTH} characters`);
  const parts = expr.trim().split(/\s+/).filter(Boolean);
  if (parts.length !== 5) {
    throw new CronError(
      `expected 5 fields (minute hour day-of-month month day-of-week), found ${parts.length}`,
    );
  }
  const sets = parts.map((part, i) => parseField(part, FIELDS[i] as FieldSpec));
  const dayOfWeek = new Set<number>();
  for (const d of sets[4] as Set<number>) dayOfWeek.add(d === 7 ? 0 : d);
  return {
    minute: sets[0] as Set<number>,
    hour: sets[1] as Set<number>,
    dayOfMonth: sets[2] as Set<number>,
    month: sets[3] as Set<number>,
    dayOfWeek,
    dayOfMonthAny: isAny(parts[2] as string),
    dayOfWeekAny: isAny(parts[4] as string),
  };
}

/** Whether the minute holding `date` (UTC) is one the expression selects. */
export function cronMatches(expr: string | ParsedCron, date: Date): boolean {
  const cron = typeof expr === 'string' ? parseCron(expr) : expr;
  if (Number.isNaN(date.getTime())) return false;
  if (!cron.minute.has(date.getUTCMinutes())) return false;
  if (!cron.hour.has(date.getUTCHours())) return false;
  if (!cron.month.has(date.getUTCMonth() + 1)) return false;
  const domOk = cron.dayOfMonth.has(date.getUTCDate());
  const dowOk = cron.dayOfWeek.has(date.getUTCDay());
  if (cron.dayOfMonthAny || cron.dayOfWeekAny) return domOk && dowOk;
  return domOk || dowOk;
}

function isAny(part: string): boolean {
  return part === '*' || part === '*/1';
}

function parseField(part: string, field: FieldSpec): Set<number> {
  const out = new Set<number>();
  for (const item of part.split(',')) {
    if (item === '') throw new CronError(`${field.name}: empty list item in "${part}"`);
    addItem(item, field, out);
  }
  return out;
}

function addItem(item: string, field: FieldSpec, out: Set<number>): void {
  const slash = item.split('/');
  if (slash.length > 2) throw new CronError(`${field.name}: "${item}" has more than one "/"`);
  const [rangeText, stepText] = slash as [string, string | undefined];
  let step = 1;
  if (stepText !== undefined) {
    if (!/^\d{1,2}$/.test(stepText) || Number(stepText) === 0) {
      throw new CronError(`${field.name}: step "${stepText}" must be a whole number from 1`);
    }
    step = Number(stepText);
  }
  let from: number;
  let to: number;
  if (rangeText === '*') {
    from = field.min;
    to = field.name === 'day of week' ? 6 : field.max;
  } else if (rangeText.includes('-')) {
    const bounds = rangeText.split('-');
    if (bounds.length !== 2) throw new CronError(`${field.name}: "${rangeText}" is not a range`);
    from = value(bounds[0] as string, field);
    to = value(bounds[1] as string, field);
    if (from > to) {
      throw new CronError(`${field.name}: range "${rangeText}" runs backwards`);
    }
  } else {
    from = value(rangeText, field);
    // `5/10` means from 5 to the end in steps of 10, as in Vixie cron.
    to = stepText === undefined ? from : field.max;
  }
  for (let v = from; v <= to; v += step) out.add(v);
}

function value(text: string, field: FieldSpec): number {
  const lower = text.toLowerCase();
  if (field.names && /^[a-z]{3}$/.test(lower)) {
    const index = field.names.indexOf(lower);
    if (index < 0) {
      throw new CronError(`${field.name}: unknown name "${text}" (use ${field.names.join(', ')})`);
    }
    return index + (field.namesFrom ?? 0);
  }
  if (!/^\d{1,2}$/.test(text)) {
    throw new CronError(`${field.name}: "${text}" is not a number${field.names ? ' or a name' : ''}`);
  }
  const n = Number(text);
  if (n < field.min || n > field.max) {
    throw new CronError(`${field.name}: ${n} is outside ${field.min}-${field.max}`);
  }
  return n;
}
