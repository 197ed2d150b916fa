/**
 * A release tree of realistic secrets and decoys, generated at test time from a seed: nothing in this file
 * is a credential, the values are built from a SHA-256 stream. Secrets are placed in varied files (source,
 * YAML/TOML/INI/JSON/.properties config, docs, test fixtures, .env, .npmrc, .pypirc, a script) and two live
 * only in history (a deleted file, a line changed away). Decoys are what a scanner must leave alone:
 * placeholders, provider examples, references to secret stores, UUIDs, hashes, base64 of plain text,
 * public identifiers and test doubles.
 */
import { createHash } from 'node:crypto';

export interface Planted {
  kind: 'secret' | 'decoy';
  /** Provider or shape, for the recall table. */
  family: string;
  file: string;
  /** 1-based line where the finding must start. */
  line: number;
  /** Only in an earlier commit. */
  history?: boolean;
}

export interface Corpus {
  /** The tree at HEAD. */
  files: Record<string, string>;
  /** Committed before HEAD and then deleted or changed: file → content at that earlier commit. */
  earlier: Record<string, string>;
  planted: Planted[];
}

/** Deterministic bytes: SHA-256 over seed and a counter. */
class Stream {
  private n = 0;
  constructor(private readonly seed: number) {}
  bytes(count: number): Buffer {
    const out: Buffer[] = [];
    let have = 0;
    while (have < count) {
      const b = createHash('sha256').update(`corpus:${this.seed}:${this.n++}`).digest();
      out.push(b);
      have += b.length;
    }
    return Buffer.concat(out).subarray(0, count);
  }
  /** `count` characters of `alphabet`, uniformly (rejection sampling keeps it unbiased). */
  chars(alphabet: string, count: number): string {
    let s = '';
    while (s.length < count) {
      for (const b of this.bytes(count * 2)) {
        const limit = 256 - (256 % alphabet.length);
        if (b < limit && s.length < count) s += alphabet[b % alphabet.length];
      }
    }
    return s;
  }
  int(min: number, max: number): number {
    return min + (this.bytes(4).readUInt32BE(0) % (max - min + 1));
  }
}

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';
const ALNUM = UPPER + LOWER + DIGITS;
const HEX = '0123456789abcdef';
const B64URL = `${ALNUM}-_`;
const PRINTABLE = `${ALNUM}!#%&*+-.:=?@^_~`;

const b64url = (b: Buffer) => b.toString('base64url');
const json64 = (o: object) => b64url(Buffer.from(JSON.stringify(o)));
const wrap = (s: string, width = 64) => s.match(new RegExp(`.{1,${width}}`, 'g'))!.join('\n');

/** A few credentials of distinct detectors, for tests of allowlisting and baselines. */
export function sampleSecrets(seed: number): { stripe: string; github: string; google: string; agent: string } {
  const r = new Stream(seed);
  return { stripe: `sk_live_${r.chars(ALNUM, 40)}`, github: `ghp_${r.chars(ALNUM, 36)}`, google: `AIza${r.chars(B64URL, 35)}`, agent: `op_${b64url(r.bytes(32))}` };
}

