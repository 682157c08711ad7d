/**
 * The show server's structured logs: pino, one JSON line per request and per lifecycle event. Tokens are
 * never logged: the HTTP edge logs paths without their query, and the fields that could carry a secret are
 * redacted here as a second line of defence.
 */
import {pino, type DestinationStream, type Logger} from 'pino';

export type {Logger};

/** Options of `createLogger`. */
export interface LoggerOptions {
  /** pino level (`info` by default, or `KOLKIT_LOG_LEVEL`); `silent` logs nothing. */
  level?: string;
  /** This node's name, written on every line (several nodes log into one place in cluster mode). */
  node?: string;
  /** Where lines go (stdout by default); tests pass a stream to read them. */
  destination?: DestinationStream;
}

/** Field paths that may hold a secret: a token, a header, a query string. */
const REDACT = [
  'authorization',
  'token',
  'secret',
  'headers.authorization',
  'req.headers.authorization',
  '*.authorization',
  '*.token',
  '*.secret',
];

/** The server's logger: JSON lines with an ISO time, the node's name, and secrets redacted. */
export function createLogger({level = process.env.KOLKIT_LOG_LEVEL || 'info', node, destination}: LoggerOptions = {}): Logger {
  return pino(
    {
      level,
      base: node ? {node} : {},
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: {paths: REDACT, censor: '[redacted]'},
    },
    destination ?? pino.destination(1),
  );
}
