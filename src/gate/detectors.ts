/**
 * The release-tree scan's own secret detectors: provider credential formats with a fixed prefix or shape,
 * JSON Web Tokens, PEM private keys, credentials in URLs, a few detectors that need context (a Twilio auth
 * token next to its Account SID, an AWS secret key next to an access key id), OpenPort's own tokens, and
 * credential-named assignments in configuration files. Every candidate passes the same filters before it
 * is a hit: placeholders and examples (`your-token-here`, `xxxx`, `<…>`, `${VAR}`, `changeme`, `EXAMPLE`),
 * repeated or sequential characters, low entropy, and for token formats that are base64 of random bytes,
 * base64 of plain text. Files meant as templates (`*.example`, `*.sample`, `*.template`, …) are held to a
 * higher entropy and get no keyword-based findings at all.
 */
import { basename } from 'node:path';

export type SecretRule = 'GATE-007' | 'GATE-008' | 'GATE-010';

export interface DetectorHit {
  ruleId: SecretRule;
  /** The detector's id, e.g. `github-token`. */
  detector: string;
  /** What was found, for the message: `GitHub token`. */
  what: string;
  /** Range of the secret value in the text. */
  start: number;
  end: number;
}

interface Detector {
  id: string;
  what: string;
  rule?: SecretRule;
  /** Global; group 1, when the pattern has one, is the secret. */
  re: RegExp;
  /** Least Shannon entropy of the secret, bits per character. */
  minEntropy: number;
  /** The part after this prefix is base64url of random bytes: plain text encoded that way is a decoy. */
  randomAfter?: string;
  /** Anything else the shape needs (a JWT's header names an algorithm, …); `match` is the whole match. */
  accept?: (value: string, match: string) => boolean;
  /** A human-chosen value (a password): words such as `password` or `test` mark a stand-in too. */
  chosen?: boolean;
}

// Boundaries: a token does not continue into neighbouring token characters.
const B = '(?<![A-Za-z0-9_-])';
const E = '(?![A-Za-z0-9_-])';
const re = (body: string, flags = '') => new RegExp(`${B}${body}${E}`, `g${flags}`);

/**
 * Formats whose prefix or shape alone says what they are. Kept to formats the providers document or
 * publish for secret scanning; a format without a distinctive prefix needs context and is handled below.
 */
