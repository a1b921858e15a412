import { HttpErrorResponse } from '@angular/common/http';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  inject,
  type OnInit,
  signal,
} from '@angular/core';
import { ActivatedRoute } from '@angular/router';
import {
  KIOSK_HANDSHAKE_FIELD,
  KIOSK_MACHINE_EVENT,
  KIOSK_REVOKED_EVENT,
  type KioskMachineDto,
  type KioskState,
} from '@fabomatic/contracts';
import { TranslatePipe } from '@ngx-translate/core';
import { io, type Socket } from 'socket.io-client';
import { LIVE_PATH } from '../core/live';
import { LanguageService, LANGUAGES, type Language } from '../core/language';
import { KioskApi } from './kiosk-api';
import { byNaturalName, KIOSK_TOKEN_KEY, takeKioskToken } from './kiosk-token';

/** What the screen shows instead of the tiles. */
type Blocker = 'no-token' | 'KIOSK_TOKEN_INVALID' | 'KIOSK_TOKEN_REVOKED' | null;

/** A glyph per state, so that the state never rests on colour alone (the text says it too). */
const ICONS: Readonly<Record<KioskState, string>> = {
  'in-use': '▶',
  free: '✓',
  'out-of-order': '✕',
  'maintenance-due': '⚙',
  blocked: '⏸',
  offline: '⚠',
};

/** How often the screen tries again after the server refused or could not be reached. */
const RETRY_MS = 5000;

/**
 * The lab's kiosk screen (issue 14): read-only, full screen, opened with a kiosk token instead of a
 * login (`/kiosk#token=…`). Large tiles per machine (state colour, glyph and text), a clock, the
 * lab's name; live over the kiosk's own socket, which receives sanitised tiles only.
 */
