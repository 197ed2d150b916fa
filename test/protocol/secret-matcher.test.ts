// The journal's SecretMatcher must redact exactly as redactSecrets over the whole list (the naive
// reference: one pass per secret) and count the same echoes as a search per credential, whatever the
// secrets: overlapping, prefixes of one another, shorter than the index window, holding an ellipsis.
// secretsIn (the leak scans' search) must find exactly the members a search per secret finds.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MIN_ECHO, SecretMatcher, redactSecrets, secretsIn } from '../../src/protocol/redact.js';

/** Few letters, so secrets overlap and recur in the texts; `…` and `-` exercise the rendering and the short-secret boundaries. */
const letter = fc.constantFrom('a', 'b', 'c', '_', '-', ' ', '…', '"');
const word = (min: number, max: number) => fc.array(letter, { minLength: min, maxLength: max }).map((cs) => cs.join(''));

/** Secrets, some of them prefixes or suffixes of others, each marked credential or identity. */
const secretsArb = fc
  .array(fc.tuple(word(1, 14), fc.nat({ max: 3 }), fc.boolean()), { maxLength: 12 })
  .map((xs) => xs.flatMap(([s, cut, credential]) => [{ s, credential }, ...(cut && s.length > cut ? [{ s: cut % 2 ? s.slice(0, -cut) : s.slice(cut), credential }] : [])]));

/** A text made of free letters and copies (whole or cut) of the secrets. */
const textArb = (secrets: { s: string }[]) =>
  fc.array(fc.oneof(word(0, 6), ...(secrets.length ? [fc.constantFrom(...secrets.map((x) => x.s)), fc.constantFrom(...secrets.map((x) => x.s)).map((s) => s.slice(1))] : [])), { maxLength: 12 }).map((parts) => parts.join(''));

/** As the journal counted before: every distinct credential of MIN_ECHO+ characters the text includes (a value's first role wins). */
const naiveEchoes = (text: string, secrets: { s: string; credential: boolean }[]) => {
  const first = new Map<string, boolean>();
  for (const x of secrets) if (x.s && !first.has(x.s)) first.set(x.s, x.credential);
  return [...first].filter(([s, credential]) => credential && s.length >= MIN_ECHO && text.includes(s)).length;
};

describe('SecretMatcher', () => {
  it('redacts like redactSecrets and counts echoes like a search per credential, for any secrets and text', () => {
    fc.assert(
      fc.property(secretsArb.chain((secrets) => fc.tuple(fc.constant(secrets), fc.array(textArb(secrets), { minLength: 1, maxLength: 4 }))), ([secrets, texts]) => {
        const m = new SecretMatcher();
        for (const { s, credential } of secrets) m.add(s, credential);
        const list = secrets.map((x) => x.s);
        for (const text of texts) {
          expect(m.redact(text)).toBe(redactSecrets(text, list));
          const scan = m.scan(text);
          expect(scan.text).toBe(redactSecrets(text, list));
          expect(scan.echoes).toBe(naiveEchoes(text, secrets));
          // The leak scans' search: any list, or the matcher's own lists, searched in one pass.
          const includes = (xs: readonly string[]) => [...new Set(xs)].filter((s) => s.length > 0 && text.includes(s));
          expect(secretsIn(text, list)).toEqual(includes(list));
          expect(secretsIn(text, m.secrets)).toEqual(includes(m.secrets));
          expect(secretsIn(text, m.credentials)).toEqual(includes(m.credentials));
        }
      }),
      { numRuns: 1500 },
    );
  });

  it('stays exact while secrets are learnt between texts (never rebuilt)', () => {
    fc.assert(
      fc.property(secretsArb.chain((secrets) => fc.tuple(fc.constant(secrets), fc.array(textArb(secrets), { minLength: secrets.length + 1, maxLength: secrets.length + 1 }))), ([secrets, texts]) => {
        const m = new SecretMatcher();
        texts.forEach((text, i) => {
          const learnt = secrets.slice(0, i);
          expect(m.scan(text)).toEqual({ text: redactSecrets(text, learnt.map((x) => x.s)), echoes: naiveEchoes(text, learnt) });
          if (i < secrets.length) m.add(secrets[i]!.s, secrets[i]!.credential);
        });
      }),
      { numRuns: 500 },
    );
  });

  it('keeps the order learnt, with identities left out of the credentials', () => {
    const m = new SecretMatcher();
    m.add('op_token_one_1234567890');
    m.add('admin_demo', false);
    m.add('');
    m.add('op_token_one_1234567890', false);
    expect(m.secrets).toEqual(['op_token_one_1234567890', 'admin_demo']);
    expect(m.credentials).toEqual(['op_token_one_1234567890']);
    expect(m.secrets).toBe(m.secrets);
  });

  it('finds real-shaped tokens among thousands (prefixes shared by all of them)', () => {
    const m = new SecretMatcher();
    const tokens = Array.from({ length: 3000 }, (_, i) => `op_${i.toString(36).padStart(6, '0')}${'x'.repeat(37)}`);
    for (const t of tokens) m.add(t);
    const text = `{"a":"${tokens[1234]}","b":"${tokens[2999]}","c":"op_000000"}`;
    expect(m.scan(text)).toEqual({ text: redactSecrets(text, tokens), echoes: 2 });
    expect(m.scan(text).text).not.toContain(tokens[1234]);
  });

  it('finds the same with few distinct starts (searched natively) as with many (read character by character)', () => {
    const few = ['op_aaaaaaaaaaaaaaaa', 'op_bbbbbbbbbbbbbbbb', 'Bearer op_cccccccc', 'adm'];
    const many = Array.from({ length: 12 }, (_, i) => `${String.fromCharCode(97 + i)}${String.fromCharCode(98 + i)}z_secret_${i}`);
    const text = `x op_aaaaaaaaaaaaaaaa op_bbbbbbbbbbbbbbbb admin jz_secret_8 Bearer op_cccccccc op_ab adop_aaaaaaaaaaaaaaaa ${many[3]}`;
    const m = new SecretMatcher();
    for (const s of few) m.add(s);
    expect(m.scan(text)).toEqual({ text: redactSecrets(text, few), echoes: 3 });
    for (const s of many) m.add(s);
    expect(m.scan(text)).toEqual({ text: redactSecrets(text, [...few, ...many]), echoes: 4 });
    expect(secretsIn(text, m.secrets)).toEqual([...few, ...many].filter((s) => text.includes(s)));
  });
});
