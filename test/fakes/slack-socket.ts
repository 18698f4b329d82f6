import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import { API_APP_ID } from '../fixtures/slack/payloads';

/** An acknowledgement the app sent back over the socket: `{ envelope_id, payload }`. */
export interface SocketAck {
  envelopeId: string;
  payload: Record<string, unknown>;
}

export type EnvelopeType = 'events_api' | 'interactive' | 'slash_commands';

/**
 * A local stand-in for Slack's Socket Mode service: the URL that `apps.connections.open` hands out
 * (FakeSlackApi.socketUrl), a WebSocket server that greets each connection with `hello`, sends
 * envelopes (`events_api`, `interactive`, `slash_commands`) and `disconnect`, and records the acks.
 * Message shapes as Slack documents them for Socket Mode.
 */
export class FakeSlackSocket {
  private server: WebSocketServer | null = null;
  private port = 0;
  private tickets = 0;
  /** Open connections, oldest first; each was greeted with `hello`. */
  readonly sockets: WebSocket[] = [];
  /** Every connection ever made (the ticket in its URL), for reconnect checks. */
  readonly connections: string[] = [];
  readonly acks: SocketAck[] = [];
  private waiters = new Map<string, (ack: SocketAck) => void>();

  async start(): Promise<this> {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    this.server = server;
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    this.port = (server.address() as AddressInfo).port;
    server.on('connection', (ws, req) => {
      this.connections.push(new URL(req.url ?? '/', 'ws://x').searchParams.get('ticket') ?? '');
      this.sockets.push(ws);
      ws.on('close', () => this.sockets.splice(this.sockets.indexOf(ws), 1));
      ws.on('message', (data) => this.onAck(String(data)));
      ws.send(
        JSON.stringify({
          type: 'hello',
          num_connections: this.sockets.length,
          debug_info: { host: 'applink-fake', build_number: 1, approximate_connection_time: 18060 },
          connection_info: { app_id: API_APP_ID },
        }),
      );
    });
    return this;
  }

  /** A fresh URL, as each `apps.connections.open` gives one. */
  nextUrl(): string {
    this.tickets += 1;
    return `ws://127.0.0.1:${this.port}/link/?ticket=fake-${this.tickets}&app_id=${API_APP_ID}`;
  }

  get openCount(): number {
    return this.sockets.length;
  }

  /**
   * Send an envelope on the newest connection and resolve with the app's ack; rejects when no ack
   * comes within `withinMs` (Slack's own limit is 3 s).
   */
  send(type: EnvelopeType, payload: Record<string, unknown>, withinMs = 3000): Promise<SocketAck> {
    const ws = this.sockets.at(-1);
    if (!ws) return Promise.reject(new Error('no Socket Mode connection is open'));
    const envelopeId = randomUUID();
    const acked = new Promise<SocketAck>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(envelopeId);
        reject(new Error(`no ack for ${type} envelope ${envelopeId} within ${withinMs} ms`));
      }, withinMs);
      this.waiters.set(envelopeId, (ack) => {
        clearTimeout(timer);
        resolve(ack);
      });
    });
    ws.send(
      JSON.stringify({
        envelope_id: envelopeId,
        payload,
        type,
        accepts_response_payload: type !== 'events_api',
        ...(type === 'events_api' ? { retry_attempt: 0, retry_reason: '' } : {}),
      }),
    );
    return acked;
  }

  /** Ask the newest connection to go away, as Slack does before recycling its server. */
  disconnect(reason: 'warning' | 'refresh_requested' | 'link_disabled' = 'refresh_requested'): void {
    this.sockets.at(-1)?.send(JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'applink-fake' } }));
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    for (const ws of this.sockets) ws.terminate();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private onAck(raw: string) {
    let msg: { envelope_id?: string; payload?: Record<string, unknown> };
    try {
      msg = JSON.parse(raw) as typeof msg;
    } catch {
      return;
    }
    if (!msg.envelope_id) return;
    const ack = { envelopeId: msg.envelope_id, payload: msg.payload ?? {} };
    this.acks.push(ack);
    this.waiters.get(ack.envelopeId)?.(ack);
    this.waiters.delete(ack.envelopeId);
  }
}
