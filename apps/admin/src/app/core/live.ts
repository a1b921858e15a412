import { Injectable, effect, inject, signal } from '@angular/core';
import type { LiveEventMap, LiveEventName } from '@fabomatic/contracts';
import { Observable, Subject, filter, map } from 'rxjs';
import { io, type Socket } from 'socket.io-client';
import { Auth } from './auth';

/** The API's socket.io path (docs/api.md, "Live events"). */
export const LIVE_PATH = '/api/live';
/** After the server refused the handshake (e.g. the session cookie expired), socket.io does not retry. */
const REFUSED_RETRY_MS = 5000;

interface LiveMessage {
  readonly name: string;
  readonly payload: unknown;
}

/**
 * The live board activity pushed by the API over socket.io: connected while someone is signed in,
 * disconnected at logout; socket.io reconnects by itself after a network drop.
 */
@Injectable({ providedIn: 'root' })
export class Live {
  private readonly auth = inject(Auth);
  private readonly messages = new Subject<LiveMessage>();
  private readonly isConnected = signal(false);
  private readonly isOffline = signal(false);
  private socket: Socket | null = null;
  private retry: ReturnType<typeof setTimeout> | undefined;

  /** True while the socket is up: events flow. */
  readonly connected = this.isConnected.asReadonly();
  /** True once the socket dropped or could not connect, until it connects (not while first connecting). */
  readonly offline = this.isOffline.asReadonly();

  constructor() {
    effect(() => {
      const user = this.auth.user();
      if (user && !user.mustChangePassword) this.open();
      else this.close();
    });
  }

  /** Every `name` event pushed from now on (none while disconnected: reload state on reconnect). */
  on<K extends LiveEventName>(name: K): Observable<LiveEventMap[K]> {
    return this.messages.pipe(
      filter((message) => message.name === name),
      // The gateway emits each name with its LiveEventMap payload, both compiled from contracts.
      map((message) => message.payload as LiveEventMap[K]),
    );
  }

  private open(): void {
    if (this.socket) return;
    const socket = io({ path: LIVE_PATH, transports: ['websocket'], withCredentials: true });
    socket.on('connect', () => this.setConnected(true));
    socket.on('disconnect', () => this.setConnected(false));
    socket.on('connect_error', () => {
      this.setConnected(false);
      if (socket.active) return; // a transport error: socket.io retries by itself
      clearTimeout(this.retry);
      this.retry = setTimeout(() => {
        if (this.socket === socket) socket.connect();
      }, REFUSED_RETRY_MS);
    });
    socket.onAny((name: string, payload: unknown) => this.messages.next({ name, payload }));
    this.socket = socket;
  }

  private close(): void {
    clearTimeout(this.retry);
    this.socket?.disconnect();
    this.socket = null;
    this.isConnected.set(false);
    this.isOffline.set(false);
  }

  private setConnected(connected: boolean): void {
    this.isConnected.set(connected);
    this.isOffline.set(!connected);
  }
}
