/** The domains the reference runtime can serve, by name (serve --domain, embedded run/mutate/fuzz --domain). */
import { createDemoDomain } from './demo-domain.js';
import type { Domain } from './domain.js';
import { createHelpdeskDomain } from './helpdesk-domain.js';

export const DOMAIN_NAMES = ['demo', 'helpdesk'] as const;
export type DomainName = (typeof DOMAIN_NAMES)[number];
export const DEFAULT_DOMAIN: DomainName = 'demo';

export const DOMAINS: Record<DomainName, { description: string; create(now: () => number, newId: (prefix: string) => string): Domain }> = {
  demo: { description: 'the brief\'s ledger demo: ledgers and transactions in org_demo', create: createDemoDomain },
  helpdesk: { description: 'projects and tickets in org_helpdesk; closing a ticket is the high-risk write', create: createHelpdeskDomain },
};

export function isDomainName(name: string): name is DomainName {
  return (DOMAIN_NAMES as readonly string[]).includes(name);
}
