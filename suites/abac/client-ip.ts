import type { CheckContext } from '../../src/engine/check.js';

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/**
 * The client address as the server sees it, learned from the audit event of one request of a fresh key
 * (loopback may be 127.0.0.1, ::1 or ::ffff:127.0.0.1, and a container sees its gateway). Undefined when
 * the server records no ip.
 */
export async function learnClientIp(ctx: CheckContext): Promise<string | undefined> {
  const probe = await ctx.persona({ name: `${ctx.checkId.toLowerCase()} ip probe` });
  // Judged by the checks that test manifests; here the request only has to reach the audit log.
  await probe.client.manifest();
  const events = await ctx.admin.audit(probe.appId);
  return events.filter((e) => e.key_id === probe.keyId).map((e) => e.ip).find((x): x is string => typeof x === 'string' && x.length > 0);
}

/** The four octets of an IPv4 address, or undefined for anything else (IPv6, IPv4-mapped IPv6). */
export function ipv4Octets(ip: string): number[] | undefined {
  return IPV4.test(ip) ? ip.split('.').map(Number) : undefined;
}
