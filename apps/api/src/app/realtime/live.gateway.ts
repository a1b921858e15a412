import type { IncomingMessage } from 'node:http';
import { Logger, type OnModuleDestroy } from '@nestjs/common';
import {
  type OnGatewayConnection,
  type OnGatewayDisconnect,
  type OnGatewayInit,
  WebSocketGateway,
  WebSocketServer,
} from '@nestjs/websockets';
import {
  type AccessEventMessage,
  cardUidFor,
  FULL_CARD_UID_ACCESS,
  hasAccess,
  KIOSK_HANDSHAKE_FIELD,
  KIOSK_MACHINE_EVENT,
  KIOSK_REVOKED_EVENT,
  LIVE_EVENT_NAMES,
  type LiveEventMap,
  type LiveEventName,
  type PortalAccess,
  SESSION_COOKIE,
} from '@fabomatic/contracts';
import { parseCookie } from 'cookie';
import type { Server, Socket } from 'socket.io';
import { EventBus } from '../../core/events/event-bus';
import { LiveAudience } from './live-audience';
import { AuthService } from '../auth/auth.service';
import type { SessionUser } from '../auth/session-user';
import { KioskView } from '../kiosks/kiosk-view';
import { KiosksService } from '../kiosks/kiosks.service';

export const LIVE_PATH = '/api/live';
/** The lowest portal level that may open a live socket: staff, not members. */
const LIVE_ACCESS: PortalAccess = 'read-only';
const STAFF_ROOM = 'staff';
/** Sockets of managers and admins, who see card UIDs in full. */
const FULL_CARDS_ROOM = 'cards-full';
/** Sockets of read-only users, who see card UIDs masked. */
const MASKED_CARDS_ROOM = 'cards-masked';
/** Kiosk screens' sockets (issue 14): they receive only the sanitised `kiosk-machine` tile. */
const KIOSK_ROOM = 'kiosks';

const roomFor = (access: PortalAccess) =>
  hasAccess(access, FULL_CARD_UID_ACCESS) ? FULL_CARDS_ROOM : MASKED_CARDS_ROOM;

/** An event as a read-only dashboard receives it: card UIDs masked. */
export function maskedLiveEvent<K extends LiveEventName>(name: K, payload: LiveEventMap[K]): LiveEventMap[K] {
  if (name !== 'access-event') return payload;
  const event = payload as AccessEventMessage;
  return { ...event, cardUid: cardUidFor('read-only', event.cardUid) } as LiveEventMap[K];
}

