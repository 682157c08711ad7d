/**
 * The ids the show server and the SDK must agree on, in one place (core/ is shared by both): a show id names
 * files and NATS subjects on the server; a viewer id is the anonymous `X-Kol-Viewer` header.
 */

/** A show id: 1 to 64 letters, digits, `-` or `_`. */
export const SHOW_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** An anonymous viewer id (`X-Kol-Viewer`): 8 to 64 letters, digits, `-` or `_`. */
export const VIEWER_ID = /^[A-Za-z0-9_-]{8,64}$/;
