import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { impactHash, witnessHash, jcs } from '../src/protocol/hash.js';
import { REASON_CODES, statusesFor } from '../src/protocol/codes.js';
import { REQUIREMENTS, AREAS, areaOf } from '../src/protocol/requirements.js';

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../fixtures/peer-exchanges/${name}.json`, import.meta.url), 'utf8'));

describe('JCS hashing', () => {
  it('reproduces the impact and state-witness hashes recorded from the authors runtime', () => {
    const ex = fixture('preflight-delete');
    const d = ex.response.body.data;
    expect(impactHash(ex.request.body.action, ex.request.body.payload, d.impact)).toBe(d.impactHash);
    expect(witnessHash(d.stateWitness)).toBe(d.stateWitnessHash);
  });
  it('canonicalizes per RFC 8785 (sorted keys, number form)', () => {
    expect(jcs({ b: 1, a: [1.0, 'x', { d: 1e21, c: 0.1 }] })).toBe('{"a":[1,"x",{"c":0.1,"d":1e+21}],"b":1}');
  });
});

describe('registries', () => {
  it('gives every error code an HTTP status and every requirement a known area', () => {
    for (const [code, info] of Object.entries(REASON_CODES)) {
      if (info.carrier === 'error') expect(statusesFor(code).length, code).toBeGreaterThan(0);
    }
    const ids = new Set<string>();
    // A request refused as a whole: too large (413, 414, 431) or of a media type the route does not take (415).
    expect(statusesFor('common.validation').sort()).toEqual([400, 413, 414, 415, 431]);
    for (const r of REQUIREMENTS) {
      expect(AREAS).toContain(areaOf(r.id));
      expect(ids.has(r.id), r.id).toBe(false);
      ids.add(r.id);
    }
  });
});

describe('schemas', () => {
  it('validate the recorded manifest and reject a broken tool inside it', async () => {
    const { validateAgainst } = await import('../src/protocol/schemas.js');
    const manifest = fixture('manifest-all-scopes').response.body.data;
    expect(validateAgainst('manifest', manifest)).toEqual([]);
    const broken = { ...manifest, tools: [{ ...manifest.tools[0], risk: 'extreme' }] };
    expect(validateAgainst('manifest', broken).join(' ')).toMatch(/risk|allowed/);
    expect(validateAgainst('envelope', fixture('missing-token').response.body)).toEqual([]);
    // An error body is explained by what an error body needs, a success body by what a success body needs.
    expect(validateAgainst('envelope', { ok: false, code: 'agent.token_invalid' })).toEqual(["(root) must have required property 'message'"]);
    expect(validateAgainst('envelope', { ok: true, code: 'common.success' })).toEqual(["(root) must have required property 'data'"]);
    expect(validateAgainst('audit-event', fixture('admin-audit').response.body.data.items[0])).toEqual([]);
  });

  it('read a timestamp as an ISO 8601 string or a number of seconds or milliseconds since the epoch, and nothing else', async () => {
    const { timestampMs, validateAgainst } = await import('../src/protocol/schemas.js');
    const at = Date.UTC(2026, 11, 6, 12, 0, 0);
    expect(timestampMs('2026-12-06T12:00:00.000Z')).toBe(at);
    expect(timestampMs(at)).toBe(at);
    expect(timestampMs(at / 1000)).toBe(at);
    // Digits are an epoch count; a date-time without a zone (SQL stores) is UTC, whatever this machine's zone.
    expect(timestampMs(String(at))).toBe(at);
    expect(timestampMs('2026-12-06 12:00:00')).toBe(at);
    expect(timestampMs('2026-12-06T12:00:00')).toBe(at);
    // Date.parse would read these as 2001-01-01: no timestamp is a word and a number.
    for (const bad of ['yesterday', 'org 1', 'A-1', '1', '', -1, Number.NaN, Infinity, null, undefined, true, {}]) expect(timestampMs(bad), String(bad)).toBeUndefined();
    const event = fixture('admin-audit').response.body.data.items[0];
    expect(validateAgainst('audit-event', { ...event, created_at: at })).toEqual([]);
    expect(validateAgainst('audit-event', { ...event, created_at: true }).join(' ')).toMatch(/created_at/);
  });

  it('are themselves valid JSON Schema (the tool skips the meta-schema check at start-up; this is it)', async () => {
    const schemas = await import('../src/protocol/schemas.js');
    const { profileSchema } = await import('../src/runner/profiles.js');
    const ajv = new Ajv({ strict: false });
    const all = [schemas.envelopeSchema, schemas.validationDetailsSchema, schemas.toolSchema, schemas.manifestSchema, schemas.draftSchema, schemas.executionSchema, schemas.auditEventSchema, profileSchema];
    for (const s of all) expect(ajv.validateSchema(s), JSON.stringify(ajv.errors)).toBe(true);
    // And the check can fail: a schema with a misspelt type is refused.
    expect(ajv.validateSchema({ type: 'strnig' })).toBe(false);
  });
});