const DETECTORS: readonly Detector[] = [
  { id: 'openport-agent-token', what: 'OpenPort agent token', rule: 'GATE-008', re: re('op_[A-Za-z0-9_-]{40,128}'), minEntropy: 3.5, randomAfter: 'op_' },
  { id: 'openport-admin-token', what: 'OpenPort admin token', rule: 'GATE-008', re: re('adm_[A-Za-z0-9_-]{30,128}'), minEntropy: 3.5, randomAfter: 'adm_' },
  { id: 'aws-access-key-id', what: 'AWS access key id', re: /(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Za-z0-9])/g, minEntropy: 3.0 },
  { id: 'github-token', what: 'GitHub token', re: re('gh[pousr]_[A-Za-z0-9]{36,251}'), minEntropy: 3.5 },
  { id: 'github-fine-grained-pat', what: 'GitHub fine-grained token', re: re('github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}'), minEntropy: 3.5 },
  { id: 'gitlab-token', what: 'GitLab token', re: re('gl(?:pat|ptt|dt|rt|oas|cbt|imt|ft|soat)-[A-Za-z0-9_-]{20,}(?:\\.[A-Za-z0-9_.-]+)?'), minEntropy: 3.2 },
  { id: 'slack-token', what: 'Slack token', re: re('xox[abposre]-(?:[0-9]+-){1,3}[A-Za-z0-9]{16,}'), minEntropy: 3.2 },
  { id: 'slack-webhook', what: 'Slack webhook URL', re: /https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9]{8,12}\/[A-Za-z0-9]{8,12}\/[A-Za-z0-9]{20,}/g, minEntropy: 3.5 },
  { id: 'stripe-secret-key', what: 'Stripe live secret key', re: re('[sr]k_live_[A-Za-z0-9]{20,247}'), minEntropy: 3.5 },
  { id: 'google-api-key', what: 'Google API key', re: re('AIza[A-Za-z0-9_-]{35}'), minEntropy: 3.5 },
  { id: 'google-oauth-client-secret', what: 'Google OAuth client secret', re: re('GOCSPX-[A-Za-z0-9_-]{28}'), minEntropy: 3.5 },
  { id: 'jwt', what: 'JSON Web Token', re: re('ey[A-Za-z0-9_-]{10,}\\.ey[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{16,}'), minEntropy: 3.5, accept: isSignedJwt },
  { id: 'twilio-api-key', what: 'Twilio API key', re: /(?<![A-Za-z0-9])SK[0-9a-f]{32}(?![A-Za-z0-9])/g, minEntropy: 3.0 },
  { id: 'npm-token', what: 'npm access token', re: re('npm_[A-Za-z0-9]{36}'), minEntropy: 3.5 },
  { id: 'sendgrid-api-key', what: 'SendGrid API key', re: re('SG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}'), minEntropy: 3.5 },
  { id: 'anthropic-api-key', what: 'Anthropic API key', re: re('sk-ant-(?:api|admin)[0-9]{2}-[A-Za-z0-9_-]{80,120}'), minEntropy: 3.5 },
  // OpenAI's keys (sk-, sk-proj-, sk-svcacct-, sk-admin-) and the many APIs that copied the sk- shape.
  { id: 'openai-style-key', what: 'sk- API key', re: re('sk-(?!ant-)(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{32,200}'), minEntropy: 3.8, accept: isKeyBody },
  { id: 'azure-storage-key', what: 'Azure storage account key', re: /AccountKey=([A-Za-z0-9+/]{86}==)/g, minEntropy: 4.5 },
  { id: 'azure-ad-client-secret', what: 'Azure AD client secret', re: /(?<![A-Za-z0-9_~.-])[A-Za-z0-9_~.]{3}[0-9]Q~[A-Za-z0-9_~.-]{31,34}(?![A-Za-z0-9_~.-])/g, minEntropy: 3.5 },
  { id: 'telegram-bot-token', what: 'Telegram bot token', re: /(?<![A-Za-z0-9_:-])[0-9]{8,10}:AA[A-Za-z0-9_-]{33}(?![A-Za-z0-9_-])/g, minEntropy: 3.5 },
  { id: 'discord-webhook', what: 'Discord webhook URL', re: /https:\/\/(?:ptb\.|canary\.)?discord(?:app)?\.com\/api\/webhooks\/[0-9]{17,20}\/[A-Za-z0-9_-]{60,68}/g, minEntropy: 3.5 },
  { id: 'huggingface-token', what: 'Hugging Face token', re: re('hf_[A-Za-z]{34}'), minEntropy: 3.5 },
  { id: 'digitalocean-token', what: 'DigitalOcean token', re: re('do[opr]_v1_[a-f0-9]{64}'), minEntropy: 3.0 },
  { id: 'pypi-token', what: 'PyPI token', re: re('pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,}'), minEntropy: 3.5 },
  { id: 'shopify-token', what: 'Shopify token', re: re('shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}'), minEntropy: 3.0 },
  { id: 'square-token', what: 'Square token', re: re('(?:sq0atp-[A-Za-z0-9_-]{22}|sq0csp-[A-Za-z0-9_-]{43}|EAAA[A-Za-z0-9_-]{60})'), minEntropy: 3.5 },
  { id: 'mailgun-key', what: 'Mailgun API key', re: re('key-[0-9a-f]{32}'), minEntropy: 3.0 },
  { id: 'mailchimp-key', what: 'Mailchimp API key', re: re('[0-9a-f]{32}-us[0-9]{1,2}'), minEntropy: 3.0 },
  { id: 'vault-token', what: 'HashiCorp Vault token', re: re('hv[sb]\\.[A-Za-z0-9_-]{90,}'), minEntropy: 3.5 },
  { id: 'linear-api-key', what: 'Linear API key', re: re('lin_api_[A-Za-z0-9]{40}'), minEntropy: 3.5 },
  { id: 'postman-api-key', what: 'Postman API key', re: re('PMAK-[a-f0-9]{24}-[a-f0-9]{34}'), minEntropy: 3.0 },
  { id: 'doppler-token', what: 'Doppler token', re: re('dp\\.(?:pt|st|sa|ct|scim|audit)\\.[A-Za-z0-9]{40,44}'), minEntropy: 3.5 },
  { id: 'databricks-token', what: 'Databricks token', re: re('dapi[a-f0-9]{32}(?:-[0-9])?'), minEntropy: 3.0 },
  { id: 'age-secret-key', what: 'age secret key', re: re('AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}'), minEntropy: 3.5 },
  { id: 'grafana-token', what: 'Grafana token', re: re('(?:glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}|glc_[A-Za-z0-9+/]{32,400}={0,2})'), minEntropy: 3.5 },
  { id: 'new-relic-key', what: 'New Relic API key', re: re('NRAK-[A-Z0-9]{27}'), minEntropy: 3.5 },
  { id: 'sentry-token', what: 'Sentry auth token', re: re('(?:sntrys_eyJ[A-Za-z0-9+/=_-]{60,}|sntryu_[a-f0-9]{64})'), minEntropy: 3.5 },
  { id: 'mapbox-secret-token', what: 'Mapbox secret token', re: re('sk\\.eyJ[A-Za-z0-9_-]{20,}\\.[A-Za-z0-9_-]{20,}'), minEntropy: 3.5 },
  { id: 'supabase-token', what: 'Supabase token', re: re('sbp_[a-f0-9]{40}'), minEntropy: 3.0 },
  { id: 'pulumi-token', what: 'Pulumi token', re: re('pul-[a-f0-9]{40}'), minEntropy: 3.0 },
  { id: 'atlassian-api-token', what: 'Atlassian API token', re: re('ATATT3[A-Za-z0-9_=-]{150,220}'), minEntropy: 3.5 },
  { id: 'onepassword-service-token', what: '1Password service account token', re: re('ops_eyJ[A-Za-z0-9+/]{100,}={0,2}'), minEntropy: 3.5 },
  { id: 'private-key', what: 'private key', rule: 'GATE-010', re: /-----BEGIN (?:[A-Z0-9]+ ){0,3}PRIVATE KEY(?: BLOCK)?-----([\s\S]{0,16384}?)-----END (?:[A-Z0-9]+ ){0,3}PRIVATE KEY(?: BLOCK)?-----/g, minEntropy: 4.5, accept: hasKeyBody },
  // scheme://user:password@host; the password is the secret.
  { id: 'url-credentials', what: 'password in a URL', re: /\b[a-z][a-z0-9+.-]{1,20}:\/\/[^\s:/@'"`<>]{1,64}:([^\s@/'"`<>]{6,128})@([A-Za-z0-9.-]+)/g, minEntropy: 3.0, chosen: true, accept: realUrlCredential },
];

/** Shannon entropy in bits per character. */
export function entropy(s: string): number {
  if (s.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) h -= (n / s.length) * Math.log2(n / s.length);
  return h;
}

/** A generated key mixes upper case, lower case and digits, or is hex; `sk-some-css-class-v2` is neither. */
function isKeyBody(v: string): boolean {
  const body = v.replace(/^sk-(?:proj-|svcacct-|admin-)?/, '');
  return (/[A-Z]/.test(body) && /[a-z]/.test(body) && /[0-9]/.test(body)) || /^[0-9a-f]{32,}$/.test(body);
}

function base64urlDecode(s: string): Buffer | undefined {
  if (!/^[A-Za-z0-9_-]+={0,2}$/.test(s)) return undefined;
  return Buffer.from(s.replace(/=+$/, ''), 'base64url');
}

function jsonPart(s: string): any {
  try {
    return JSON.parse(base64urlDecode(s)?.toString('utf8') ?? '');
  } catch {
    return undefined;
  }
}

/** A JWT that authenticates: its header names a real algorithm and its payload is a JSON object. */
function isSignedJwt(v: string): boolean {
  const [h, p] = v.split('.');
  const header = jsonPart(h!);
  const payload = jsonPart(p!);
  return typeof header?.alg === 'string' && header.alg.toLowerCase() !== 'none' && payload !== null && typeof payload === 'object';
}

/** A URL password that could be real: not a word and a number, and not for a local or documentation host (localhost, example.com, *.test). */
function realUrlCredential(password: string, match: string): boolean {
  if (WORD_AND_NUMBER.test(password)) return false;
  const host = (/@([A-Za-z0-9.-]+)$/.exec(match)?.[1] ?? '').toLowerCase();
  return !/^(?:localhost|127\.0\.0\.1|0\.0\.0\.0|host\.docker\.internal)$|(?:^|\.)(?:example|localhost|test|invalid|local)(?:\.[a-z]+)?$/.test(host);
}

/**
 * A URL whose password is a stand-in (`user:password@`, `${PASS}`) or whose host is local or for
 * documentation: the same judgement for secretlint's connection-string findings as for the tool's own.
 */
export function isStandInUrl(value: string): boolean {
  const m = /:\/\/[^\s:/@]+:([^\s@/]+)@([A-Za-z0-9.-]+)/.exec(value);
  return !!m && (isPlaceholder(m[1]!, true) || !realUrlCredential(m[1]!, `@${m[2]}`));
}

function hasKeyBody(v: string): boolean {
  const body = keyBody(v);
  return body.length >= 64 && !/\.\.\.|…|<|>/.test(v);
}

/** The base64 of a PEM block, without its armour lines and headers. */
function keyBody(pem: string): string {
  return pem.split('\n').filter((l) => !/^-----|:/.test(l.trim())).join('').replace(/[^A-Za-z0-9+/=]/g, '');
}

/** Decoded bytes that are all printable text: base64 of a sentence, not of 32 random bytes. */
function isEncodedText(body: string): boolean {
  const bytes = base64urlDecode(body);
  if (!bytes || bytes.length < 12) return false;
  return bytes.every((b) => b === 9 || b === 10 || b === 13 || (b >= 32 && b < 127));
}

// Words that mark a value as a stand-in. In a generated token they count only between punctuation
// (`xoxb-your-token-here`), so random token characters cannot spell them by chance; in a human-chosen
// value (a configured password) also at case changes and digits (`myPassword123`).
const PLACEHOLDER_WORDS = new Set([
  'example', 'examples', 'sample', 'your', 'yours', 'placeholder', 'changeme', 'dummy', 'fake', 'redacted', 'replace', 'insert',
  'here', 'todo', 'foo', 'bar', 'baz', 'lorem', 'ipsum', 'notasecret', 'xxx', 'xxxx', 'mock', 'invalid',
]);
/** Stand-ins of human-chosen values only (configuration assignments, URL passwords). */
const CHOSEN_PLACEHOLDER_WORDS = new Set(['test', 'testing', 'secret', 'password', 'passwd', 'token', 'credential', 'credentials', 'none', 'null', 'empty', 'default', 'local', 'dev']);
const STRUCTURAL_PLACEHOLDER = /x{5,}|X{5,}|\*{3,}|\.{3}|…|<[^>]*>|\$\{|\{\{|%\(|\$\(|\bchange[_-]?me\b/i;
/** Long stand-in words are found anywhere, even inside an upper-case run (`…CYEXAMPLEKEY`): random text never spells six letters. */
const PLACEHOLDER_INFIX = /example|sample|placeholder|changeme|redacted|notasecret|replaceme|yourkey|yourtoken|dummy/i;

function words(v: string, chosen: boolean): string[] {
  const parts = chosen ? (v.match(/[A-Z]?[a-z]+|[A-Z]+(?![a-z])/g) ?? []) : v.split(/[^A-Za-z0-9]+/);
  return parts.map((w) => w.toLowerCase());
}

/** Six or more of one character, or an ascending/descending run of six (`abcdef`, `123456`, `987654`). */
function hasRunOf(v: string, n = 6): boolean {
  let same = 1;
  let up = 1;
  let down = 1;
  for (let i = 1; i < v.length; i++) {
    const d = v.charCodeAt(i) - v.charCodeAt(i - 1);
    same = d === 0 ? same + 1 : 1;
    up = d === 1 ? up + 1 : 1;
    down = d === -1 ? down + 1 : 1;
    if (same >= n || up >= n || down >= n) return true;
  }
  return false;
}

/** Is this value a stand-in rather than a credential? */
export function isPlaceholder(value: string, chosen = false): boolean {
  if (STRUCTURAL_PLACEHOLDER.test(value) || PLACEHOLDER_INFIX.test(value) || hasRunOf(value)) return true;
  return words(value, chosen).some((w) => PLACEHOLDER_WORDS.has(w) || (chosen && CHOSEN_PLACEHOLDER_WORDS.has(w)));
}

/** `.env.example`, `config.sample.yaml`, `settings.template.json`, `app.yml.dist`: templates meant to be shipped. */
export function isTemplateFile(file: string): boolean {
  return /(?:^|[.-])(?:example|sample|template|tmpl|tpl|dist)(?:\.[A-Za-z0-9]+)?$/i.test(basename(file));
}

/** Templates are held to a stricter standard: a little more entropy than anywhere else. */
const TEMPLATE_ENTROPY_BONUS = 0.5;

const CONFIG_EXT = /\.(?:ya?ml|env|ini|properties|toml|json|conf|cfg|cnf)$/i;
const CONFIG_NAME = /^(?:\.env(?:\..+)?|\.npmrc|\.yarnrc(?:\.yml)?|\.pypirc)$/i;

/** Configuration files, where a credential-named key holds its value literally. */
export function isConfigFile(file: string): boolean {
  return CONFIG_EXT.test(file) || CONFIG_NAME.test(basename(file));
}

// key (ending in a credential word) then = or : then the value; the key may be quoted, dotted, or an
// .npmrc registry key (`//registry.npmjs.org/:_authToken`).
const ASSIGNMENT = /^[ \t]*(?:export[ \t]+|-[ \t]+)?["']?([A-Za-z0-9_.\-/:@]*?(?:password|passwd|pwd|secret|api[_.-]?key|apikey|access[_.-]?key|private[_.-]?key|secret[_.-]?key|client[_.-]?secret|app[_.-]?key|auth[_.-]?token|access[_.-]?token|refresh[_.-]?token|bearer[_.-]?token|token|_auth|_password|credentials?|signing[_.-]?key|encryption[_.-]?key|master[_.-]?key))["']?[ \t]*(?:=|:)[ \t]*(.*)$/gim;
/** Values that point elsewhere: variables, secret-manager and vault references, paths, URLs. */
const REFERENCE = /^(?:\$|ENC\[|vault:|secret:|secrets:|ref\+|op:\/\/|sm:\/\/|arn:|projects\/|env\(|file:|\/|\.\/|~\/|[a-z][a-z0-9+.-]*:\/\/)/i;
/** In YAML, unquoted, these start a tag, anchor, alias, flow collection or block scalar; quoted, or in other formats, they are characters. */
const YAML_SIGIL = /^[%!&*{[<@|>]/;
/** A word and a number (`rootpass123`, `admin2024!`): a local stand-in, not a generated secret. */
const WORD_AND_NUMBER = /^[A-Za-z]+[-_.]?[0-9]{1,4}[!?.#]?$/;
/** A name rather than a value: kebab/snake/dotted lower-case words, or an environment-variable name. */
const IDENTIFIER = /^(?:[a-z][a-z0-9]*(?:[-_.][a-z0-9]+)+|[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)$/;

function assignmentValue(raw: string, yaml: boolean): { value: string; offset: number } | undefined {
  const q = raw[0];
  if (q === '"' || q === "'") {
    const end = raw.indexOf(q, 1);
    return end > 1 ? { value: raw.slice(1, end), offset: 1 } : undefined;
  }
  if (yaml && YAML_SIGIL.test(raw)) return undefined;
  // Unquoted: up to white space (YAML, dotenv and INI comments start after white space; `a#b` is one
  // value); a trailing comma of a JSON-ish line is not part of it.
  const m = /^\S+/.exec(raw);
  return m ? { value: m[0].replace(/,$/, ''), offset: 0 } : undefined;
}

/** A value that could be a password or key: long enough, no spaces, varied, with a digit or symbol. */
function looksLikeSecretValue(v: string, minEntropy: number): boolean {
  if (v.length < 8 || v.length > 512 || /\s/.test(v)) return false;
  if (REFERENCE.test(v) || IDENTIFIER.test(v) || /^(?:true|false|yes|no|on|off|null|none|~)$/i.test(v) || /^[0-9.+-]+$/.test(v)) return false;
  if (!/[0-9]/.test(v) && !/[^A-Za-z0-9]/.test(v)) return false;
  if (WORD_AND_NUMBER.test(v)) return false;
  return entropy(v) >= minEntropy;
}

function keywordHits(file: string, text: string, strict: boolean): DetectorHit[] {
  if (strict) return [];
  const yaml = /\.ya?ml$/i.test(file);
  const hits: DetectorHit[] = [];
  for (const m of text.matchAll(ASSIGNMENT)) {
    const raw = m[2]!;
    const parsed = assignmentValue(raw.trimEnd(), yaml);
    if (!parsed || isPlaceholder(parsed.value, true) || !looksLikeSecretValue(parsed.value, 3.0)) continue;
    const start = m.index + m[0].length - raw.length + parsed.offset;
    hits.push({ ruleId: 'GATE-007', detector: 'config-credential', what: `credential in configuration (${m[1]})`, start, end: start + parsed.value.length });
  }
  return hits;
}

/** Offsets at which each line starts. */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

/** 1-based line and column of a string index. */
export function position(starts: readonly number[], index: number): { line: number; column: number } {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= index) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: index - starts[lo]! + 1 };
}

/** For an index: is one of the anchors within `span` lines, and on the same line? */
function near(text: string, starts: readonly number[], anchor: RegExp, span: number): (index: number) => { sameLine: boolean } | undefined {
  const lines = [...text.matchAll(anchor)].map((m) => position(starts, m.index).line);
  if (lines.length === 0) return () => undefined;
  return (index) => {
    const l = position(starts, index).line;
    const d = Math.min(...lines.map((a) => Math.abs(a - l)));
    return d <= span ? { sameLine: d === 0 } : undefined;
  };
}

function lineAt(text: string, index: number): string {
  const s = text.lastIndexOf('\n', index - 1) + 1;
  const e = text.indexOf('\n', index);
  return text.slice(s, e === -1 ? text.length : e);
}

/** Secrets without a prefix of their own, recognised by what stands next to them. */
function contextualHits(text: string, starts: readonly number[], minBonus: number): DetectorHit[] {
  const hits: DetectorHit[] = [];
  // A Twilio auth token is 32 hex characters; it is one when its Account SID (AC + 32 hex) is on the
  // same line, or within three lines and the line says what it is.
  const nearSid = near(text, starts, /(?<![A-Za-z0-9])AC[0-9a-f]{32}(?![A-Za-z0-9])/g, 3);
  for (const m of text.matchAll(/(?<![A-Za-z0-9])[0-9a-f]{32}(?![A-Za-z0-9])/g)) {
    const ctx = nearSid(m.index);
    if (!ctx || entropy(m[0]) < 3.0 + minBonus || hasRunOf(m[0])) continue;
    if (ctx.sameLine || /auth|token|secret|twilio/i.test(lineAt(text, m.index))) {
      hits.push({ ruleId: 'GATE-007', detector: 'twilio-auth-token', what: 'Twilio auth token', start: m.index, end: m.index + 32 });
    }
  }
  // An AWS secret access key is 40 base64 characters; it is one on a line that says "secret" near an
  // access key id or the word AWS.
  const nearAws = near(text, starts, /(?<![A-Za-z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])|aws/gi, 3);
  for (const m of text.matchAll(/(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g)) {
    const v = m[0];
    if (!/[a-z]/.test(v) || !/[A-Z]/.test(v) || entropy(v) < 4.3 + minBonus || isPlaceholder(v)) continue;
    if (nearAws(m.index) && /secret/i.test(lineAt(text, m.index))) {
      hits.push({ ruleId: 'GATE-007', detector: 'aws-secret-access-key', what: 'AWS secret access key', start: m.index, end: m.index + 40 });
    }
  }
  return hits;
}

/** Every credential the detectors find in one file's text; placeholders, examples and decoys filtered out. */
export function detectSecrets(file: string, text: string, starts: readonly number[] = lineStarts(text)): DetectorHit[] {
  const strict = isTemplateFile(file);
  const bonus = strict ? TEMPLATE_ENTROPY_BONUS : 0;
  const hits: DetectorHit[] = [];
  for (const d of DETECTORS) {
    for (const m of text.matchAll(d.re)) {
      const value = m[1] ?? m[0];
      const start = m.index + (m[1] !== undefined ? m[0].indexOf(m[1]) : 0);
      const measured = d.rule === 'GATE-010' ? keyBody(value) : value;
      if (entropy(measured) < d.minEntropy + bonus) continue;
      if (d.rule !== 'GATE-010' && isPlaceholder(value, d.chosen)) continue;
      if (d.randomAfter && isEncodedText(value.slice(d.randomAfter.length))) continue;
      if (d.accept && !d.accept(value, m[0])) continue;
      // A key's armour is what the finding points at; the value is its body.
      const [s, e] = d.rule === 'GATE-010' ? [m.index, m.index + m[0].length] : [start, start + value.length];
      hits.push({ ruleId: d.rule ?? 'GATE-007', detector: d.id, what: d.what, start: s, end: e });
    }
  }
  hits.push(...contextualHits(text, starts, bonus));
  if (isConfigFile(file)) hits.push(...keywordHits(file, text, strict));
  return hits;
}

/** Detector ids, for the docs and for directives that name one. */
export const DETECTOR_IDS: readonly string[] = [...DETECTORS.map((d) => d.id), 'twilio-auth-token', 'aws-secret-access-key', 'config-credential'];
