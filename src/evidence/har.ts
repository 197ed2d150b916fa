/** The transcript of a bundle: the run's exchange journal (already redacted) as HAR 1.2. */
import type { Elided, JournalEntry, ReadJournal } from '../runner/journal.js';

export interface HarHeader { name: string; value: string }
/**
 * A body of bulk traffic the journal kept only a sample of: `text` is that sample, `_elided` the size and
 * SHA-256 of the whole (redacted) body, and the HAR sizes are the whole body's.
 */
type Sampled = { _elided?: Elided };
export interface HarEntry {
  startedDateTime: string;
  time: number;
  request: { method: string; url: string; httpVersion: string; cookies: []; headers: HarHeader[]; queryString: HarHeader[]; postData?: { mimeType: string; text: string } & Sampled; headersSize: -1; bodySize: number };
  response: { status: number; statusText: string; httpVersion: string; cookies: []; headers: HarHeader[]; content: { size: number; mimeType: string; text: string } & Sampled; redirectURL: ''; headersSize: -1; bodySize: number };
  cache: Record<string, never>;
  timings: { send: number; wait: number; receive: number };
  /** The journal's sequence number; `_error` when the request got no usable response (status 0, as browsers record it). */
  _seq: number;
  _error?: string;
}
export interface Har { log: { version: '1.2'; creator: { name: string; version: string }; entries: HarEntry[] } }

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
      content: { size: sizeOf(res?.body ?? '', res?.elided), mimeType: mime(res?.headers ?? {}), text: res?.body ?? '', ...sampled(res?.elided) },
      redirectURL: '',
      headersSize: -1,
      bodySize: res ? sizeOf(res.body, res.elided) : -1,
    },
    cache: {},
    timings: { send: 0, wait: e.durationMs, receive: 0 },
    _seq: e.seq,
    ...(e.error !== undefined ? { _error: e.error } : {}),
  };
}

export function harOf(journal: ReadJournal, tool: { name: string; version: string }): Har {
  const origin = journal.header.target === 'embedded:' ? EMBEDDED_ORIGIN : journal.header.target;
  return { log: { version: '1.2', creator: tool, entries: journal.entries.map((e) => entryOf(origin, e)) } };
}
