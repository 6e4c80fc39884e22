/** ANSI colours for terminal output; identity when colour is off (the default). */
const CODES = { green: 32, yellow: 33, red: 31, magenta: 35, dim: 2, bold: 1 } as const;
export type Colour = keyof typeof CODES;

export type Paint = (colour: Colour, text: string) => string;

export function painter(enabled: boolean): Paint {
  if (!enabled) return (_colour, text) => text;
  return (colour, text) => `\u001b[${CODES[colour]}m${text}\u001b[0m`;
}

export const SYMBOL_COLOUR: Record<string, Colour> = {
  '+': 'green',
  '~': 'yellow',
  '-': 'red',
  '!': 'magenta',
  '=': 'dim',
};
