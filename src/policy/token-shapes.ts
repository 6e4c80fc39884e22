/**
 * Shapes of credentials issued by the major providers, as published in their documentation and
 * by secret scanners (GitHub secret scanning, gitleaks). Each is matched on the raw text of a YAML
 * file (values, keys and comments alike), bounded so that it does not match inside a longer word.
 * `group` is the capture group holding the secret when the match includes a key (AWS secret key).
 */
export interface TokenShape {
  id: string;
  /** Shown to the user instead of the value: "looks like <description>". */
  description: string;
  pattern: RegExp;
  group?: number;
}

const B = '(?<![A-Za-z0-9_-])';
const E = '(?![A-Za-z0-9_-])';

export const TOKEN_SHAPES: readonly TokenShape[] = [
  {
    id: 'github-pat',
    description: 'a GitHub personal access token (ghp_)',
    pattern: new RegExp(`${B}ghp_[A-Za-z0-9]{36,255}${E}`, 'g'),
  },
  {
    id: 'github-oauth',
    description: 'a GitHub OAuth access token (gho_)',
    pattern: new RegExp(`${B}gho_[A-Za-z0-9]{36,255}${E}`, 'g'),
  },
  {
    id: 'github-user-to-server',
    description: 'a GitHub user-to-server token (ghu_)',
    pattern: new RegExp(`${B}ghu_[A-Za-z0-9]{36,255}${E}`, 'g'),
  },
  {
    id: 'github-server-to-server',
    description: 'a GitHub server-to-server token (ghs_)',
    pattern: new RegExp(`${B}ghs_[A-Za-z0-9]{36,255}${E}`, 'g'),
  },
  {
    id: 'github-refresh',
    description: 'a GitHub refresh token (ghr_)',
    pattern: new RegExp(`${B}ghr_[A-Za-z0-9]{36,255}${E}`, 'g'),
  },
  {
    id: 'github-fine-grained-pat',
    description: 'a GitHub fine-grained personal access token (github_pat_)',
    pattern: new RegExp(`${B}github_pat_[A-Za-z0-9_]{50,255}${E}`, 'g'),
  },
  {
    id: 'gitlab-pat',
    description: 'a GitLab personal access token (glpat-)',
    pattern: new RegExp(`${B}glpat-[A-Za-z0-9_-]{20,}${E}`, 'g'),
  },
  {
    id: 'aws-access-key-id',
    description: 'an AWS access key id (AKIA/ASIA)',
    pattern: /(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])/g,
  },
  {
    id: 'aws-secret-access-key',
    description: 'an AWS secret access key',
    pattern: /aws_?secret_?access_?key["']?\s*[:=]\s*["']?([A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])/gi,
    group: 1,
  },
  {
    id: 'google-api-key',
    description: 'a Google API key (AIza)',
    pattern: new RegExp(`${B}AIza[0-9A-Za-z_-]{35}${E}`, 'g'),
  },
  {
    id: 'google-oauth-token',
    description: 'a Google OAuth access token (ya29.)',
    pattern: new RegExp(`${B}ya29\\.[0-9A-Za-z_-]{20,}${E}`, 'g'),
  },
  {
    id: 'slack-token',
    description: 'a Slack token (xox…-)',
    pattern: new RegExp(`${B}xox[abposr]-[0-9A-Za-z-]{10,}${E}`, 'g'),
  },
  {
    id: 'slack-webhook',
    description: 'a Slack incoming webhook URL',
    pattern: /https:\/\/hooks\.slack\.com\/services\/T[A-Z0-9]+\/B[A-Z0-9]+\/[A-Za-z0-9]+/g,
  },
  {
    id: 'stripe-live-key',
    description: 'a Stripe live secret key (sk_live_/rk_live_)',
    pattern: new RegExp(`${B}[sr]k_live_[0-9A-Za-z]{20,}${E}`, 'g'),
  },
  {
    id: 'anthropic-api-key',
    description: 'an Anthropic API key (sk-ant-)',
    pattern: new RegExp(`${B}sk-ant-[A-Za-z0-9_-]{32,}${E}`, 'g'),
  },
  {
    id: 'openai-api-key',
    description: 'an OpenAI API key (sk-)',
    pattern: new RegExp(`${B}sk-(?!ant-)(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{32,}${E}`, 'g'),
  },
  {
    id: 'private-key',
    description: 'a private key block (-----BEGIN … PRIVATE KEY-----)',
    pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/g,
  },
  {
    id: 'url-password',
    description: 'a URL with an embedded password (scheme://user:password@host)',
    pattern: /(?<![A-Za-z0-9+.-])[a-z][a-z0-9+.-]*:\/\/[^\s:@/'"]+:([^\s@/'"]{3,})@/gi,
    group: 1,
  },
  {
    id: 'jwt',
    description: 'a JSON Web Token (eyJ….eyJ….…)',
    pattern: new RegExp(`${B}eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}${E}`, 'g'),
  },
];
