/** The transcript of a bundle: the run's exchange journal (already redacted) as HAR 1.2. */
import type { Exchange } from '../kit/check.js';
import type { Elided, JournalCheck, JournalEntry, ReadJournal } from '../runner/journal.js';
import { exchangeFromJournal } from '../runner/transport.js';

export interface HarHeader { name: string; value: string }
/**
 * A body of bulk traffic the journal kept only a sample of: `text` is that sample, `_elided` the size and
 * SHA-256 of the whole (redacted) body, and the HAR sizes are the whole body's.
 */
type Sampled = { _elided?: Elided };
/** On a sampled success body: the envelope's ok and code, which the journal-wide checks read of it. */
type SampledEnvelope = { _envelope?: { ok: true; code: string } };
export interface HarEntry {
  startedDateTime: string;
  time: number;
  request: { method: string; url: string; httpVersion: string; cookies: []; headers: HarHeader[]; queryString: HarHeader[]; postData?: { mimeType: string; text: string } & Sampled; headersSize: -1; bodySize: number };
  response: { status: number; statusText: string; httpVersion: string; cookies: []; headers: HarHeader[]; content: { size: number; mimeType: string; text: string } & Sampled & SampledEnvelope; redirectURL: ''; headersSize: -1; bodySize: number; _echoed?: { headers: number; body: number } };
  cache: Record<string, never>;
  timings: { send: number; wait: number; receive: number };
  /** The journal's sequence number; `_error` when the request got no usable response (status 0, as browsers record it). */
  _seq: number;
  _error?: string;
  /** The check that sent it and its ordinal among that check's requests (absent for the run's own probes and cleanup). */
  _check?: string;
  _step?: number;
}
/** A check's outcome as the run recorded it in the journal (status, requests sent, exchanges its finding rests on). */
export type HarCheck = Omit<JournalCheck, 'type'>;
export interface Har { log: { version: '1.2'; creator: { name: string; version: string }; entries: HarEntry[]; _checks?: HarCheck[] } }

/** Embedded runs have no host; HAR needs absolute URLs. */
export const EMBEDDED_ORIGIN = 'http://embedded.invalid';

const pairs = (h: Record<string, string>): HarHeader[] => Object.entries(h).map(([name, value]) => ({ name, value }));
const mime = (h: Record<string, string>) => Object.entries(h).find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? '';

/** The absolute URL of a request path of the run (a base URL's own path kept), normalised by URL. */
export function harUrl(origin: string, path: string): URL {
  return new URL(`${origin.replace(/\/$/, '')}${path}`);
}

const sizeOf = (text: string, elided: Elided | undefined) => elided?.bytes ?? Buffer.byteLength(text);

function entryOf(origin: string, e: JournalEntry): HarEntry {
  const url = harUrl(origin, e.request.path);
  const body = e.request.body;
  const res = e.response;
  const sampled = (elided: Elided | undefined) => (elided ? { _elided: elided } : {});
  return {
    startedDateTime: e.startedAt,
    time: e.durationMs,
    request: {
      method: e.request.method,
      url: url.href,
      httpVersion: 'HTTP/1.1',
      cookies: [],
      headers: pairs(e.request.headers),
      queryString: [...url.searchParams].map(([name, value]) => ({ name, value })),
      ...(body !== undefined ? { postData: { mimeType: mime(e.request.headers), text: body, ...sampled(e.request.elided) } } : {}),
      headersSize: -1,
      bodySize: body === undefined ? 0 : sizeOf(body, e.request.elided),
    },
    response: {
      status: res?.status ?? 0,
      statusText: '',
      httpVersion: 'HTTP/1.1',
      cookies: [],
      headers: pairs(res?.headers ?? {}),
      content: { size: sizeOf(res?.body ?? '', res?.elided), mimeType: mime(res?.headers ?? {}), text: res?.body ?? '', ...sampled(res?.elided), ...(res?.envelope ? { _envelope: res.envelope } : {}) },
      redirectURL: '',
      headersSize: -1,
      bodySize: res ? sizeOf(res.body, res.elided) : -1,
      // How many of the run's credentials the response echoed before redaction: what ENV-005 judges offline.
      ...(res?.echoed ? { _echoed: res.echoed } : {}),
    },
    cache: {},
    timings: { send: 0, wait: e.durationMs, receive: 0 },
    _seq: e.seq,
    ...(e.error !== undefined ? { _error: e.error } : {}),
    ...(e.check !== undefined ? { _check: e.check, _step: e.step } : {}),
  };
}

export function harOf(journal: ReadJournal, tool: { name: string; version: string }): Har {
  const origin = journal.header.target === 'embedded:' ? EMBEDDED_ORIGIN : journal.header.target;
  const checks = journal.checks.map(({ type: _, ...c }) => c);
  return { log: { version: '1.2', creator: tool, entries: journal.entries.map((e) => entryOf(origin, e)), _checks: checks } };
}

/** The request path of an entry relative to `base` (the bundle's target), or undefined when it went elsewhere. */
export function pathUnder(base: string, e: Pick<HarEntry, 'request'>): string | undefined {
  const root = harUrl(base, '/').href.replace(/\/$/, '');
  const url = e.request.url;
  return url === root || url.startsWith(`${root}/`) || url.startsWith(`${root}?`) ? url.slice(root.length) || '/' : undefined;
}

/** A transcript entry as the exchange a check saw (redacted, as read back from a journal); undefined without a response or off `base`. */
export function exchangeOfEntry(base: string, e: HarEntry): Exchange | undefined {
  const path = pathUnder(base, e);
  if (path === undefined || e.response.status === 0) return undefined;
  const headers = (h: HarHeader[]) => Object.fromEntries(h.map((x) => [x.name, x.value]));
  const c = e.response.content;
  return exchangeFromJournal({
    type: 'exchange',
    seq: e._seq,
    startedAt: e.startedDateTime,
    durationMs: e.time,
    request: { method: e.request.method, path, headers: headers(e.request.headers), ...(e.request.postData ? { body: e.request.postData.text } : {}) },
    response: { status: e.response.status, headers: headers(e.response.headers), body: c.text, ...(e.response._echoed ? { echoed: e.response._echoed } : {}), ...(c._elided ? { elided: c._elided } : {}), ...(c._envelope ? { envelope: c._envelope } : {}) },
  });
}
