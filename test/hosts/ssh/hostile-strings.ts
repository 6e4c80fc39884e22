/** Shared by the quoting unit tests and the real-sshd tests. */
/** Strings that would run `touch MARKER` (or worse) if they reached a shell unquoted. */
export function hostileStrings(markerPath: string): string[] {
  return [
    `$(touch ${markerPath})`,
    `\`touch ${markerPath}\``,
    `; touch ${markerPath}`,
    `x\ntouch ${markerPath}\n`,
    `' ; touch ${markerPath} ; '`,
    `"$(touch ${markerPath})"`,
    `'"'"'$(touch ${markerPath})`,
    `\\'; touch ${markerPath}; echo \\'`,
    `| touch ${markerPath}`,
    `&& touch ${markerPath}`,
    `> ${markerPath}`,
    '*',
    '/*',
    '?',
    '[a-z]*',
    '~',
    '~root',
    '$HOME',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal shell expansion is the point
    '${HOME}',
    '-rf',
    '--',
    '-',
    '',
    ' ',
    'a b\tc',
    "it's",
    '\\',
    '\\n',
    '#comment',
    '!event',
    '{a,b}',
    'ünïcødé ✓',
  ];
}
