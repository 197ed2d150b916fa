/**
 * Public API of the OpenPort v1 reference runtime (the test oracle). It loads the fault and variant
 * registries (some 300 modules): the tool's own run paths import ./runtime.js and ./server.js instead.
 */
export { createRuntime } from './runtime.js';
export { startHttpServer, type StartedServer } from './server.js';
export { FAULTS, faultClauses, faultRequirements, listFaults, selectFaults, type FaultDef, type FaultName } from './faults/index.js';
export { VARIANTS, selectVariants, type VariantDef, type VariantName } from './variants/index.js';
export { loadSelections, type Selection } from './name-set.js';
export { createDemoDomain } from './demo-domain.js';
export { createHelpdeskDomain } from './helpdesk-domain.js';
export { DEFAULT_DOMAIN, DOMAIN_NAMES, DOMAINS, type DomainName } from './domains.js';
export type { Domain, DomainAction, DomainRead, Container, ReadQuery } from './domain.js';
export type { Runtime, RuntimeOptions, RuntimeRequest, RuntimeResponse } from './types.js';
// The MCP binding (./mcp.js) is imported from its own module: it loads the MCP SDK.
export { DEFAULT_STORE_LIMITS, type StoreLimits } from './store.js';
