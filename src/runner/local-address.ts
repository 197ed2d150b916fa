/**
 * The address this tool connects from, as a direct connection shows it: the socket's local address. For a
 * target on loopback that is the client IP the server sees (no NAT or proxy can sit between); for any other
 * target it may not be, so checks only trust it when an audit event agrees.
 */
import { connect } from 'node:net';
import { isIP } from 'node:net';

export interface LocalAddress {
  /** The socket's local address, without an IPv4-mapped prefix. */
  ip: string;
  /** True when the target host is a loopback address (127.0.0.0/8, ::1, localhost). */
  loopback: boolean;
}

const LOOPBACK = /^(127(\.\d{1,3}){3}|::1|localhost)$/i;

/** Undefined for the embedded runtime, a URL without a host, or when the connection fails within `timeoutMs`. */
export function localAddressTo(baseUrl: string, timeoutMs: number): Promise<LocalAddress | undefined> {
  let u: URL;
  try {
    u = new URL(baseUrl);
  } catch {
    return Promise.resolve(undefined);
  }
  const host = u.hostname.replace(/^\[|\]$/g, '');
  const port = Number(u.port || (u.protocol === 'https:' ? 443 : 80));
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (v: LocalAddress | undefined) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(v);
    };
    const timer = setTimeout(() => done(undefined), timeoutMs);
    socket.once('connect', () => {
      const ip = (socket.localAddress ?? '').replace(/^::ffff:/, '');
      done(isIP(ip) ? { ip, loopback: LOOPBACK.test(host) } : undefined);
    });
    socket.once('error', () => done(undefined));
  });
}
