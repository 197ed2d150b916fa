/**
 * Where a citation can be opened. Every requirement rests on sections of the protocol brief ("§4: …"); the
 * brief itself is the project's build source, not a public document, so each of its sections is mapped here
 * to the public sources behind it — the OpenPort paper and the authors' specification files at a pinned
 * commit — and to the project's own normative reading of it (a section of docs/protocol.md). Reporters,
 * `explain` and the generated docs resolve a requirement's citations through `citationsOf` and nothing else.
 */

/** The paper that defines the protocol. */
export const PAPER = {
  title: 'OpenPort Protocol: A Security Governance Specification for AI Agent Tool Access',
  authors: 'Zhu, Wang, Wang, Li, Li',
  id: 'arXiv 2602.20196',
  url: 'https://arxiv.org/abs/2602.20196',
} as const;

/** The authors' repository and the commit whose specification files the links below pin. */
export const AUTHORS_REPOSITORY = 'https://github.com/VancouverCanada/openport';
export const AUTHORS_COMMIT = 'b12f86bf60594cd9b7cbf19cdd536c65278fde3b';

const spec = (path: string, anchor?: string): string => `${AUTHORS_REPOSITORY}/blob/${AUTHORS_COMMIT}/${path}${anchor ? `#${anchor}` : ''}`;

export interface Source {
  /** How a reader names it: "arXiv 2602.20196", "docs/03-architecture.md § Contract rules". */
  label: string;
  url: string;
}

export interface SectionSources {
  /** The brief's section title. */
  title: string;
  /** The heading anchor of the project's reading of this section in docs/protocol.md. */
  reading: string;
  /** The authors' specification files that state it, at AUTHORS_COMMIT (the paper is cited for every section). */
  spec: readonly Source[];
}

const OPENAPI: Source = { label: 'spec/openport-v1.openapi.yaml', url: spec('spec/openport-v1.openapi.yaml') };
const ARCH_ENDPOINTS: Source = { label: 'docs/03-architecture.md § Canonical endpoint set', url: spec('docs/03-architecture.md', 'canonical-endpoint-set-v1') };
const ARCH_CONTRACT: Source = { label: 'docs/03-architecture.md § Contract rules', url: spec('docs/03-architecture.md', 'contract-rules') };
const ARCH_COMPONENTS: Source = { label: 'docs/03-architecture.md § Logical components', url: spec('docs/03-architecture.md', 'logical-components') };
const THREATS: Source = { label: 'docs/04-security-threat-model.md § Required controls', url: spec('docs/04-security-threat-model.md', 'required-controls') };
const HARDENING: Source = { label: 'docs/11-security-hardening.md § Runtime hardening baseline', url: spec('docs/11-security-hardening.md', 'runtime-hardening-baseline') };
const AUDIT: Source = { label: 'docs/11-security-hardening.md § Audit baseline', url: spec('docs/11-security-hardening.md', 'audit-baseline') };
const CONFORMANCE: Source = { label: 'conformance/README.md', url: spec('conformance/README.md') };
const RELEASE_GATE: Source = { label: 'docs/06-release-gate.md', url: spec('docs/06-release-gate.md') };

/** The brief's sections, by number. */
export const SECTION_SOURCES: Readonly<Record<number, SectionSources>> = {
  1: { title: 'What the protocol is for', reading: 'what-openport-is-for', spec: [ARCH_COMPONENTS] },
  2: { title: 'Objects', reading: 'the-moving-parts', spec: [ARCH_COMPONENTS, OPENAPI] },
  3: { title: 'Endpoints', reading: 'routes', spec: [ARCH_ENDPOINTS, OPENAPI] },
  4: { title: 'Envelope', reading: 'the-envelope', spec: [ARCH_CONTRACT, OPENAPI] },
  5: { title: 'Reason codes', reading: 'reason-codes', spec: [OPENAPI, ARCH_CONTRACT] },
  6: { title: 'Authorization', reading: 'authorization-deny-by-default-in-a-fixed-order', spec: [THREATS, HARDENING] },
  7: { title: 'Writes', reading: 'writes-drafts-first-humans-approve-machines-only-inside-a-window', spec: [ARCH_CONTRACT, THREATS, OPENAPI] },
  8: { title: 'State Witness profile', reading: 'state-witness-optional-profile', spec: [ARCH_CONTRACT, OPENAPI] },
  9: { title: 'Admission control', reading: 'admission-control', spec: [HARDENING] },
  10: { title: 'Audit events', reading: 'audit', spec: [AUDIT, THREATS] },
  11: { title: 'Conformance profiles', reading: 'profiles', spec: [CONFORMANCE, RELEASE_GATE] },
};

