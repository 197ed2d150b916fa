import { describe, expect, it, vi } from 'vitest';
import { Blocked, Finding, Skip, ToolError, type CheckDef } from '../../src/kit/check.js';
import type { CheckResult } from '../../src/runner/result.js';
import { runChecks, summarize } from '../../src/runner/runner.js';
import { verdictOf, type VerdictSelection } from '../../src/runner/verdict.js';
import { checkIndex, heldBackFlag, resolveSelection } from '../../src/runner/selection.js';
import { REQUIREMENTS } from '../../src/protocol/requirements.js';
import { CHECKS } from '../support/suite.js';
import { check, checkList, fakeEnv, fakeTransport } from './fakes.js';
import { virtualClock } from '../../src/runner/clock.js';

const MUST = 'AUTHN-001';
const MUST2 = 'AUTHN-002';
const SHOULD = 'AUTHN-007';

/** The selection of a core run whose check list has `checks` and passing fakes for every other requirement. */
function select(checks: CheckDef[], only: string[], extra: { safety?: string; exclude?: string[]; profile?: string } = {}) {
  return resolveSelection({ embedded: false, profile: extra.profile ?? 'core', safety: extra.safety ?? 'load', only, exclude: extra.exclude, checks: checkList(...checks) });
}

async function runFakes(checks: CheckDef[], only: string[], env = fakeEnv(), deadlines?: { normalMs: number; loadMs: number }) {
  const events: CheckResult[] = [];
  const results = await runChecks(select(checks, only), { env, concurrency: 4, deadlines, replay: (id) => `openport-conform run --only ${id}`, onResult: (r) => events.push(r) });
  return { results, events, byId: Object.fromEntries(results.map((r) => [r.id, r])) };
}

