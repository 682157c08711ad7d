/** The customer's display name in a viewer token (docs/server.md), read on the page. */

/**
 * The `name` claim of the JWT `token`, or null. Read, not verified (the page holds no secret): only for words on
 * the page, such as "that may be you", never to decide anything; the server decides from the verified token.
 */
export function tokenName(token: string | null | undefined): string | null {
  const payload = token?.split('.')[1];
  if (!payload) return null;
  try {
    const bytes = Uint8Array.from(atob(payload.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
    const claims: unknown = JSON.parse(new TextDecoder().decode(bytes));
    const name = (claims as {name?: unknown}).name;
    return typeof name === 'string' ? name : null;
  } catch {
    return null;
  }
}
