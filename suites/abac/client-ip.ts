import type { CheckContext } from '../../src/kit/check.js';

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/**
 * The client address as the server sees it: from the audit event of one request of a fresh key (loopback
 * may be 127.0.0.1, ::1 or ::ffff:127.0.0.1, and a container sees its gateway), or — when the audit log
 * records no ip and the target is on loopback, where nothing can sit between — from the connection's own
 * local address. Undefined otherwise, with `why` saying what could not be learnt.
 */
export async function learnClientIp(ctx: CheckContext): Promise<{ ip: string; how: string } | { ip?: undefined; why: string }> {
  const probe = await ctx.persona({ name: `${ctx.checkId.toLowerCase()} ip probe` });
  // Judged by the checks that test manifests; here the request only has to reach the audit log.
  await probe.client.manifest();
  const events = await ctx.admin.audit(probe.appId);
  const audited = events.filter((e) => e.key_id === probe.keyId).map((e) => e.ip).find((x): x is string => typeof x === 'string' && x.length > 0);
  const local = await ctx.clientAddress();
  if (audited) {
    const agrees = local && local.ip === audited.replace(/^::ffff:/, '');
    return { ip: audited, how: `the audit log records it${local ? (agrees ? ', and the connection\'s local address agrees' : ` (the connection's local address is ${local.ip})`) : ''}` };
  }
  if (local?.loopback) return { ip: local.ip, how: 'the connection\'s local address (the target is on loopback and its audit log records no ip)' };
  return {
    why: local
      ? `no audit event of the probe app carries an ip, and the target is not on loopback: this tool connects from ${local.ip}, which behind NAT or a proxy is not the address the server sees`
      : 'no audit event of the probe app carries an ip, and the connection\'s local address could not be read',
  };
}

/** The four octets of an IPv4 address, or undefined for anything else (IPv6, IPv4-mapped IPv6). */
export function ipv4Octets(ip: string): number[] | undefined {
  return IPV4.test(ip) ? ip.split('.').map(Number) : undefined;
}
