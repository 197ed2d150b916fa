// Every hostile string of the matrix, put in every field of a report that can carry the target's text, goes
// through every reporter: no control character, no bidi control, no live link or image, no raw HTML and no
// line forged by a newline reaches the output.
import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/report/html.js';
import { renderJson } from '../../src/report/json.js';
import { renderJunit } from '../../src/report/junit.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { renderPretty } from '../../src/report/pretty.js';
import { renderSarif } from '../../src/report/sarif.js';
import type { RunReport } from '../../src/runner/result.js';
import { sampleReport } from './sample.js';

const FORGED = 'PASS   ENV-005 [MUST] Envelope';
const FORGED_SUMMARY = 'ALL 43 CHECKS PASSED - CONFORMANT';

const MATRIX: Record<string, string> = {
  'CSI clear screen and colour': `\u001b[2J\u001b[H\u001b[32m${FORGED_SUMMARY}\u001b[0m`,
  'OSC window title': '\u001b]0;pwned title\u0007\u001b]2;again\u001b\\',
  '8-bit CSI': '\u009b2J\u009b32m green',
  'newline-forged lines': `agent.x\n${FORGED}\r\n${FORGED_SUMMARY}\n82 checks: 82 passed · CONFORMANT`,
  'Markdown image and links': '![x](https://evil.example/p.png) [click](https://evil.example/) [ref]: https://evil.example/r <https://evil.example/a> www.evil.example me@evil.example',
  'raw HTML': '<script>alert(1)</script><img src=x onerror=alert(1)><a href="https://evil.example">x</a>',
  bidi: 'ok\u202Egnp.exe\u202C \u2066admin\u2069 \u202Aa\u202B\u202D\u2067\u2068\u200F',
  'line and paragraph separators': `agent.x\u2028${FORGED}\u2029${FORGED_SUMMARY}`,
};

/** The sample report with `s` in every field that can hold text from the target. */
function hostileReport(s: string): RunReport {
  const r = sampleReport();
  const fail = r.results.find((x) => x.status === 'fail')!;
  fail.message = `refused ${s}`;
  fail.expected = `expected ${s}`;
  fail.actual = `HTTP 200 ${s}`;
  fail.reproduce = `curl http://127.0.0.1:8787/x -d '${s}'`;
  fail.finding!.actual = { status: 200, code: s, pointer: `/data/${s}`, text: s };
  fail.finding!.route = `GET /api/${s}`;
  fail.exchange = {
    request: { method: 'GET', path: `/api/agent/v1/${s}`, headers: { 'x-h': s } },
    response: { status: 200, headers: { 'x-reply': s }, body: `{"code":${JSON.stringify(s)}}` },
  };
  for (const x of r.results) {
    if (x.status === 'skip') {
      x.message = `the server answered code ${s}`;
      x.hint = `--flag ${s}`;
    }
    if (x.status === 'error' || x.status === 'blocked' || x.status === 'warn') x.message = s;
    if (x.status === 'pass') x.partial = [s];
  }
  r.toolError = `GET /healthz answered ${s}`;
  r.cleanup = { revoked: [], failed: [`app_${s}`] };
  return r;
}

const REPORTERS: Record<string, (r: RunReport) => string> = {
  pretty: (r) => renderPretty(r, [], new Chalk({ level: 0 })),
  json: renderJson,
  junit: (r) => renderJunit(r),
  sarif: (r) => renderSarif(r),
  markdown: renderMarkdown,
  html: renderHtml,
};

const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/;
const SHOWN = /[\u061C\u200E\u200F\u2028-\u202E\u2066-\u2069]/;

/** Every string of a parsed JSON document. */
function strings(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.flatMap(strings);
  if (v !== null && typeof v === 'object') return Object.entries(v).flatMap(([k, x]) => [k, ...strings(x)]);
  return [];
}