export function buildCorpus(seed: number): Corpus {
  const r = new Stream(seed);
  const files: Record<string, string[]> = {};
  const earlier: Record<string, string[]> = {};
  const planted: Planted[] = [];

  /** Append lines to a file; the line at `at` (0-based within `lines`) is where the finding starts. */
  const put = (kind: Planted['kind'], family: string, file: string, lines: string[], at = 0, into = files, history = false) => {
    const f = (into[file] ??= []);
    // A line of ordinary text between plants, as files have.
    if (f.length > 0) f.push(file.endsWith('.md') ? '' : file.endsWith('.ts') ? '// ---' : '# ---');
    planted.push({ kind, family, file, line: f.length + at + 1, ...(history ? { history } : {}) });
    f.push(...lines);
  };
  const secret = (family: string, file: string, lines: string[], at = 0) => put('secret', family, file, lines, at);
  const decoy = (family: string, file: string, lines: string[], at = 0) => put('decoy', family, file, lines, at);

  const akia = () => `AKIA${r.chars(UPPER + '234567', 16)}`;
  const awsSecret = () => r.chars(`${ALNUM}/+`, 40);
  const pem = (label: string, bytes: number, lead = '') => [`-----BEGIN ${label}` + ' PRIVATE KEY-----', ...wrap(lead + r.bytes(bytes).toString('base64')).split('\n'), `-----END ${label}` + ' PRIVATE KEY-----'];
  const jwt = (alg: string, sigBytes: number) =>
    `${json64({ alg, typ: 'JWT' })}.${json64({ sub: `user_${r.chars(HEX, 12)}`, iat: 1767225600 + r.int(0, 1e6), exp: 1767225600 + r.int(1e6, 2e6), scope: 'admin' })}.${b64url(r.bytes(sigBytes))}`;

  // ---- secrets: 30 families ----
  secret('aws-access-key-id', 'src/aws.ts', [`export const accessKeyId = '${akia()}';`]);
  const pairId = `ASIA${r.chars(UPPER + '234567', 16)}`;
  secret('aws-access-key-id', 'config/aws.yaml', [`aws_access_key_id: ${pairId}`]);
  secret('aws-secret-access-key', 'config/aws.yaml', [`aws_secret_access_key: ${awsSecret()}`]);
  secret('aws-secret-access-key', 'src/aws.ts', [`const client = new S3({ accessKeyId: '${akia()}',`, `  secretAccessKey: '${awsSecret()}' });`], 1);
  secret('github', 'src/github.ts', [`const octokit = new Octokit({ auth: 'ghp_${r.chars(ALNUM, 36)}' });`]);
  secret('github', 'docs/oauth.md', [`The OAuth app answered with \`gho_${r.chars(ALNUM, 36)}\`.`]);
  secret('github', '.env', [`GITHUB_TOKEN=github_pat_${r.chars(ALNUM, 22)}_${r.chars(ALNUM, 59)}`]);
  secret('gitlab', 'config/ci.yaml', [`gitlab_token: glpat-${r.chars(B64URL, 20)}`]);
  secret('slack', 'src/slack.ts', [`const slack = new WebClient('xoxb-${r.chars(DIGITS, 12)}-${r.chars(DIGITS, 13)}-${r.chars(ALNUM, 24)}');`]);
  secret('slack', 'docs/slack.md', [`    export SLACK_USER_TOKEN=xoxp-${r.chars(DIGITS, 12)}-${r.chars(DIGITS, 12)}-${r.chars(DIGITS, 13)}-${r.chars(HEX, 32)}`]);
  secret('slack-webhook', 'config/alerts.yaml', [`webhook: https://hooks.slack.com/services/T${r.chars(UPPER + DIGITS, 10)}/B${r.chars(UPPER + DIGITS, 10)}/${r.chars(ALNUM, 24)}`]);
  secret('stripe', 'src/billing.ts', [`const stripe = new Stripe('sk_live_${r.chars(ALNUM, 99)}');`]);
  secret('stripe', 'config/billing.toml', [`restricted_key = "rk_live_${r.chars(ALNUM, 99)}"`]);
  secret('google-api-key', 'src/maps.ts', [`const MAPS_KEY = "AIza${r.chars(B64URL, 35)}";`]);
  secret('google-oauth', 'config/oauth.json', ['{', `  "client_id": "${r.chars(DIGITS, 12)}-${r.chars(LOWER + DIGITS, 32)}.apps.googleusercontent.com",`, `  "client_secret": "GOCSPX-${r.chars(B64URL, 28)}"`, '}'], 2);
  secret('jwt', 'test/fixtures/session.json', ['{', `  "authorization": "Bearer ${jwt('HS256', 32)}"`, '}'], 1);
  secret('jwt', 'src/auth.ts', [`export const serviceJwt = '${jwt('RS256', 256)}';`]);
  secret('twilio', 'src/sms.ts', [`const apiKey = 'SK${r.chars(HEX, 32)}';`]);
  secret('twilio', 'src/sms.ts', [`const twilio = new Twilio('AC${r.chars(HEX, 32)}', '${r.chars(HEX, 32)}');`]);
  secret('twilio', 'config/twilio.yaml', [`account_sid: AC${r.chars(HEX, 32)}`, `auth_token: ${r.chars(HEX, 32)}`], 1);
  secret('npm', '.npmrc', [`//registry.npmjs.org/:_authToken=npm_${r.chars(ALNUM, 36)}`]);
  secret('sendgrid', 'src/mail.ts', [`sgMail.setApiKey('SG.${r.chars(B64URL, 22)}.${r.chars(B64URL, 43)}');`]);
  secret('openai', '.env', [`OPENAI_API_KEY=sk-proj-${r.chars(B64URL, 74)}T3BlbkFJ${r.chars(B64URL, 74)}`]);
  secret('openai', 'docs/ai.md', [`    curl -H "Authorization: Bearer sk-${r.chars(ALNUM, 48)}" https://api.openai.com/v1/models`]);
  secret('anthropic', 'src/llm.ts', [`const anthropic = new Anthropic({ apiKey: 'sk-ant-api03-${r.chars(B64URL, 93)}AA' });`]);
  secret('private-key', 'config/tls/server.key', pem('RSA', 1190));
  secret('private-key', 'docs/deploy.md', ['```', ...pem('OPENSSH', 380, 'b3BlbnNzaC1rZXktdjEAAAAA'), '```'], 1);
  secret('private-key', 'test/fixtures/ec.pem', pem('EC', 121));
  secret('config-password', 'config/database.yaml', ['database:', '  host: db.internal', `  password: "${r.chars(PRINTABLE, 18)}"`], 2);
  secret('config-password', 'config/app.ini', ['[session]', `secret_key = ${r.chars(ALNUM, 40)}`], 1);
  secret('config-password', 'config/app.properties', [`payment.api_key=${r.chars(HEX, 32)}`]);
  secret('config-password', 'config/oauth.json', ['{', `  "client_secret": "${r.chars(ALNUM, 34)}"`, '}'], 1);
  secret('url-credentials', '.env', [`DATABASE_URL=postgres://app:${r.chars(ALNUM, 24)}@db.prod.internal:5432/app`]);
  secret('azure', 'config/azure.conf', [`connection = DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=${r.bytes(64).toString('base64')};EndpointSuffix=core.windows.net`]);
  secret('azure', 'src/azure.ts', [`const clientSecret = '${r.chars(ALNUM, 3)}${r.chars(DIGITS, 1)}Q~${r.chars(`${ALNUM}_~.-`, 34)}';`]);
  secret('telegram', 'src/bot.ts', [`const bot = new Telegraf('${r.chars(DIGITS, 10)}:AA${r.chars(B64URL, 33)}');`]);
  secret('discord', 'docs/alerts.md', [`Alerts go to https://discord.com/api/webhooks/${r.chars(DIGITS, 19)}/${r.chars(B64URL, 68)} today.`]);
  secret('huggingface', 'src/ml.ts', [`const hf = new HfInference('hf_${r.chars(UPPER + LOWER, 34)}');`]);
  secret('digitalocean', 'config/do.yaml', [`do_token: dop_v1_${r.chars(HEX, 64)}`]);
  secret('pypi', '.pypirc', ['[pypi]', 'username = __token__', `password = pypi-AgEIcHlwaS5vcmc${r.chars(B64URL, 120)}`], 2);
  secret('shopify', 'src/shop.ts', [`const shopify = createClient({ accessToken: 'shpat_${r.chars(HEX, 32)}' });`]);
  secret('square', 'src/pay.ts', [`const square = new Client({ accessToken: 'sq0atp-${r.chars(B64URL, 22)}' });`]);
  secret('mailgun', 'config/mail.yaml', [`mailgun: key-${r.chars(HEX, 32)}`]);
  secret('mailchimp', 'src/newsletter.ts', [`mailchimp.setConfig({ apiKey: '${r.chars(HEX, 32)}-us${r.int(1, 21)}' });`]);
  secret('vault', 'scripts/deploy.sh', [`export VAULT_TOKEN=hvs.${r.chars(B64URL, 95)}`]);
  secret('linear', 'src/linear.ts', [`const linear = new LinearClient({ apiKey: 'lin_api_${r.chars(ALNUM, 40)}' });`]);
  secret('postman', 'docs/api.md', [`Use the key PMAK-${r.chars(HEX, 24)}-${r.chars(HEX, 34)} for the collection.`]);
  secret('doppler', '.env', [`DOPPLER_TOKEN=dp.pt.${r.chars(ALNUM, 43)}`]);
  secret('databricks', 'notebooks/job.py', [`TOKEN = "dapi${r.chars(HEX, 32)}"`]);
  secret('age', 'secrets/key.txt', ['# created: 2026-01-01', `AGE-SECRET-KEY-1${r.chars('QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L', 58)}`], 1);
  secret('grafana', 'config/grafana.ini', [`service_account = glsa_${r.chars(ALNUM, 32)}_${r.chars(HEX, 8)}`]);
  secret('new-relic', 'src/monitor.ts', [`newrelic.configure({ apiKey: 'NRAK-${r.chars(UPPER + DIGITS, 27)}' });`]);
  secret('mapbox', 'src/map.ts', [`mapboxgl.accessToken = 'sk.eyJ1Ijoi${r.chars(ALNUM, 20)}.${r.chars(B64URL, 22)}';`]);
  secret('atlassian', 'config/jira.yaml', [`jira_api_token: ATATT3xFfGF0${r.chars(B64URL, 180)}`]);
  secret('openport', 'src/client.ts', [`const agent = connect('op_${b64url(r.bytes(32))}');`]);
  secret('openport', 'docs/admin.md', [`    curl -H "Authorization: Bearer adm_${b64url(r.bytes(24))}" http://localhost:8080/api/agent-admin/v1/apps`]);
  // Only in history: a file committed and later deleted, and a password later replaced by a reference.
  put('secret', 'stripe', 'src/legacy-billing.ts', [`export const key = 'sk_live_${r.chars(ALNUM, 32)}';`], 0, earlier, true);
  put('secret', 'config-password', 'config/cache.yaml', ['redis:', `  password: ${r.chars(ALNUM, 12)}${r.chars('!#%&*+', 2)}${r.chars(DIGITS, 4)}`], 1, earlier, true);
  (files['config/cache.yaml'] ??= []).push('redis:', '  password: ${REDIS_PASSWORD}');

  // ---- decoys: 20 ----
  decoy('placeholder', '.env.example', ['SLACK_BOT_TOKEN=xoxb-your-token-here']);
  decoy('placeholder', '.env.example', ['OPENAI_API_KEY=sk-...']);
  decoy('provider-example', 'docs/setup.md', ['    aws configure set aws_access_key_id AKIAIOSFODNN7EXAMPLE']);
  decoy('provider-example', 'docs/setup.md', ['    aws configure set aws_secret_access_key wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY']);
  decoy('placeholder', 'docs/setup.md', ['Set `GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx` in your shell.']);
  decoy('placeholder', 'config/database.example.yaml', ['password: changeme']);
  decoy('reference', 'config/prod.yaml', ['password: ${DB_PASSWORD}']);
  decoy('placeholder', 'config/app.yaml', ['api_key: "<your-api-key>"']);
  decoy('reference', 'config/k8s.yaml', ['client_secret: app-credentials-v2']);
  const uuid = () => [8, 4, 4, 4, 12].map((n) => r.chars(HEX, n)).join('-');
  decoy('uuid', 'src/ids.ts', [`export const requestId = '${uuid()}';`]);
  decoy('uuid', 'config/tenant.yaml', [`tenant_id: ${uuid()}`]);
  decoy('hash', 'config/checksums.yaml', [`sha256: ${r.chars(HEX, 64)}`]);
  decoy('hash', 'docs/changelog.md', [`Fixed in ${r.chars(HEX, 40)}.`]);
  decoy('base64-text', 'src/banner.ts', [`const banner = '${Buffer.from('Welcome to the OpenPort demo server; have a look around.').toString('base64')}';`]);
  decoy('base64-text', 'test/fixtures/tokens.ts', [`export const DOC_TOKEN = 'op_${b64url(Buffer.from('a documentation token, not a key'))}';`]);
  decoy('public-id', 'src/checkout.ts', [`const stripe = loadStripe('pk_live_${r.chars(ALNUM, 99)}');`]);
  decoy('public-id', 'config/twilio.public.yaml', [`account_sid: AC${r.chars(HEX, 32)}`]);
  decoy('test-double', 'test/fixtures/users.yaml', ['password: password123']);
  decoy('test-double', 'docs/local.md', ['    DATABASE_URL=postgres://app:devpass42@localhost:5432/app']);
  decoy('unsigned-jwt', 'test/fixtures/unsigned.json', [`{ "token": "${json64({ alg: 'none' })}.${json64({ sub: 'demo' })}." }`]);

  const join = (m: Record<string, string[]>) => Object.fromEntries(Object.entries(m).map(([f, lines]) => [f, `${lines.join('\n')}\n`]));
  return { files: join(files), earlier: join(earlier), planted };
}
