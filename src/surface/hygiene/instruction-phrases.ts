/**
 * Phrases aimed at the model rather than at a person: overriding earlier instructions, hiding
 * something from the user, reading credentials "before using this tool", sending data out,
 * pseudo-markup such as `<IMPORTANT>`, and instructions about other tools. Matched on the
 * skeleton (skeleton.ts: lower case, single spaces, hidden characters dropped) with RE2, whose
 * time is linear in the text: descriptions are untrusted and may be built to make a backtracking
 * engine hang.
 *
 * Tuned against real servers (server-everything, server-memory, server-filesystem): their
 * descriptions match none of these. A phrase belongs here only if an honest description has no
 * reason to say it.
 */
import { type Re2, re2 } from '../../policy/load-re2.js';

export interface InstructionPhrase {
  /** What the phrase does, in the finding's words. */
  label: string;
  /** RE2 syntax, over the skeleton (lower case, one space between words). */
  pattern: string;
}

const SECRET_THINGS =
  '(?:api[ _-]?keys?|credentials?|secrets?|passwords?|tokens?|private keys?|ssh keys?|env(?:ironment)? variables|conversation(?: history)?|chat history|system prompt)';
const SENSITIVE_PATHS =
  '(?:~/\\.ssh|\\$home/\\.ssh|\\.ssh/(?:id_|authorized_keys|config)|\\bid_(?:rsa|ed25519|ecdsa|dsa)\\b|/etc/(?:passwd|shadow)|\\.aws/credentials|\\.git-credentials|\\.netrc|\\.npmrc|\\.pypirc|\\.docker/config\\.json|\\.kube/config|\\.gnupg|mcp\\.json|claude_desktop_config\\.json)';

export const INSTRUCTION_PHRASES: readonly InstructionPhrase[] = [
  {
    label: 'tells the model to ignore its instructions',
    pattern:
      '\\b(?:ignore|disregard|forget|override|bypass)(?: all| any| of)*(?: the| your| my)? (?:previous|prior|above|earlier|preceding|former|system|original|other|existing)(?: \\w+)? (?:instructions?|prompts?|directions|directives|rules|guidelines|guardrails|context|messages)\\b',
  },
  {
    label: 'tells the model to keep something from the user',
    pattern:
      "\\b(?:do not|don't|never|must not|should not|shouldn't) (?:tell|inform|notify|alert|mention|reveal|disclose|show|let)(?: this| it| that| anything| any of this)?(?: to)? (?:the )?users?\\b",
  },
  {
    label: 'tells the model to hide what it does',
    pattern:
      "\\b(?:do not|don't|never) (?:mention|reveal|disclose|say|explain)(?: to anyone)? (?:that|this|it|why|how)\\b|\\bwithout (?:telling|informing|notifying|alerting|asking) (?:the )?users?\\b|\\b(?:hide|conceal|keep) (?:this|it|that)(?: secret)? from (?:the )?users?\\b|\\b(?:could|would|might|will) (?:even )?(?:upset|alarm|scare|worry) the user\\b|\\bthe user (?:must|should|need) not (?:know|see|be told|find out)\\b",
  },
  {
    label: 'asks for steps before the tool is used',
    pattern:
      '\\bbefore (?:using|calling|invoking|running) this tool,? (?:you )?(?:must |should |need to |have to |first |always )*(?:read|open|cat|load|fetch|send|include|pass|provide|upload|collect|gather|call)\\b',
  },
  {
    label: 'points the model at credentials or client configuration',
    pattern: `\\b(?:read|cat|open|load|include|send|pass|upload|attach|copy|access|get|put|paste|provide|contents? of)\\b[^.]{0,40}${SENSITIVE_PATHS}`,
  },
  {
    label: 'tells the model to send data out',
    pattern: `\\b(?:you (?:must|should|need to|have to|are required to)|always|make sure to|be sure to) (?:also )?(?:send|forward|upload|post|email|transmit|exfiltrate|leak|copy|include|pass|attach)\\b[^.]{0,60}\\b${SECRET_THINGS}`,
  },
  {
    label: 'asks for secrets or the conversation',
    pattern: `\\b(?:send|forward|upload|post|email|transmit|exfiltrate|leak) (?:all |the |any |every |your |the user's )*${SECRET_THINGS}`,
  },
  {
    label: 'pseudo-markup addressed to the model',
    pattern:
      '</?(?:important|system|instructions?|secret|hidden|admin|assistant|im_start|im_end)>|\\[/?(?:system|inst)\\]|<\\|im_(?:start|end)\\|>',
  },
  {
    label: 'mentions the system prompt',
    pattern: '\\bsystem prompt\\b',
  },
  {
    label: 'tries to change who the model is',
    pattern:
      '\\b(?:you are now|from now on,? you|new (?:instructions|directives?|system prompt)|(?:enter|switch to|activate|enable) (?:developer|god|jailbreak|dan|debug) mode)\\b',
  },
  {
    label: 'gives orders about other tools',
    pattern:
      '\\bwhen(?:ever)? this tool is (?:available|present|loaded|installed|enabled)\\b|\\b(?:all|every|any) other tools? (?:must|should|need to)\\b|\\binstead of (?:any|every|all|the) other tools?\\b|\\b(?:the )?\\w+ tool (?:must|should) (?:always )?(?:send|forward|redirect|cc|bcc)\\b',
  },
];

let compiled: { phrase: InstructionPhrase; re: Re2 }[] | undefined;

function compiledPhrases(): { phrase: InstructionPhrase; re: Re2 }[] {
  compiled ??= INSTRUCTION_PHRASES.map((phrase) => ({ phrase, re: re2().RE2JS.compile(phrase.pattern) }));
  return compiled;
}

export interface PhraseMatch {
  /** UTF-16 index in the skeleton. */
  start: number;
  label: string;
}

/** Matches in the skeleton, in order of position, at most `limit`; overlapping matches kept once. */
export function findPhrases(skeletonText: string, limit: number): PhraseMatch[] {
  const all: { start: number; end: number; label: string }[] = [];
  for (const { phrase, re } of compiledPhrases()) {
    const m = re.matcher(skeletonText);
    let found = 0;
    while (found < limit && m.find()) {
      all.push({ start: m.start(), end: m.end(), label: phrase.label });
      found++;
    }
  }
  all.sort((a, b) => a.start - b.start || b.end - a.end);
  const out: PhraseMatch[] = [];
  let coveredTo = -1;
  for (const match of all) {
    if (match.start < coveredTo) continue;
    out.push({ start: match.start, label: match.label });
    coveredTo = match.end;
    if (out.length >= limit) break;
  }
  return out;
}