describe('runner: outcome mapping', () => {
  it('maps return/Finding/Skip/Blocked/other errors to pass/fail/warn/skip/blocked/error', async () => {
    const checks = [
      check('AUTHN-001', (ctx) => ctx.note('fine')),
      check('AUTHN-002', () => { throw new Finding('bad', 'x', 'y'); }),
      check('AUTHN-007', () => { throw new Finding('meh', 'a', 'b'); }),
      check('AUTHN-003', () => { throw new Skip('cannot', '--flag'); }),
      check('AUTHN-004', () => { throw new Blocked('busy'); }),
      check('AUTHN-005', () => { throw new TypeError('boom'); }),
      check('AUTHN-006', () => { throw new ToolError('admin refused'); }),
    ];
    const { byId, events } = await runFakes(checks, ['AUTHN-*']);
    expect(byId['AUTHN-001']).toMatchObject({ status: 'pass', actual: 'fine', level: 'MUST', layer: 'core' });
    expect(byId['AUTHN-002']).toMatchObject({ status: 'fail', message: 'bad', expected: 'x', actual: 'y' });
    expect(byId['AUTHN-002'].reproduce).toContain('--only AUTHN-002');
    expect(byId['AUTHN-007']).toMatchObject({ status: 'warn', level: 'SHOULD' });
    expect(byId['AUTHN-003']).toMatchObject({ status: 'skip', message: 'cannot', hint: '--flag' });
    expect(byId['AUTHN-004']).toMatchObject({ status: 'blocked', message: 'busy' });
    // The finding as data: no exchange, so no status, code or route; the basis from the requirement table.
    expect(byId['AUTHN-002']!.finding).toEqual({ expected: { text: 'x' }, actual: { text: 'y' }, exchanges: [], basis: expect.stringContaining('§6'), source: expect.stringMatching(/^https:\/\//), replay: 'openport-conform run --only AUTHN-002' });
    expect(byId['AUTHN-005']).toMatchObject({ status: 'error', message: 'boom', errorCode: 'OPC_E_CHECK_EXCEPTION' });
    expect(byId['AUTHN-005'].message).not.toContain('at ');
    expect(byId['AUTHN-006']).toMatchObject({ status: 'error', message: 'admin refused', errorCode: 'OPC_E_SETUP' });
    expect(byId['AUTHN-001'].finding).toBeUndefined();
    // AUTHN-008 and AUTHN-009 are passing fakes (checkList gives every other requirement one).
    expect(events).toHaveLength(9);
  });

  it('turns a finding exchange into a curl line with the run token as $OPENPORT_TOKEN and other tokens redacted', async () => {
    const env = fakeEnv();
    const { byId } = await runFakes([
      check(MUST, async (ctx) => {
        const ex = await ctx.agent.manifest();
        throw new Finding('wrong', 'HTTP 401', 'HTTP 200', ex);
      }),
    ], [MUST], env);
    const line = byId[MUST].reproduce!;
    expect(line).toMatch(/^curl -sS -X GET .*'http:\/\/127\.0\.0\.1:9\/api\/agent\/v1\/manifest'$/);
    expect(line).toContain('"authorization: Bearer $OPENPORT_TOKEN"');
    expect(line).not.toContain(env.token!);
  });

  it('reproduces a request made with a persona token (revoked after the run) by the replay command, never the token', async () => {
    const persona = 'op_personapersonapersona0123';
    const env = fakeEnv();
    env.registry.secrets = () => [persona];
    const { byId } = await runFakes([
      check(MUST, async (ctx) => {
        const ex = await ctx.client(persona).manifest();
        throw new Finding('wrong', 'HTTP 401', 'HTTP 200', ex);
      }),
    ], [MUST], env);
    const line = byId[MUST].reproduce!;
    // A pasted curl line would get 401 from the revoked key; the replay command makes a fresh persona.
    expect(line).toBe(`openport-conform run --only ${MUST}  # failing request: GET /api/agent/v1/manifest (its test key is revoked after the run)`);
    expect(line).not.toContain(persona.slice(0, 8));
    expect(byId[MUST].exchange?.request.headers.authorization).toBe(`Bearer ${persona.slice(0, 8)}…`);
  });

  it('redacts every token the run holds from messages and notes', async () => {
    const env = fakeEnv();
    const { byId } = await runFakes([
      check(MUST, (ctx) => {
        ctx.note(`saw ${env.token}`);
        throw new Finding(`leaked ${env.token}`, 'nothing', `body: ${env.token}`);
      }),
    ], [MUST], env);
    expect(JSON.stringify(byId[MUST])).not.toContain(env.token!);
    expect(byId[MUST].message).toBe('leaked op_faket…');
  });

  it('makes a check blocked by a 429 it did not provoke, even if it swallowed the error', async () => {
    const env = fakeEnv({ transport: fakeTransport(() => ({ status: 429, body: { ok: false, code: 'agent.rate_limited', message: 'slow down' } })) });
    const { byId } = await runFakes([
      check(MUST, async (ctx) => {
        await ctx.agent.read('ledger.list').catch(() => undefined);
        throw new Finding('would be a false failure', 'a', 'b');
      }),
      check(MUST2, async (ctx) => {
        const ex = await ctx.agent.read('ledger.list');
        expect(ex.response.status).toBe(429);
      }, { expects429: true }),
    ], [MUST, MUST2], env);
    expect(byId[MUST].status).toBe('blocked');
    expect(byId[MUST].message).toContain('429');
    expect(byId[MUST2].status).toBe('pass');
  });

  it('skips checks whose needs are missing, with the flag as hint', async () => {
    const env = fakeEnv({ token: undefined, adminHeaders: undefined });
    let ran = false;
    const { byId } = await runFakes([
      check(MUST, () => { ran = true; }, { needs: ['admin'] }),
      check(MUST2, () => { ran = true; }, { needs: ['token'] }),
      check(SHOULD, (ctx) => void ctx.admin),
    ], [MUST, MUST2, SHOULD], env);
    expect(ran).toBe(false);
    expect(byId[MUST]).toMatchObject({ status: 'skip', hint: "--admin-header 'Name: value'" });
    expect(byId[MUST2]).toMatchObject({ status: 'skip', hint: '--token, or --admin-header with --safety draft (or above) to let the tool provision one' });
    expect(byId[SHOULD]).toMatchObject({ status: 'skip', message: 'needs the admin plane' });
  });

  it('ends a check at its deadline as error "timed out" and aborts its signal', async () => {
    let aborted = false;
    const { byId } = await runFakes([
      check(MUST, async (ctx) => {
        await ctx.sleep(10_000).catch(() => { aborted = ctx.signal.aborted; });
      }),
    ], [MUST], fakeEnv(), { normalMs: 50, loadMs: 50 });
    expect(byId[MUST]).toMatchObject({ status: 'error', message: 'timed out: no answer for 0.05 s', errorCode: 'OPC_E_CHECK_TIMEOUT' });
    await new Promise((r) => setTimeout(r, 10));
    expect(aborted).toBe(true);
  });

  it('counts the deadline from the last answer: a check that keeps getting answers runs on, one waiting on nothing ends', async () => {
    // A large or slow server makes a check long, not stuck: its verdict must not depend on that.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      let answers = 0;
      const pending = runFakes([
        check(MUST, async (ctx) => {
          for (let i = 0; i < 5; i++) {
            await ctx.sleep(60);
            await ctx.agent.manifest();
            answers++;
          }
        }),
        check(MUST2, async (ctx) => {
          await ctx.agent.manifest();
          await ctx.sleep(1_000);
        }),
      ], [MUST, MUST2], fakeEnv(), { normalMs: 100, loadMs: 100 });
      await vi.advanceTimersByTimeAsync(2_000);
      const { byId } = await pending;
      expect(answers).toBe(5);
      expect(byId[MUST]!.status).toBe('pass');
      expect(byId[MUST2]).toMatchObject({ status: 'error', message: 'timed out: no answer for 0.1 s' });
    } finally {
      vi.useRealTimers();
    }
  });

  it('counts each exchange a check reads back as progress: a long read of the run\'s exchanges is not a silent server', async () => {
    // Eight exchanges, each taking 60 ms to judge against a 100 ms deadline: 480 ms in all.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const env = fakeEnv();
      let judged = 0;
      const pending = runFakes([
        check(MUST, async (ctx) => {
          for (let i = 0; i < 8; i++) await ctx.agent.manifest();
          for await (const _ of ctx.exchanges()) {
            await new Promise((r) => setTimeout(r, 60));
            judged++;
          }
        }),
      ], [MUST], env, { normalMs: 100, loadMs: 100 });
      await vi.advanceTimersByTimeAsync(2_000);
      const { byId } = await pending;
      expect(judged).toBe(8);
      expect(byId[MUST]!.status).toBe('pass');
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('runner: scheduling', () => {
  it('runs final checks after all others, sees their traffic, and runs exclusive checks alone', async () => {
    const order: string[] = [];
    let active = 0;
    let overlapWithExclusive = false;
    let exclusiveRunning = false;
    const normal = (id: string) => check(id, async (ctx) => {
      active++;
      if (exclusiveRunning) overlapWithExclusive = true;
      await ctx.agent.read('ledger.list');
      await ctx.sleep(5);
      order.push(id);
      active--;
    });
    let seenByFinal = 0;
    const checks = [
      check('ENV-001', async (ctx) => { seenByFinal = ctx.observed().length; order.push('ENV-001'); }, { phase: 'final' }),
      normal('AUTHN-001'), normal('AUTHN-002'), normal('AUTHN-003'), normal('AUTHN-004'), normal('AUTHN-005'),
      check('ADM-001', async (ctx) => {
        exclusiveRunning = true;
        if (active > 0) overlapWithExclusive = true;
        await ctx.sleep(20);
        order.push('ADM-001');
        exclusiveRunning = false;
      }, { exclusive: true }),
    ];
    const { results } = await runFakes(checks, ['ENV-001', 'AUTHN-00?', 'ADM-001'], fakeEnv());
    expect(order[order.length - 1]).toBe('ENV-001');
    expect(seenByFinal).toBeGreaterThanOrEqual(5);
    expect(overlapWithExclusive).toBe(false);
    // results come back in profile order, not completion order
    expect(results.map((r) => r.id)).toEqual(['ENV-001', 'AUTHN-001', 'AUTHN-002', 'AUTHN-003', 'AUTHN-004', 'AUTHN-005', 'AUTHN-006', 'AUTHN-007', 'AUTHN-008', 'AUTHN-009', 'ADM-001']);
  });

  it('bounds concurrency', async () => {
    let active = 0;
    let peak = 0;
    // Work that is not a wait of the context (a request in flight, say) keeps the check's slot.
    const c = (id: string) => check(id, async () => {
      peak = Math.max(peak, ++active);
      await new Promise((resolve) => setTimeout(resolve, 10));
      active--;
    });
    const checks = ['AUTHN-001', 'AUTHN-002', 'AUTHN-003', 'AUTHN-004', 'AUTHN-005', 'AUTHN-006'].map(c);
    await runChecks(select(checks, ['AUTHN-00?']), { env: fakeEnv(), concurrency: 2 });
    expect(peak).toBe(2);
  });

  it('lets the next check run while one sleeps on the wall clock, and counts it again when it wakes', async () => {
    const events: string[] = [];
    let active = 0;
    let peak = 0;
    // Work without a timer: it is all done before the sleeper's timer can fire, however loaded the machine.
    const work = async (id: string) => {
      peak = Math.max(peak, ++active);
      events.push(id);
      await Promise.resolve();
      active--;
    };
    const sleeper = check('AUTHN-001', async (ctx) => {
      await work('AUTHN-001 before');
      await ctx.sleep(200);
      await work('AUTHN-001 after');
    });
    const others = ['AUTHN-002', 'AUTHN-003'].map((id) => check(id, () => work(id)));
    await runChecks(select([sleeper, ...others], ['AUTHN-00?']), { env: fakeEnv(), concurrency: 1 });
    // One slot: the others ran while the first slept, and never beside it while it worked.
    expect(events).toEqual(['AUTHN-001 before', 'AUTHN-002', 'AUTHN-003', 'AUTHN-001 after']);
    expect(peak).toBe(1);
  });

  it('does not time a check out while it waits for a value another check is still making', async () => {
    // The maker answers every 60 ms (each answer counts from its 100 ms deadline) for 600 ms; the waiter has no
    // answer of its own meanwhile, and a deadline that a wait on the maker does not use up. Fake timers: the
    // outcome cannot depend on how loaded the machine is.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const maker = check('AUTHN-001', async (ctx) => {
        await ctx.shared('k', async () => {
          for (let i = 0; i < 10; i++) {
            await ctx.agent.manifest();
            await new Promise((resolve) => setTimeout(resolve, 60));
          }
          return 'made';
        });
      });
      const waiter = check('AUTHN-002', async (ctx) => {
        ctx.note(await ctx.shared('k', async () => 'not this'));
      });
      const pending = runFakes([maker, waiter], ['AUTHN-00?'], fakeEnv(), { normalMs: 100, loadMs: 100 });
      await vi.advanceTimersByTimeAsync(2_000);
      const { byId } = await pending;
      expect(byId['AUTHN-001']!.status).toBe('pass');
      expect(byId['AUTHN-002']).toMatchObject({ status: 'pass', actual: 'made' });
    } finally {
      vi.useRealTimers();
    }
  });

  it('keeps a check in its place when the shared value it asks for is made already', async () => {
    let active = 0;
    let peak = 0;
    const asker = (id: string) => check(id, async (ctx) => {
      peak = Math.max(peak, ++active);
      await ctx.shared('k', async () => id);
      await Promise.resolve();
      active--;
    });
    await runChecks(select(['AUTHN-001', 'AUTHN-002', 'AUTHN-003'].map(asker), ['AUTHN-00?']), { env: fakeEnv(), concurrency: 1 });
    expect(peak).toBe(1);
  });

  it('reports a failure of the result sink through runChecks, never as an unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => void unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    try {
      const checks = ['AUTHN-001', 'AUTHN-002', 'AUTHN-003'].map((id) => check(id, () => new Promise((resolve) => setTimeout(resolve, 5))));
      await expect(runChecks(select(checks, ['AUTHN-00?']), { env: fakeEnv(), concurrency: 2, onResult: () => { throw new Error('sink failed'); } })).rejects.toThrow('sink failed');
      // Unhandled rejections are reported after the microtasks of the turn that made them.
      await new Promise((resolve) => setTimeout(resolve, 20));
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
    expect(unhandled).toEqual([]);
  });

  it('keeps its place through a short pause', async () => {
    const events: string[] = [];
    const sleeper = check('AUTHN-001', async (ctx) => {
      events.push('AUTHN-001 before');
      await ctx.sleep(10);
      events.push('AUTHN-001 after');
    });
    const other = check('AUTHN-002', () => void events.push('AUTHN-002'));
    await runChecks(select([sleeper, other], ['AUTHN-00?']), { env: fakeEnv(), concurrency: 1 });
    expect(events).toEqual(['AUTHN-001 before', 'AUTHN-001 after', 'AUTHN-002']);
  });

  it('keeps the order of checks on a virtual clock, where a sleep costs no time', async () => {
    const events: string[] = [];
    const sleeper = check('AUTHN-001', async (ctx) => {
      events.push('AUTHN-001 before');
      await ctx.sleep(20);
      events.push('AUTHN-001 after');
    });
    const other = check('AUTHN-002', () => void events.push('AUTHN-002'));
    await runChecks(select([sleeper, other], ['AUTHN-00?']), { env: fakeEnv({ windowClock: virtualClock() }), concurrency: 1 });
    expect(events).toEqual(['AUTHN-001 before', 'AUTHN-001 after', 'AUTHN-002']);
  });

  it('gives each check a PRNG that depends on seed and check id only', async () => {
    const draws: Record<string, number[]> = {};
    const mk = (id: string) => check(id, (ctx) => void (draws[`${ctx.seed}:${id}`] = [ctx.random(), ctx.random()]));
    for (const seed of [1, 1, 2]) await runChecks(select([mk(MUST), mk(MUST2)], [MUST, MUST2]), { env: fakeEnv({ seed }), concurrency: 2 });
    expect(draws[`1:${MUST}`]).toHaveLength(2);
    expect(draws[`1:${MUST}`]).not.toEqual(draws[`1:${MUST2}`]);
    expect(draws[`1:${MUST}`]).not.toEqual(draws[`2:${MUST}`]);
    expect(draws[`1:${MUST}`][0]).toBeGreaterThanOrEqual(0);
    expect(draws[`1:${MUST}`][0]).toBeLessThan(1);
  });
});

describe('selection', () => {
  const all = [check(MUST, () => undefined), check(MUST2, () => undefined, { safety: 'execute' }), check(SHOULD, () => undefined, { safety: 'draft' })];

  it('holds back checks above --safety and names the flag', () => {
    const sel = select(all, ['AUTHN-*'], { safety: 'read-only' });
    // The other AUTHN checks of the list are read-only fakes.
    expect(sel.planned.map((p) => p.requirement.id)).toEqual([MUST, 'AUTHN-003', 'AUTHN-004', 'AUTHN-005', 'AUTHN-006', 'AUTHN-008', 'AUTHN-009']);
    expect(sel.heldBack.map((p) => p.requirement.id)).toEqual([MUST2, SHOULD]);
    expect(heldBackFlag(sel)).toBe('--safety execute');
  });

  it('applies --only and --exclude globs, case-insensitively and comma-separated', () => {
    const sel = select(all, ['authn-00?,DISC-001'], { exclude: ['AUTHN-002', 'authn-003'] });
    expect(sel.requirements.map((r) => r.id)).toEqual(['AUTHN-001', 'AUTHN-004', 'AUTHN-005', 'AUTHN-006', 'AUTHN-007', 'AUTHN-008', 'AUTHN-009', 'DISC-001']);
  });

  it('refuses a pattern that matches no requirement, with the nearest ids', () => {
    const err = (() => { try { select(all, ['AUTHN-01']); } catch (e) { return e as ToolError; } })();
    expect(err).toBeInstanceOf(ToolError);
    expect(err!.exitCode).toBe(2);
    expect(err!.message).toMatch(/--only AUTHN-01: matches no requirement id; nearest: AUTHN-00\d/);
  });

  it('refuses a pattern outside the chosen profile, naming the profile that has it', () => {
    expect(() => select(all, ['WITNESS-001'])).toThrow(/matches nothing in profile core .*--profile state-witness/);
  });

  it('refuses a gate check id in --only or --exclude, saying the gate command runs them whatever is selected (not a profile there is none of)', () => {
    const err = (() => { try { select(all, ['GATE-001']); } catch (e) { return e as ToolError; } })();
    expect(err!.message).toBe("--only GATE-001: matches only checks of the release gate (GATE-001), which no profile holds and --only cannot select: `openport-conform gate` runs them on what it scans, whatever the profile's selection");
    expect(() => resolveSelection({ embedded: false, exclude: ['GATE-*'], checks: checkList(...all) })).toThrow(/^--exclude GATE-\*: matches only checks of the release gate \(GATE-001, GATE-002, GATE-003\), which no profile holds and --exclude cannot select/);
  });

  it('raises the default profile to one that holds every --only pattern', () => {
    const sel = resolveSelection({ embedded: false, only: ['WITNESS-001'], checks: checkList(...all) });
    expect(sel.profile.name).toBe('state-witness');
    expect(resolveSelection({ embedded: false, checks: checkList(...all) }).profile.name).toBe('core');
    expect(resolveSelection({ embedded: true, checks: checkList(...all) }).profile.name).toBe('state-witness');
  });

  it('refuses unknown profiles and safety classes with the valid choices', () => {
    expect(() => select(all, [], { profile: 'cor' })).toThrow(/unknown profile "cor"; valid profiles: core, state-witness, write-lifecycle/);
    expect(() => select(all, [], { safety: 'yolo' })).toThrow(/unknown safety class "yolo"; valid: read-only, draft, execute, load/);
  });

  it('refuses two checks for one requirement', () => {
    expect(() => resolveSelection({ embedded: false, checks: [...checkList(), check(MUST, () => undefined)] })).toThrow(/two checks claim requirement AUTHN-001/);
  });

  it('defaults to read-only safety for URLs and load when embedded', () => {
    expect(resolveSelection({ embedded: false, checks: checkList(...all) }).safety).toBe('read-only');
    expect(resolveSelection({ embedded: true, checks: checkList(...all) }).safety).toBe('load');
  });
});

describe('the check list matches the requirement table, or no run starts', () => {
  const refusal = (checks: CheckDef[]) => {
    try {
      resolveSelection({ embedded: true, checks });
    } catch (e) {
      expect(e).toBeInstanceOf(ToolError);
      return e as ToolError;
    }
    throw new Error('expected the selection to be refused');
  };

  it('accepts the shipped list: one check for each requirement of the profile layers, none for a GATE row', () => {
    const byId = checkIndex(CHECKS);
    expect([...byId.keys()].sort()).toEqual(REQUIREMENTS.filter((r) => r.layer !== 'gate').map((r) => r.id).sort());
    expect(REQUIREMENTS.some((r) => r.layer === 'gate')).toBe(true);
  });

  it('refuses a requirement row without its check, naming it (whatever --only selects)', () => {
    const e = refusal(checkList().filter((c) => c.id !== 'WITNESS-003'));
    expect(e).toMatchObject({ exitCode: 2, code: 'OPC_E_NO_CHECK' });
    expect(e.message).toMatch(/^requirement WITNESS-003 of src\/protocol\/requirements\.ts has no check in the check list/);
    expect(() => select([], ['AUTHN-001'])).not.toThrow();
    expect(() => resolveSelection({ embedded: false, only: ['AUTHN-001'], checks: checkList().filter((c) => !c.id.startsWith('WITNESS-')) })).toThrow(/requirements WITNESS-001, WITNESS-002, .*WITNESS-006 .* have no check/);
  });

  it('refuses a check without its requirement row, naming it', () => {
    const e = refusal([...checkList(), check('DISC-099', () => undefined)]);
    expect(e).toMatchObject({ exitCode: 2, code: 'OPC_E_CONFIG' });
    expect(e.message).toMatch(/^check DISC-099 has no requirement row in src\/protocol\/requirements\.ts/);
  });

  it('keeps the GATE rows out: the gate judges them, and a check claiming one is refused', () => {
    const e = refusal([...checkList(), check('GATE-001', () => undefined)]);
    expect(e.exitCode).toBe(2);
    expect(e.message).toMatch(/^check GATE-001: requirement GATE-001 is of layer gate, which the `gate` command judges, not a check/);
  });
});

describe('verdict', () => {
  const r = (id: string, level: 'MUST' | 'SHOULD', status: CheckResult['status']): CheckResult =>
    ({ id, level, layer: 'core', title: '', safety: 'read-only', status, durationMs: 0 });
  const whole: VerdictSelection = { heldBack: [] };
  const judge = (results: CheckResult[], strict = false, selection: VerdictSelection = whole, gate = false) => {
    const v = verdictOf(results, selection, { name: 'core', strict, safety: 'draft', judge: gate ? 'gate' : 'run' });
    return { verdict: v.verdict, exitCode: v.exitCode };
  };

  it('is conformant (0) only when every MUST passed', () => {
    expect(judge([r('A', 'MUST', 'pass'), r('B', 'SHOULD', 'warn')])).toEqual({ verdict: 'conformant', exitCode: 0 });
    expect(judge([r('A', 'MUST', 'pass'), r('B', 'SHOULD', 'skip')])).toEqual({ verdict: 'conformant', exitCode: 0 });
  });
  it('is not conformant (1) on a MUST fail, or a warn under strict', () => {
    expect(judge([r('A', 'MUST', 'fail'), r('B', 'MUST', 'error')])).toEqual({ verdict: 'not-conformant', exitCode: 1 });
    expect(judge([r('A', 'MUST', 'pass'), r('B', 'SHOULD', 'warn')], true)).toEqual({ verdict: 'not-conformant', exitCode: 1 });
  });
  it('is incomplete (3) when a MUST did not pass, or nothing ran, or the run stopped', () => {
    for (const s of ['skip', 'blocked', 'error'] as const) {
      expect(judge([r('A', 'MUST', 'pass'), r('B', 'MUST', s)])).toEqual({ verdict: 'incomplete', exitCode: 3 });
    }
    expect(judge([])).toEqual({ verdict: 'incomplete', exitCode: 3 });
    expect(judge([r('B', 'SHOULD', 'skip')])).toEqual({ verdict: 'incomplete', exitCode: 3 });
    expect(judge([r('A', 'MUST', 'pass')], false, { heldBack: [], stopped: 'cannot reach http://x' })).toEqual({ verdict: 'incomplete', exitCode: 3 });
  });
  it("words an incomplete verdict with why: the results' reason, the tool's failure as 'could not evaluate', an interruption as itself", () => {
    const text = (results: CheckResult[], selection: VerdictSelection = whole, gate = false) => verdictOf(results, selection, { name: 'core', strict: false, safety: 'draft', judge: gate ? 'gate' : 'run' }).text;
    expect(text([r('A', 'MUST', 'pass'), r('B', 'MUST', 'skip')])).toBe('INCOMPLETE (a MUST check did not run or could not be evaluated)');
    expect(text([r('A', 'MUST', 'pass')], { heldBack: [{ id: 'X', level: 'MUST' }] })).toBe('INCOMPLETE (a MUST check did not run or could not be evaluated)');
    expect(text([])).toBe('INCOMPLETE (nothing was evaluated)');
    expect(text([r('A', 'MUST', 'pass'), r('B', 'MUST', 'error')], whole, true)).toBe('GATE INCOMPLETE (a MUST check did not run or could not be evaluated)');
    expect(text([r('A', 'MUST', 'pass')], { heldBack: [], stopped: 'cannot reach http://x' })).toBe('INCOMPLETE (could not evaluate)');
    expect(text([r('A', 'MUST', 'pass')], { heldBack: [], interrupted: 'interrupted: SIGINT' })).toBe('INCOMPLETE (interrupted: SIGINT)');
    expect(text([r('A', 'MUST', 'fail')], { heldBack: [], interrupted: 'interrupted: SIGINT' })).toBe('NOT CONFORMANT (interrupted: SIGINT)');
  });

  it('counts a MUST held back by --safety as not evaluated (incomplete), a held-back SHOULD not', () => {
    expect(judge([r('A', 'MUST', 'pass')], false, { heldBack: [{ id: 'X', level: 'MUST' }] })).toEqual({ verdict: 'incomplete', exitCode: 3 });
    expect(judge([r('A', 'MUST', 'pass')], false, { heldBack: [{ id: 'X', level: 'SHOULD' }] })).toEqual({ verdict: 'conformant', exitCode: 0 });
  });
  it('a subset that passed is a selection, however it was cut, and says so; a failing one is labelled a selection too', () => {
    for (const subset of ['only-exclude', 'shard'] as const) {
      const v = verdictOf([r('A', 'MUST', 'pass')], { heldBack: [], subset }, { name: 'core', strict: false, safety: 'load' });
      expect(v).toMatchObject({ verdict: 'selection-passed', exitCode: 0, selection: true, text: 'SELECTION PASSED (a subset: no profile verdict)' });
    }
    const failed = verdictOf([r('A', 'MUST', 'fail')], { heldBack: [], subset: 'shard' }, { name: 'core', strict: false, safety: 'load' });
    expect(failed).toMatchObject({ verdict: 'not-conformant', exitCode: 1, text: 'NOT CONFORMANT (one shard of the profile)', reason: 'A failed' });
  });
  it('leaves checks of another binding outside the verdict', () => {
    expect(judge([r('A', 'MUST', 'pass'), r('B', 'MUST', 'skip')], false, { heldBack: [], notApplicable: ['B'] })).toEqual({ verdict: 'conformant', exitCode: 0 });
  });
  it('the gate\'s reading accepts baselined failures and leaves held-back checks outside; a run\'s counts both', () => {
    const baselined = { ...r('B', 'MUST', 'fail'), suppression: { justification: 'known', fingerprint: '0123456789abcdef' } };
    const held: VerdictSelection = { heldBack: [{ id: 'C', level: 'MUST' }] };
    expect(judge([r('A', 'MUST', 'pass'), baselined], false, held)).toEqual({ verdict: 'not-conformant', exitCode: 1 });
    expect(judge([r('A', 'MUST', 'pass')], false, held)).toEqual({ verdict: 'incomplete', exitCode: 3 });
    const gate = verdictOf([r('A', 'MUST', 'pass'), baselined], held, { name: 'core', strict: false, safety: 'draft', judge: 'gate' });
    expect(gate).toMatchObject({ verdict: 'conformant', exitCode: 0, text: 'GATE PASSED (1 failure accepted by the baseline, 1 check above safety draft not judged)' });
  });
  it('summarizes statuses', () => {
    expect(summarize([r('A', 'MUST', 'pass'), r('B', 'MUST', 'fail'), r('C', 'SHOULD', 'warn')], 2)).toMatchObject({ pass: 1, fail: 1, warn: 1, skip: 0, total: 3, heldBack: 2 });
  });
});
