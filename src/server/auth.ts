/**
 * Identity (DESIGN.md §8.2): host and moderator tokens, customers' viewer tokens, anonymous viewer ids.
 * Every token is a JWT signed with HS256 and checked by `jose`; no crypto is written here.
 *
 * - A host token (secret `KOLKIT_HOST_SECRET`) carries `role`: `host` | `moderator`, `shows`: an array of show
 *   ids or `"*"`, and must carry `exp`: a leaked studio link stops working on its own.
 * - A viewer token (secret `KOLKIT_VIEWER_SECRET`, signed by the merchant's backend) carries `sub`, `name`
 *   (optional) and `exp` (required, for the same reason); it makes the viewer a customer.
 * - Without a viewer token a viewer is the anonymous id in `X-Kol-Viewer`, made at random by the SDK.
 *
 * The two secrets must differ: with one secret for both, a host token would also pass as a viewer token.
 */
import type {IncomingHttpHeaders} from 'node:http';
import {SignJWT, errors, jwtVerify, type JWTPayload} from 'jose';
import {ShowInputError, type ViewerIdentity} from './types.js';
import {VIEWER_ID} from '../core/ids.js';

/** Leeway for `exp`/`nbf`/`iat` between the signer's clock and ours. */
const CLOCK_TOLERANCE_SECONDS = 5;
/** A compact JWT is far shorter; a longer header is refused before any parsing. */
const MAX_TOKEN_LENGTH = 4096;
/** A customer's `sub`: an opaque id from the merchant, bounded so it fits in events and keys. */
const MAX_SUB_LENGTH = 128;
/** A display name is clamped to what a `chat.message` author may be. */
const MAX_NAME_LENGTH = 64;

/** A host or moderator, as `verifyHost` found them. */
export interface HostIdentity {
  role: 'host' | 'moderator';
  /** The token's `sub`, when it names the person. */
  sub?: string;
}

const keyOf = (secret: string): Uint8Array => {
  // An empty secret would make every token forgeable: a start-up mistake, not a request's.
  if (!secret) throw new Error('kolkit auth: the signing secret is empty');
  return new TextEncoder().encode(secret);
};

const unauthorized = (message: string) => new ShowInputError(401, 'unauthorized', message);
const forbidden = (message: string) => new ShowInputError(403, 'forbidden', message);

/** The token of an `Authorization: Bearer <token>` header; a 401 naming what is wrong otherwise. */
function bearer(authorization: string | string[] | undefined, what: string): string {
  const header = Array.isArray(authorization) ? authorization[0] : authorization;
  if (!header) throw unauthorized(`missing ${what}: send Authorization: Bearer <token>`);
  const match = /^Bearer +([A-Za-z0-9_.-]+)$/i.exec(header.trim());
  if (!match || match[1].length > MAX_TOKEN_LENGTH) throw unauthorized(`malformed Authorization header: expected Bearer <${what}>`);
  return match[1];
}

/** Verifies an HS256 JWT with `exp`; turns jose's errors into 401s that say why. */
async function verify(token: string, secret: string, what: string): Promise<JWTPayload> {
  try {
    const {payload} = await jwtVerify(token, keyOf(secret), {
      algorithms: ['HS256'],
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      requiredClaims: ['exp'],
    });
    return payload;
  } catch (error) {
    if (error instanceof errors.JWTExpired) throw unauthorized(`expired ${what}`);
    if (error instanceof errors.JWSSignatureVerificationFailed) throw unauthorized(`bad signature: the ${what} was not signed with this server's secret`);
    if (error instanceof errors.JWTClaimValidationFailed) throw unauthorized(`${what} refused: ${error.claim} ${error.reason === 'missing' ? 'claim missing' : 'claim check failed'}`);
    if (error instanceof errors.JOSEAlgNotAllowed) throw unauthorized(`${what} refused: only HS256 is accepted`);
    if (error instanceof errors.JOSEError) throw unauthorized(`malformed ${what}`);
    throw error;
  }
}

