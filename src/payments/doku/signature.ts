// DOKU's signatures. SNAP (BI standard): an RSA "asymmetric" signature to obtain a B2B token, then an
// HMAC-SHA512 "symmetric" signature on every call. Non-SNAP notifications (QRIS notify): HMAC-SHA256 over
// a header-like component string with a body digest.
import { createHash, createSign, createVerify, generateKeyPairSync } from 'node:crypto';
import { hmacBase64, safeEqual, sha256Hex } from '../../shared/crypto.js';

/** DOKU hashes the minified JSON body; re-minifying makes whitespace in transit irrelevant. */
export function minifyJson(raw: string | Buffer): string {
  const text = raw.toString();
  if (!text.trim()) return '';
  try {
    return JSON.stringify(JSON.parse(text));
  } catch {
    return text;
  }
}

/** X-SIGNATURE of a B2B token request: base64(SHA256withRSA(privateKey, clientId + "|" + X-TIMESTAMP)). */
export function signTokenRequest(privateKeyPem: string, clientId: string, timestamp: string): string {
  return createSign('RSA-SHA256').update(`${clientId}|${timestamp}`).sign(privateKeyPem, 'base64');
}

export function verifyTokenRequest(publicKeyPem: string, clientId: string, timestamp: string, signature: string): boolean {
  try {
    return createVerify('RSA-SHA256').update(`${clientId}|${timestamp}`).verify(publicKeyPem, signature, 'base64');
  } catch {
    return false; // malformed key or signature
  }
}

/** X-SIGNATURE of a SNAP service call: base64(HMAC-SHA512(secret, METHOD:path:token:lowerhex(sha256(minified body)):timestamp)). */
export function symmetricSignature(secretKey: string, method: string, path: string, accessToken: string, body: string | Buffer, timestamp: string): string {
  const stringToSign = `${method.toUpperCase()}:${path}:${accessToken}:${sha256Hex(minifyJson(body)).toLowerCase()}:${timestamp}`;
  return hmacBase64('sha512', secretKey, stringToSign);
}

/**
 * Checks a SNAP symmetric signature DOKU sent us (its notifications). DOKU's notification page shows
 * the signature hex-encoded while its signing guide says base64, and the endpoint path it signs may be
 * the full path it called or the path relative to the registered notification base: every such
 * combination is accepted, each compared in constant time.
 */
export function verifyNotificationSignature(secretKey: string, method: string, paths: string[], accessToken: string, body: string | Buffer, timestamp: string, signature: string | undefined): boolean {
  if (!signature) return false;
  let ok = false;
  for (const path of new Set(paths)) {
    const b64 = symmetricSignature(secretKey, method, path, accessToken, body, timestamp);
    const hex = Buffer.from(b64, 'base64').toString('hex');
    // no early exit: the time taken does not tell which form matched
    ok = safeEqual(signature, b64) || safeEqual(signature.toLowerCase(), hex) || ok;
  }
  return ok;
}

export function verifySymmetricSignature(secretKey: string, method: string, path: string, accessToken: string, body: string | Buffer, timestamp: string, signature: string | undefined): boolean {
  return safeEqual(signature, symmetricSignature(secretKey, method, path, accessToken, body, timestamp));
}

export interface NonSnapParts {
  clientId: string;
  requestId: string;
  requestTimestamp: string;
  requestTarget: string;
  body: string | Buffer;
}

/** `Signature` header of a non-SNAP request/notification: "HMACSHA256=" + base64(HMAC-SHA256(secret, components)). */
export function nonSnapSignature(secretKey: string, p: NonSnapParts): string {
  const digest = createHash('sha256').update(p.body).digest('base64');
  const components = `Client-Id:${p.clientId}\nRequest-Id:${p.requestId}\nRequest-Timestamp:${p.requestTimestamp}\nRequest-Target:${p.requestTarget}\nDigest:${digest}`;
  return 'HMACSHA256=' + hmacBase64('sha256', secretKey, components);
}

export interface DokuSandboxKeys {
  /** the merchant (pesan) signs its token requests with this */
  merchantPrivateKey: string;
  /** DOKU (the simulator) verifies pesan's token requests with this */
  merchantPublicKey: string;
  /** DOKU (the simulator) signs its token requests to pesan with this */
  dokuPrivateKey: string;
  /** pesan verifies DOKU's token requests with this */
  dokuPublicKey: string;
}

/** Two fresh RSA key pairs for a sandbox run: hand the merchant side to the gateway, the DOKU side to the simulator. */
export function generateDokuSandboxKeys(): DokuSandboxKeys {
  const pair = () => generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
  const merchant = pair();
  const doku = pair();
  return { merchantPrivateKey: merchant.privateKey, merchantPublicKey: merchant.publicKey, dokuPrivateKey: doku.privateKey, dokuPublicKey: doku.publicKey };
}