/** Same-origin only: a page of another site must not open a socket with the staff's cookie. */
export function sameOrigin(origin: string | undefined, host: string | undefined): boolean {
  if (!origin) return true; // not a browser (no Origin header): the session cookie still decides
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

/** How often open sockets are checked against their session. */
const RECHECK_MS = 60_000;

/** The sockets to re-check: one member's, or all. */
type AccessChange = { readonly memberId: number } | 'all';

interface LiveSocketData {
  user?: SessionUser;
  /** A kiosk screen's socket: the kiosk's id (no user). */
  kioskId?: number;
}

/** The kiosk token of a socket's handshake (`auth: { kioskToken }`), else undefined. */
function handshakeKioskToken(socket: Pick<Socket, 'handshake'>): unknown {
  const auth = socket.handshake.auth as Record<string, unknown> | undefined;
  return auth?.[KIOSK_HANDSHAKE_FIELD];
}

/**
 * Live board activity for the portal over socket.io: authenticated at connect with the session
 * cookie (read-only and up: staff, never members), pushed as events, never polled.
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
  private rechecks: NodeJS.Timeout | undefined;

  @WebSocketServer() server!: Server;

  constructor(
    private readonly auth: AuthService,
    private readonly bus: EventBus,
    private readonly audience: LiveAudience,
    private readonly kiosks: KiosksService,
    private readonly kioskView: KioskView,
  ) {}

  afterInit(server: Server): void {
    server.use((socket, next) => {
      if (handshakeKioskToken(socket) !== undefined) {
        this.kiosks
          .authenticate(handshakeKioskToken(socket))
          .then((kiosk) => {
            if (typeof kiosk === 'string') return next(new Error(kiosk));
            (socket.data as LiveSocketData).kioskId = kiosk.id;
            void socket.join(KIOSK_ROOM);
            next();
          })
          .catch((error: unknown) => {
            this.logger.error(`kiosk socket authentication failed: ${String(error)}`);
            next(new Error('KIOSK_TOKEN_INVALID'));
          });
        return;
      }
      this.authenticate(socket)
        .then((user) => {
          if (!user) return next(new Error('UNAUTHENTICATED'));
          (socket.data as LiveSocketData).user = user;
          void socket.join([STAFF_ROOM, roomFor(user.access)]);
          next();
        })
        .catch((error: unknown) => {
          this.logger.error(`socket authentication failed: ${String(error)}`);
          next(new Error('UNAUTHENTICATED'));
        });
    });
    this.unsubscribe.push(this.auth.onSessionEnded((tokenHash) => this.closeSession(tokenHash)));
    this.unsubscribe.push(this.kiosks.onRevoked((kioskId) => this.closeKiosk(kioskId)));
    this.unsubscribe.push(
      // Remote too: a kiosk sees the machines of every instance's boards (ADR 0007).
      this.bus.subscribe('machine-status', (status) => this.emitKiosk(server, status), { remote: true }),
    );
    this.unsubscribe.push(
      this.bus.subscribe('portal-access-changed', ({ memberId }) => {
        this.recheck(memberId === null ? 'all' : { memberId }).catch((error: unknown) =>
          this.logger.error(`live socket re-check failed: ${String(error)}`),
        );
      }),
    );
    this.rechecks = setInterval(() => {
      this.recheck().catch((error: unknown) =>
        this.logger.error(`live socket re-check failed: ${String(error)}`),
      );
    }, RECHECK_MS);
    this.rechecks.unref();
    for (const name of LIVE_EVENT_NAMES) {
      this.unsubscribe.push(
        // Remote too: a dashboard sees the boards every instance handles (ADR 0004).
        this.bus.subscribe(
          name,
          (payload) => this.audience.connected > 0 && this.emit(server, name, payload),
          { remote: true },
        ),
      );
    }
  }

  /** To every dashboard; card UIDs in full for managers and admins only. */
  private emit<K extends LiveEventName>(server: Server, name: K, payload: LiveEventMap[K]): void {
    if (name !== 'access-event') {
      server.to(STAFF_ROOM).emit(name, payload);
      return;
    }
    server.to(FULL_CARDS_ROOM).emit(name, payload);
    server.to(MASKED_CARDS_ROOM).emit(name, maskedLiveEvent(name, payload));
  }

  /** A tile to the kiosk sockets, built from the staff's event by {@link KioskView} (never the event itself). */
  private emitKiosk(server: Server, status: LiveEventMap['machine-status']): void {
    if (server.sockets.adapter.rooms.get(KIOSK_ROOM)?.size === undefined) return;
    this.kioskView
      .tileOf(status)
      .then((tile) => tile && server.to(KIOSK_ROOM).emit(KIOSK_MACHINE_EVENT, tile))
      .catch((error: unknown) => this.logger.error(`kiosk tile not pushed: ${String(error)}`));
  }

  handleConnection(): void {
    this.audience.connected++;
  }

  handleDisconnect(): void {
    this.audience.connected = Math.max(0, this.audience.connected - 1);
  }

  onModuleDestroy(): void {
    for (const stop of this.unsubscribe.splice(0)) stop();
    clearInterval(this.rechecks);
  }

  /**
   * Closes every socket whose session no longer lets it watch as it does: ended (signed out
   * elsewhere, password changed, expired), its member disabled, deleted, or given another portal
   * level (a lower one must stop seeing what it saw; the portal reconnects at the new level). Runs
   * every {@link RECHECK_MS} on all sockets, and at once on a member's sockets when their access
   * changes here (`portal-access-changed`); a sign-out closes its sockets at once.
   */
  async recheck(change: AccessChange = 'all'): Promise<number> {
    let closed = 0;
    if (change === 'all') {
      // Kiosks revoked on another instance (a revocation here closed its sockets at once).
      for (const socket of await this.server.in(KIOSK_ROOM).fetchSockets()) {
        const kioskId = (socket.data as LiveSocketData).kioskId;
        if (kioskId !== undefined && (await this.kiosks.valid(kioskId))) continue;
        socket.emit(KIOSK_REVOKED_EVENT);
        socket.disconnect(true);
        closed++;
      }
    }
    for (const socket of await this.server.in(STAFF_ROOM).fetchSockets()) {
      const watching = (socket.data as LiveSocketData).user;
      if (change !== 'all' && watching?.id !== change.memberId) continue;
      const user = await this.authenticate(socket, false);
      if (user && watching && user.access === watching.access) continue;
      socket.disconnect(true);
      closed++;
    }
    return closed;
  }

  private async authenticate(socket: Pick<Socket, 'handshake'>, touch = true): Promise<SessionUser | null> {
    const token = parseCookie(socket.handshake.headers.cookie ?? '')[SESSION_COOKIE];
    const user = await this.auth.resolve(token, { touch });
    // Staff only: a member (the members' portal) never watches the lab's live activity.
    return user && !user.mustChangePassword && hasAccess(user.access, LIVE_ACCESS) ? user : null;
  }

  private closeKiosk(kioskId: number): void {
    for (const socket of this.server.sockets.sockets.values()) {
      if ((socket.data as LiveSocketData).kioskId !== kioskId) continue;
      socket.emit(KIOSK_REVOKED_EVENT);
      socket.disconnect(true);
    }
  }

  private closeSession(tokenHash: string): void {
    for (const socket of this.server.sockets.sockets.values()) {
      if ((socket.data as LiveSocketData).user?.tokenHash === tokenHash) socket.disconnect(true);
    }
  }
}