/**
 * A line the target wrote that reads as one of ours: it starts where our result, summary and verdict lines
 * start (the console's detail lines are indented deeper, Markdown's list items after "- ").
 */
function forgedLines(out: string): string[] {
  return out.split('\n').filter((l) => /^(?: {0,2}|- )(?:PASS\s+ENV-005|ALL 43 CHECKS|82 checks:)/.test(l));
}

/** Markdown outside fenced blocks and code spans, where a link or image would be live. */
function liveMarkdown(md: string): string {
  return md.replace(/^(`{3,})[^\n]*\n[\s\S]*?\n\1$/gm, '').replace(/`[^`\n]*`/g, '');
}

describe('hostile text through every reporter', () => {
  for (const [name, s] of Object.entries(MATRIX)) {
    for (const [reporter, render] of Object.entries(REPORTERS)) {
      it(`${name} → ${reporter}`, () => {
        const out = render(hostileReport(s));
        expect(out).not.toMatch(CONTROL);
        expect(out).not.toMatch(SHOWN);
        if (reporter === 'json' || reporter === 'sarif') {
          // JSON escapes C0 controls as \u001b: the parsed strings are what a reader's tool shows.
          for (const text of strings(JSON.parse(out))) {
            expect(text).not.toMatch(CONTROL);
            expect(text).not.toMatch(SHOWN);
          }
        }
        // (Markdown's code blocks show a reproduce line as sent, inside its box.)
        if (reporter === 'pretty' || reporter === 'markdown') expect(forgedLines(reporter === 'markdown' ? liveMarkdown(out) : out)).toEqual([]);
        if (reporter === 'markdown') {
          // A <br> inside a table cell stays in its row; in the Not-run list it would start a line of its own.
          const notRun = out.slice(out.indexOf('### Not run'));
          expect(notRun).not.toContain('<br>');
        }
        if (reporter === 'markdown') {
          const live = liveMarkdown(out);
          expect(live).not.toMatch(/!\[[^\]]*\]\(/);
          expect(live).not.toMatch(/\]\(https:\/\/evil/);
          expect(live).not.toMatch(/\]:\s*https?:/);
          expect(live).not.toMatch(/<(?:https?:|script|img|a\s)/i);
          expect(live).not.toMatch(/https?:\/\/evil|www\.evil|\w@evil/);
        }
        if (reporter === 'sarif') {
          // A plain-text SARIF message makes a link of an unescaped [text](target) (§3.11.6).
          const run = JSON.parse(out).runs[0];
          const messages = [...run.results, ...(run.invocations[0].toolExecutionNotifications ?? [])].map((r: { message: { text: string } }) => r.message.text);
          for (const text of messages) expect(text).not.toMatch(/(?<!\\)\[[^\]]*(?<!\\)\]\(/);
          if (name === 'Markdown image and links') expect(messages.join('\n')).toContain('!\\[x\\](https://evil.example/p.png)');
        }
        if (reporter === 'html' || reporter === 'junit') {
          expect(out).not.toMatch(/<(?:script>alert|img|a href="https:\/\/evil)/);
        }
      });
    }
  }

  it('shows a bidi control as a visible mark and keeps the words around it', () => {
    const md = renderMarkdown(hostileReport(MATRIX.bidi!));
    expect(md).toContain('ok⟨U+202E⟩gnp.exe⟨U+202C⟩');
    const json = JSON.parse(renderJson(hostileReport(MATRIX.bidi!))) as RunReport;
    expect(json.results.find((r) => r.status === 'fail')!.message).toContain('⟨U+2066⟩admin⟨U+2069⟩');
  });

  it('keeps the Markdown text readable: the escapes render as the characters they stand for', () => {
    const md = renderMarkdown(hostileReport(MATRIX['Markdown image and links']!));
    expect(md).toContain('!\\[x\\](https&#58;//evil.example/p.png)');
    expect(md).toContain('www&#46;evil.example me&#64;evil.example');
  });
});
