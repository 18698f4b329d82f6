import type { Socket } from 'node:net';
import type restify from 'restify';

/** The largest request body any route reads; a larger one is answered 413 as soon as the cap is passed. */
export const MAX_BODY_BYTES = 1_000_000;
/** The deepest JSON nesting a body may have (Slack and Bot Framework payloads stay near 10); deeper is 400. */
export const MAX_JSON_DEPTH = 64;

/** How long a refused connection stays half-closed so that the client can read the answer. */
export const LINGER_MS = 5_000;

/** json: application/json; form: application/x-www-form-urlencoded (Slack's interactivity and slash commands). */
export type BodyType = 'json' | 'form';

/** What a route reads from a request body. A route without one takes no body: any body is answered 415. */
export interface BodySpec {
  types: readonly BodyType[];
  /** parsed: `req.body` is the parsed JSON; raw: `req.rawBody` holds the bytes (Slack signs them). */
  as: 'parsed' | 'raw';
  /** A smaller cap than MAX_BODY_BYTES, for routes that take a small body. */
  maxBytes?: number;
}

declare module 'restify' {
  interface RouteOptions {
    /** The body this route reads (src/web/body.ts); absent: none. */
    readBody?: BodySpec;
  }
}

/** Bot Framework activities, the playground's page and connector calls, the test routes. */
export const JSON_BODY: BodySpec = { types: ['json'], as: 'parsed' };
/** Slack: JSON events, form-encoded interactivity and commands, kept raw for Bolt's signature check. */
export const SLACK_BODY: BodySpec = { types: ['json', 'form'], as: 'raw' };

const MEDIA_TYPES: Record<string, BodyType> = {
  'application/json': 'json',
  'application/x-www-form-urlencoded': 'form',
};

/** Whether `text` nests arrays and objects deeper than `max` (strings skipped; the text need not be valid JSON). */
export function jsonDepthExceeds(text: string, max = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

function mediaTypeOf(req: restify.Request): BodyType | undefined {
  const mediaType = String(req.headers['content-type'] ?? '')
    .split(';')[0]
    ?.trim()
    .toLowerCase();
  return mediaType ? MEDIA_TYPES[mediaType] : undefined;
}

const capOf = (spec: BodySpec) => Math.min(spec.maxBytes ?? MAX_BODY_BYTES, MAX_BODY_BYTES);

/** What is refused before a byte is read: a type the route does not take, a compressed body, a declared size over the cap. */
function refuseUnread(req: restify.Request, spec: BodySpec | undefined): BodyRefusal | null {
  if (!spec) return { status: 415, error: 'this route takes no request body' };
  const type = mediaTypeOf(req);
  const encoding = String(req.headers['content-encoding'] ?? 'identity').toLowerCase();
  if (!type || !spec.types.includes(type) || encoding !== 'identity') {
    const names = Object.keys(MEDIA_TYPES).filter((k) => spec.types.includes(MEDIA_TYPES[k] as BodyType));
    return { status: 415, error: `send ${names.join(' or ')}, uncompressed` };
  }
  const cap = capOf(spec);
  if (Number(req.headers['content-length'] ?? 0) > cap) return { status: 413, error: `request body over ${cap} bytes` };
  return null;
}

function parseInto(req: restify.Request, type: BodyType, text: string): BodyRefusal | null {
  try {
    req.body = type === 'json' ? JSON.parse(text) : Object.fromEntries(new URLSearchParams(text));
    return null;
  } catch {
    return { status: 400, error: 'expected a JSON body' };
  }
}

/**
 * Read no more of a body that will not be read, and close the connection once the answer is out. Not at once: a
 * socket closed with unread bytes is reset, and the client, still sending, loses the answer before it reads it. So
 * the socket is half-closed after the answer (the client reads it, its upload stalls on a full window) and cut
 * LINGER_MS later, as nginx's lingering_close does; meanwhile nothing more is read. Call before answering.
 */
export function closeUnread(req: restify.Request, res: restify.Response): void {
  if (req.complete) return;
  res.setHeader('connection', 'close');
  req.pause();
  req.read(0); // counts as read by us: Node would otherwise drain the rest of the body ("dump") after the answer
  const socket = req.socket as Socket & { destroySoon?: () => void };
  socket.destroySoon = () => socket.end();
  const timer = setTimeout(() => socket.destroy(), LINGER_MS);
  timer.unref();
  socket.once('close', () => clearTimeout(timer));
}

/** Whether the request carries a body at all (a chunked one, or a non-zero Content-Length). */
export function carriesBody(req: restify.Request): boolean {
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
}

export interface BodyRefusal {
  status: 400 | 413 | 415;
  error: string;
}

/**
 * Read the request body as its route allows, counting bytes as they arrive: never more than the cap is held,
 * nothing is written to disk, and what no route reads (multipart, octet streams, compressed bodies) is refused
 * before a byte is read. Calls `done` once, with a refusal or with the body set on `req`.
 */
export function readBody(
  req: restify.Request,
  spec: BodySpec | undefined,
  done: (refusal: BodyRefusal | null) => void,
): void {
  if (!carriesBody(req)) {
    done(null);
    return;
  }
  const refusal = refuseUnread(req, spec);
  if (refusal || !spec) {
    done(refusal ?? { status: 415, error: 'this route takes no request body' });
    return;
  }
  const type = mediaTypeOf(req) as BodyType;
  const cap = capOf(spec);
  const tooLarge: BodyRefusal = { status: 413, error: `request body over ${cap} bytes` };
  const chunks: Buffer[] = [];
  let size = 0;
  let settled = false;
  const settle = (refusal: BodyRefusal | null) => {
    if (settled) return;
    settled = true;
    req.removeListener('data', onData);
    req.removeListener('end', onEnd);
    req.removeListener('error', onError);
    req.removeListener('close', onError);
    done(refusal);
  };
  const onData = (chunk: Buffer) => {
    size += chunk.length;
    if (size <= cap) chunks.push(chunk);
    else {
      chunks.length = 0;
      settle(tooLarge); // the caller's answer reads no further (closeUnread)
    }
  };
  const onEnd = () => {
    const raw = Buffer.concat(chunks, size);
    const text = raw.toString('utf8');
    const json = type === 'json' ? text : (new URLSearchParams(text).get('payload') ?? '');
    if (jsonDepthExceeds(json)) settle({ status: 400, error: `JSON nested deeper than ${MAX_JSON_DEPTH} levels` });
    else if (spec.as === 'raw') {
      (req as restify.Request & { rawBody?: Buffer }).rawBody = raw;
      settle(null);
    } else settle(parseInto(req, type, text));
  };
  const onError = () => settle({ status: 400, error: 'the request body was cut short' });
  req.on('data', onData);
  req.on('end', onEnd);
  req.on('error', onError);
  req.once('close', onError); // the client went away mid-body (after 'end' this does nothing)
}