/** The brief's sections a basis cites ("§3: …; §4: …" → [3, 4]), in order, each once. */
export function sectionsOf(basis: string): number[] {
  const out: number[] = [];
  for (const m of basis.matchAll(/§\s*(\d+)/g)) {
    const n = Number(m[1]);
    if (SECTION_SOURCES[n] && !out.includes(n)) out.push(n);
  }
  return out;
}

export interface Citation {
  /**
   * The project's reading: a path relative to the package root, with the section's anchor (docs/protocol.md;
   * docs/mcp-binding.md for the MCP binding's own rules).
   */
  reading: string;
  /** Public sources: the paper, then the authors' specification files, each once. */
  sources: Source[];
}

/** What a requirement's basis can be looked up in, by anyone. */
/**
 * The MCP binding's own rules rest on a row of docs/mcp-binding.md (the project's normative mapping of the
 * brief onto MCP), which in turn rests on the MCP specification: tools (annotations, isError results), the
 * Streamable HTTP transport (sessions, Origin) and authorization (tokens only in the Authorization header).
 */
const MCP_SPEC: Source[] = [
  { label: 'MCP specification 2025-06-18: tools', url: 'https://modelcontextprotocol.io/specification/2025-06-18/server/tools' },
  { label: 'MCP specification 2025-06-18: transports', url: 'https://modelcontextprotocol.io/specification/2025-06-18/basic/transports' },
  { label: 'MCP specification 2025-06-18: authorization', url: 'https://modelcontextprotocol.io/specification/2025-06-18/basic/authorization' },
];
/** The section of docs/mcp-binding.md each row letter belongs to (T1…, D1…, R1…/W1…, E1…). */
const MCP_ROW_SECTIONS: Record<string, string> = {
  T: 'transport-and-authentication',
  D: 'discovery-toolslist',
  R: 'calls-toolscall',
  W: 'calls-toolscall',
  E: 'refusals-where-the-reason-code-is',
};

export function citationsOf(basis: string): Citation {
  const row = /^docs\/mcp-binding\.md ([A-Z])(\d+)\b/.exec(basis);
  if (row) {
    // The page a row rests on first: T3 (credentials, the 401 challenge) on authorization, the other T rows
    // (sessions, Host, Origin, quotas) on the transports, the rest on tools.
    const first = row[1] === 'T' ? (row[2] === '3' ? 2 : 1) : 0;
    return { reading: `docs/mcp-binding.md#${MCP_ROW_SECTIONS[row[1]!] ?? ''}`, sources: [{ label: PAPER.id, url: PAPER.url }, MCP_SPEC[first]!, ...MCP_SPEC.filter((_, i) => i !== first)] };
  }
  const sections = sectionsOf(basis);
  const sources: Source[] = [{ label: PAPER.id, url: PAPER.url }];
  for (const n of sections) for (const s of SECTION_SOURCES[n]!.spec) if (!sources.some((x) => x.url === s.url)) sources.push(s);
  const first = sections[0];
  return { reading: `docs/protocol.md${first !== undefined ? `#${SECTION_SOURCES[first]!.reading}` : '#requirements'}`, sources };
}

/** The one public link a reporter shows beside a failure: the first specification file, else the paper. */
export function primarySource(basis: string): Source {
  const { sources } = citationsOf(basis);
  return sources[1] ?? sources[0]!;
}