@Component({
  selector: 'app-kiosk',
  imports: [TranslatePipe],
  styleUrl: './kiosk.css',
  template: `
    <main class="kiosk">
      <header>
        <h1>{{ labName() ?? ('kiosk.title' | translate) }}</h1>
        <p class="clock" aria-live="off">{{ clock() }}</p>
        @if (!blocker()) {
          <p class="connection" [class.down]="!connected()" role="status" data-testid="kiosk-connection">
            <span aria-hidden="true">{{ connected() ? '●' : '○' }}</span>
            {{ (connected() ? 'kiosk.live' : 'kiosk.reconnecting') | translate }}
          </p>
        }
        <button type="button" class="fullscreen" (click)="fullScreen()">
          {{ 'kiosk.full-screen' | translate }}
        </button>
      </header>

      @switch (blocker()) {
        @case ('no-token') {
          <p class="blocker" role="alert">{{ 'kiosk.no-token' | translate }}</p>
        }
        @case ('KIOSK_TOKEN_INVALID') {
          <p class="blocker" role="alert">{{ 'errors.KIOSK_TOKEN_INVALID' | translate }}</p>
        }
        @case ('KIOSK_TOKEN_REVOKED') {
          <p class="blocker" role="alert" data-testid="kiosk-revoked">
            {{ 'errors.KIOSK_TOKEN_REVOKED' | translate }}
          </p>
        }
        @default {
          @if (machines().length === 0 && loaded()) {
            <p class="blocker">{{ 'kiosk.no-machines' | translate }}</p>
          }
          <ul class="tiles" [attr.aria-label]="'kiosk.machines' | translate">
            @for (machine of machines(); track machine.machineId) {
              <li
                class="tile"
                [attr.data-state]="machine.state"
                [attr.data-testid]="'kiosk-tile-' + machine.machineId"
              >
                <h2>{{ machine.name }}</h2>
                @if (machine.typeName) {
                  <p class="type">{{ machine.typeName }}</p>
                }
                <p class="state">
                  <span class="icon" aria-hidden="true">{{ icon(machine.state) }}</span>
                  <span data-testid="kiosk-state">{{ 'kiosk.states.' + machine.state | translate }}</span>
                </p>
                @if (machine.firstName) {
                  <p class="who">{{ machine.firstName }}</p>
                }
                @if (machine.since) {
                  <p class="since">{{ 'kiosk.since' | translate: { time: time(machine.since) } }}</p>
                }
              </li>
            }
          </ul>
        }
      }
    </main>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Kiosk implements OnInit {
  private readonly api = inject(KioskApi);
  private readonly language = inject(LanguageService);
  private readonly route = inject(ActivatedRoute);
  private readonly destroyRef = inject(DestroyRef);
  private readonly tiles = signal<ReadonlyMap<number, KioskMachineDto>>(new Map());
  private readonly now = signal(new Date());
  private socket: Socket | null = null;
  private token: string | null = null;
  private retry: ReturnType<typeof setTimeout> | undefined;

  protected readonly labName = signal<string | null>(null);
  protected readonly blocker = signal<Blocker>(null);
  protected readonly connected = signal(false);
  protected readonly loaded = signal(false);
  protected readonly machines = computed(() => [...this.tiles().values()].sort(byNaturalName));
  protected readonly clock = computed(() =>
    this.now().toLocaleTimeString(this.language.current(), { hour: '2-digit', minute: '2-digit' }),
  );

  ngOnInit(): void {
    const lang = this.route.snapshot.queryParamMap.get('lang');
    if (lang && (LANGUAGES as readonly string[]).includes(lang)) this.language.use(lang as Language);
    this.token = takeKioskToken(location, localStorage);
    // The token leaves the address bar (and the browser's history) once kept.
    if (location.hash) history.replaceState(history.state, '', location.pathname + location.search);
    const ticker = setInterval(() => this.now.set(new Date()), 1000);
    this.destroyRef.onDestroy(() => {
      clearInterval(ticker);
      clearTimeout(this.retry);
      this.socket?.disconnect();
    });
    if (!this.token) {
      this.blocker.set('no-token');
      return;
    }
    void this.load().then((ok) => ok && this.connect());
  }

  protected icon(state: KioskState): string {
    return ICONS[state];
  }

  protected time(iso: string): string {
    return new Date(iso).toLocaleTimeString(this.language.current(), { hour: '2-digit', minute: '2-digit' });
  }

  protected fullScreen(): void {
    if (document.fullscreenElement) void document.exitFullscreen();
    else void document.documentElement.requestFullscreen().catch(() => undefined);
  }

  /** Reads every tile; false when the token is refused (the screen says why). */
  private async load(): Promise<boolean> {
    if (!this.token) return false;
    try {
      const status = await this.api.status(this.token);
      this.labName.set(status.labName);
      this.tiles.set(new Map(status.machines.map((m) => [m.machineId, m])));
      this.loaded.set(true);
      return true;
    } catch (error) {
      const code =
        error instanceof HttpErrorResponse ? (error.error as { code?: unknown } | null)?.code : null;
      if (code === 'KIOSK_TOKEN_INVALID' || code === 'KIOSK_TOKEN_REVOKED') {
        this.refused(code);
        return false;
      }
      // The server is away: the socket's reconnection (or this retry) brings the screen back.
      this.connected.set(false);
      if (!this.socket) this.later(() => void this.load().then((ok) => ok && this.connect()));
      return true;
    }
  }

  private connect(): void {
    if (this.socket || !this.token) return;
    const socket = io({
      path: LIVE_PATH,
      transports: ['websocket'],
      auth: { [KIOSK_HANDSHAKE_FIELD]: this.token },
    });
    socket.on('connect', () => {
      this.connected.set(true);
      // Events missed while disconnected: read everything again.
      void this.load();
    });
    socket.on('disconnect', (reason) => {
      this.connected.set(false);
      // Closed by the server (a revocation): ask why, and come back if it was something else.
      if (reason === 'io server disconnect')
        void this.load().then((ok) => ok && this.later(() => socket.connect()));
    });
    socket.on('connect_error', (error) => {
      this.connected.set(false);
      if (error.message === 'KIOSK_TOKEN_INVALID' || error.message === 'KIOSK_TOKEN_REVOKED') {
        this.refused(error.message);
        return;
      }
      if (!socket.active) this.later(() => socket.connect());
    });
    socket.on(KIOSK_REVOKED_EVENT, () => this.refused('KIOSK_TOKEN_REVOKED'));
    socket.on(KIOSK_MACHINE_EVENT, (tile: KioskMachineDto) => {
      const next = new Map(this.tiles());
      next.set(tile.machineId, tile);
      this.tiles.set(next);
    });
    this.socket = socket;
  }

  private refused(code: 'KIOSK_TOKEN_INVALID' | 'KIOSK_TOKEN_REVOKED'): void {
    this.blocker.set(code);
    this.tiles.set(new Map());
    clearTimeout(this.retry);
    this.socket?.disconnect();
    this.socket = null;
    localStorage.removeItem(KIOSK_TOKEN_KEY);
  }

  private later(action: () => void): void {
    clearTimeout(this.retry);
    this.retry = setTimeout(action, RETRY_MS);
  }
}
