// The tool's own detectors line by line: what a reviewer would call a secret, and the look-alikes that
// are not. Values that must be found are generated (test/gate/corpus.ts); the rest are written out.
import { describe, expect, it } from 'vitest';
import { detectSecrets, isPlaceholder, isTemplateFile } from '../../src/gate/detectors.js';
import { sampleSecrets } from './corpus.js';

const S = sampleSecrets(5);
const found = (file: string, text: string) => detectSecrets(file, text).map((h) => h.detector);
const b64url = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
// A human-looking but generated password: letters, digits and symbols from the GitHub sample's characters.
const PASSWORD = `${S.github.slice(4, 14)}#${S.github.slice(20, 26)}!`;

describe('secret detectors', () => {
  it.each([
    ['docker-compose.yml', 'MYSQL_ROOT_PASSWORD: rootpass123'],
    ['docs/local.md', 'postgres://app:admin2024@db.internal:5432/app'],
    ['src/ui.ts', "const cls = 'sk-button-primary-large-rounded-compact-layout';"],
    ['config/app.yaml', 'password: !vault |'],
    ['config/app.yaml', 'password: *default_password'],
    ['config/app.yaml', "password: '{{ vault_db_password }}'"],
    ['config/app.yaml', 'password: ${{ secrets.DB_PASSWORD }}'],
    ['config/app.yaml', 'client_secret: op://prod/db/password'],
    ['config/app.yaml', 'secret_name: prod-db-2'],
    ['config/app.yaml', 'token_url: https://auth.example.com/token'],
    ['config/app.yaml', 'max_tokens: 4096'],
    ['config/app.json', '"password": "Password"'],
    ['config/app.json', '"api_key": "REPLACE_ME_WITH_KEY_1"'],
    ['docs/setup.md', 'export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE'],
    ['src/a.ts', `const t = '${b64url({ alg: 'none' })}.${b64url({ sub: 'x', admin: true })}.';`],
    ['src/a.ts', "const stripe = 'sk_live_1234567890abcdefghijklmn';"],
    ['src/a.ts', "const gh = 'ghp_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';"],
    ['.env.example', `API_TOKEN=${PASSWORD}`],
  ])('%s: %s is not a finding', (file, line) => {
    expect(found(file, `${line}\n`)).toEqual([]);
  });

  it.each([
    ['config/app.yaml', `password: "!${PASSWORD}"`, 'config-credential'],
    ['config/app.toml', `db_password = '${PASSWORD}'`, 'config-credential'],
    ['.env', `export DB_PASSWORD=${PASSWORD}`, 'config-credential'],
    ['.env', `DB_PASSWORD=!${PASSWORD}`, 'config-credential'],
    ['.npmrc', `//npm.internal.test/:_authToken=${PASSWORD}`, 'config-credential'],
    ['config/app.properties', `spring.datasource.password=${PASSWORD}`, 'config-credential'],
    ['deploy/values.yml', `  - api_key: ${PASSWORD}`, 'config-credential'],
    ['src/db.ts', `const url = 'mongodb+srv://svc:${PASSWORD.replace(/[#!]/g, 'x')}@cluster0.mongo.net/app';`, 'url-credentials'],
    ['.env.example', `GITHUB_TOKEN=${S.github}`, 'github-token'],
    ['src/a.ts', `const t = '${b64url({ alg: 'ES256', typ: 'JWT' })}.${b64url({ sub: 'svc' })}.${S.agent.slice(3)}';`, 'jwt'],
  ])('%s: %s is found by %s', (file, line, detector) => {
    expect(found(file, `${line}\n`)).toContain(detector);
  });

  it('placeholders and templates', () => {
    for (const v of ['your-token-here', 'xoxb-your-token-here', 'AKIAIOSFODNN7EXAMPLE', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', '<api key>', '${TOKEN}', 'sk-...', 'changeme', 'x0000000y']) {
      expect(isPlaceholder(v), v).toBe(true);
    }
    for (const v of Object.values(S)) expect(isPlaceholder(v), v.slice(0, 6)).toBe(false);
    expect(['.env.example', 'config.sample.yaml', 'settings.template.json', 'app.yml.dist'].every(isTemplateFile)).toBe(true);
    expect(['.env', 'config.yaml', 'examples.ts'].some(isTemplateFile)).toBe(false);
  });
});
