/**
 * DSSE envelopes (https://github.com/secure-systems-lab/dsse) carrying an in-toto Statement v1, signed with
 * Ed25519 through node:crypto. keyid = SHA-256 of the public key's SPKI DER.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';

export const PAYLOAD_TYPE = 'application/vnd.in-toto+json';

export interface Envelope { payloadType: string; payload: string; signatures: { keyid: string; sig: string }[] }

/** DSSE pre-authentication encoding: "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body. */
export function pae(type: string, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`DSSEv1 ${Buffer.byteLength(type)} ${type} ${body.length} `), body]);
}

export function keyId(pub: KeyObject): string {
  return createHash('sha256').update(pub.export({ type: 'spki', format: 'der' })).digest('hex');
}

/** The Ed25519 private key in this PEM; throws with the reason when it is not one. */
export function signingKey(pem: string): KeyObject {
  const key = createPrivateKey(pem);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`the signing key is ${key.asymmetricKeyType}, not Ed25519`);
  return key;
}

export function envelopeOf(statement: unknown, privateKeyPem?: string): Envelope {
  const body = Buffer.from(JSON.stringify(statement), 'utf8');
  const signatures: Envelope['signatures'] = [];
  if (privateKeyPem !== undefined) {
    const key = signingKey(privateKeyPem);
    signatures.push({ keyid: keyId(createPublicKey(key)), sig: sign(null, pae(PAYLOAD_TYPE, body), key).toString('base64') });
  }
  return { payloadType: PAYLOAD_TYPE, payload: body.toString('base64'), signatures };
}

/** The Ed25519 public key in this PEM; throws with the reason when it is not one. */
export function verifyingKey(pem: string): KeyObject {
  const key = createPublicKey(pem);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`the public key is ${key.asymmetricKeyType}, not Ed25519`);
  return key;
}

/** Each signature of the envelope: whether it verifies with this Ed25519 public key, and names that key's id. */
export function verifySignatures(env: Envelope, publicKeyPem: string): { keyid: string; given: string; verifies: boolean; named: boolean }[] {
  const key = verifyingKey(publicKeyPem);
  const given = keyId(key);
  const data = pae(env.payloadType, Buffer.from(env.payload, 'base64'));
  return env.signatures.map((s) => {
    let verifies = false;
    try {
      verifies = verify(null, data, key, Buffer.from(s.sig, 'base64'));
    } catch {
      // not a signature at all
    }
    return { keyid: s.keyid, given, verifies, named: s.keyid === given };
  });
}

export function generateSigningKeys(): { privatePem: string; publicPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, publicPem: publicKey.export({ type: 'spki', format: 'pem' }) as string };
}
