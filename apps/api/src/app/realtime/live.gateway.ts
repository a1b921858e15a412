import type { IncomingMessage } from 'node:http';
import { Logger, type OnModuleDestroy } from '@nestjs/common';
import {
  type OnGatewayConnection,
  type OnGatewayDisconnect,
  type OnGatewayInit,
  WebSocketGateway,
  WebSocketServer,
} from '@nestjs/websockets';
import { type LiveEventName, SESSION_COOKIE } from '@fabomatic/contracts';
import { parseCookie } from 'cookie';
import type { Server, Socket } from 'socket.io';
import { LiveEvents } from '../../core/live/live-events';
import { LiveAudience } from './live-audience';
import { AuthService } from '../auth/auth.service';
import type { SessionUser } from '../auth/session-user';

/** Every live event pushed to dashboards (the typed map is LiveEventMap in contracts). */
export const LIVE_EVENT_NAMES: readonly LiveEventName[] = [
  'access-event',
  'session-started',
  'session-stopped',
  'board-seen',
  'board-presence',
  'maintenance-recorded',
  'machine-status',
];
export const LIVE_PATH = '/api/live';
const STAFF_ROOM = 'staff';

/** Same-origin only: a page of another site must not open a socket with the staff's cookie. */
export function sameOrigin(origin: string | undefined, host: string | undefined): boolean {
  if (!origin) return true; // not a browser (no Origin header): the session cookie still decides
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

/**
 * Live board activity for the portal over socket.io: authenticated at connect with the session
 * cookie (any portal level), pushed as events, never polled.
 */
@WebSocketGateway({
  path: LIVE_PATH,
  serveClient: false,
  allowRequest: (request: IncomingMessage, callback: (error: string | null, allow: boolean) => void) =>
    callback(null, sameOrigin(request.headers.origin, request.headers.host)),
})
export class LiveGateway implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect, OnModuleDestroy {
  private readonly logger = new Logger(LiveGateway.name);
  private readonly unsubscribe: (() => void)[] = [];

  @WebSocketServer() server!: Server;

  constructor(
    private readonly auth: AuthService,
    private readonly live: LiveEvents,
    private readonly audience: LiveAudience,
  ) {}

  afterInit(server: Server): void {
    server.use((socket, next) => {
      this.authenticate(socket)
        .then((user) => {
          if (!user) return next(new Error('UNAUTHENTICATED'));
          (socket.data as { user?: SessionUser }).user = user;
          void socket.join(STAFF_ROOM);
          next();
        })
        .catch((error: unknown) => {
          this.logger.error(`socket authentication failed: ${String(error)}`);
          next(new Error('UNAUTHENTICATED'));
        });
    });
    for (const name of LIVE_EVENT_NAMES) {
      this.unsubscribe.push(
        // Remote too: a dashboard sees the boards every instance handles (ADR 0004).
        this.live.subscribe(
          name,
          (payload) => this.audience.connected > 0 && server.to(STAFF_ROOM).emit(name, payload),
          { remote: true },
        ),
      );
    }
  }

  handleConnection(): void {
    this.audience.connected++;
  }

  handleDisconnect(): void {
    this.audience.connected = Math.max(0, this.audience.connected - 1);
  }

  onModuleDestroy(): void {
    for (const stop of this.unsubscribe.splice(0)) stop();
  }

  private async authenticate(socket: Socket): Promise<SessionUser | null> {
    const token = parseCookie(socket.handshake.headers.cookie ?? '')[SESSION_COOKIE];
    const user = await this.auth.resolve(token);
    return user && !user.mustChangePassword ? user : null;
  }
}
