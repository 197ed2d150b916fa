/**
 * Findings over MCP in MCP's words. Checks word what they sent as the HTTP binding would carry it ("POST
 * actions x …", "GET /drafts/{id} …", "?orgId="); over MCP no such request was sent, so a Finding that rests
 * on an MCP call says the call that was (Finding's constructor applies this once, for fail() and for findings
 * built directly). The admin plane stays HTTP, and its words stay.
 */
import type { McpWire } from './check.js';

/**
 * A check names its call as over HTTP ("POST preflight x …", "POST actions x …", "GET manifest …", "GET x …",
 * x a tool); over MCP no such request was sent, so the finding names the call that was: "MCP tools/call x
 * (preflight) …", "MCP tools/list …" (or the `initialize` that was refused). Agent-plane requests named
 * further on (mcpPhrases) are said as the MCP calls that carry them. Any other wording is kept.
 */
export function mcpWorded(message: string, wire: McpWire): string {
  const m = /^(positive control: )?(?:GET|POST|PATCH|PUT|DELETE) (preflight |actions |manifest\b ?)?/.exec(message);
  if (!m) return mcpPhrases(message);
  let rest = message.slice(m[0].length);
  if (wire.tool && rest.startsWith(wire.tool)) rest = rest.slice(wire.tool.length);
  else if (!m[2]) return mcpPhrases(message);
  const label = `MCP ${wire.rpc}${wire.tool ? ` ${wire.tool}` : ''}${m[2] === 'preflight ' && wire.rpc === 'tools/call' ? ' (preflight)' : ''}`;
  return `${m[1] ?? ''}${label}${rest === '' || /^[\s:;,]/.test(rest) ? '' : ' '}${mcpPhrases(rest)}`;
}

/**
 * The agent plane's HTTP requests named anywhere in a message, as the MCP calls that carry them
 * (docs/mcp-binding.md): a preflight or an action of tool x is `tools/call x`, the manifest `tools/list`, a
 * draft's poll `resources/read openport://drafts/…`, a query argument `?name=` the call's argument `name`.
 */
export function mcpPhrases(message: string): string {
  return message
    .replace(/\bPOST (?:\/?preflight) ([a-z_]+(?:\.[a-z_]+)+)/g, 'MCP tools/call $1 (preflight)')
    .replace(/\bPOST (?:\/?actions) ([a-z_]+(?:\.[a-z_]+)+)/g, 'MCP tools/call $1')
    .replace(/\bPOST \/actions\b/g, 'MCP tools/call')
    .replace(/\bGET (?:\/api\/agent\/v1)?\/manifest\b/g, 'MCP tools/list')
    .replace(/\bGET \/?drafts\/(\{id\}|[\w-]+)/g, 'MCP resources/read openport://drafts/$1')
    .replace(/(^|[\s(])\?([A-Za-z_][\w-]*)=(?=[\s:;,)]|$)/g, '$1argument $2');
}

/**
 * An expectation worded for HTTP, said over MCP (E4 of docs/mcp-binding.md: a reason code has no HTTP status
 * there): "HTTP 429 agent.rate_limited" is that code as an MCP refusal, "HTTP 200 data.status …" a result
 * (no isError) whose structuredContent (the HTTP binding's data) says so.
 */
export function mcpExpectation(text: string): string {
  return text
    .replace(/\b(?:HTTP )?\d{3}(?:\|\d{3})* ((?:agent|common)\.[a-z_]+)/g, '$1 as an MCP refusal')
    .replace(/\bHTTP 2(?:00|xx)\b( with)? ?/g, (_m, w: string | undefined) => `an MCP result (no isError)${w ? ' with' : ''} `)
    .replace(/\bdata\.(?=[a-z])/g, 'structuredContent.')
    .trimEnd();
}