/**
 * Checks a host endpoint's `Authorization` header for `show`: a 401 `ShowInputError` (`unauthorized`) when
 * the token is missing, malformed, expired or badly signed; a 403 (`forbidden`) when it is valid but not a
 * host or moderator token for this show.
 */
export async function verifyHost(authorization: string | undefined, show: string, secret: string): Promise<HostIdentity> {
  const payload = await verify(bearer(authorization, 'host token'), secret, 'host token');
  const {role, shows, sub} = payload;
  if (role !== 'host' && role !== 'moderator') throw forbidden('the token is not a host or moderator token');
  const forShow = shows === '*' || (Array.isArray(shows) && shows.includes(show));
  if (!forShow) throw forbidden(`the token is not for show ${show}`);
  return typeof sub === 'string' && sub ? {role, sub} : {role};
}

/**
 * Who sent a viewer request: a customer when `Authorization: Bearer <viewer token>` is valid
 * (`{id: 'customer:<sub>', name, customer: true}`), else the anonymous `X-Kol-Viewer` id
 * (`{id: 'viewer:<id>', customer: false}`). A token that is present but invalid is a 401 (never a fallback to
 * anonymous: the page meant a customer); a missing or malformed viewer id is a 400 (`bad-viewer-id`).
 */
export async function viewerIdentity(headers: IncomingHttpHeaders, viewerSecret: string): Promise<ViewerIdentity> {
  if (headers.authorization !== undefined) {
    const payload = await verify(bearer(headers.authorization, 'viewer token'), viewerSecret, 'viewer token');
    const {sub, name} = payload;
    if (typeof sub !== 'string' || !sub || sub.length > MAX_SUB_LENGTH) throw unauthorized(`viewer token refused: sub must be a string of 1 to ${MAX_SUB_LENGTH} characters`);
    if (name !== undefined && typeof name !== 'string') throw unauthorized('viewer token refused: name must be a string');
    const shown = name?.trim().slice(0, MAX_NAME_LENGTH);
    return shown ? {id: `customer:${sub}`, name: shown, customer: true} : {id: `customer:${sub}`, customer: true};
  }
  const raw = headers['x-kol-viewer'];
  const id = Array.isArray(raw) ? raw[0] : raw;
  if (!id || !VIEWER_ID.test(id)) {
    throw new ShowInputError(400, 'bad-viewer-id', 'X-Kol-Viewer must be 8 to 64 characters of A-Z, a-z, 0-9, _ or - (or send a viewer token)', {header: 'X-Kol-Viewer'});
  }
  return {id: `viewer:${id}`, customer: false};
}

/** Signs an HS256 token with `iat` and `exp` = now + `ttlSeconds`. */
async function sign(claims: JWTPayload, ttlSeconds: number, secret: string): Promise<string> {
  if (!(ttlSeconds > 0) || !Number.isFinite(ttlSeconds)) throw new RangeError('kolkit auth: ttlSeconds must be a positive number');
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT(claims).setProtectedHeader({alg: 'HS256', typ: 'JWT'}).setIssuedAt(now).setExpirationTime(now + Math.ceil(ttlSeconds)).sign(keyOf(secret));
}

/** Options of `signHostToken`: one `show`, or `shows` (ids or `'*'`). */
export type HostTokenOptions = ({show: string; shows?: never} | {shows: string[] | '*'; show?: never}) & {
  role: 'host' | 'moderator';
  ttlSeconds: number;
  /** Names the person (kept in logs, not checked). */
  sub?: string;
};

/** Signs a host or moderator token (the CLI's studio link; tests). */
export function signHostToken(options: HostTokenOptions, secret: string): Promise<string> {
  const shows = options.show !== undefined ? [options.show] : options.shows;
  return sign({role: options.role, shows, ...(options.sub ? {sub: options.sub} : {})}, options.ttlSeconds, secret);
}

/** Signs a viewer token naming a customer (what a merchant's backend does; the demo and tests use this). */
export function signViewerToken(options: {sub: string; name?: string; ttlSeconds: number}, secret: string): Promise<string> {
  return sign({sub: options.sub, ...(options.name !== undefined ? {name: options.name} : {})}, options.ttlSeconds, secret);
}
