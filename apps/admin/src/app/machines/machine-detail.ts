import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  ElementRef,
  inject,
  input,
  signal,
  untracked,
  viewChild,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { RouterLink } from '@angular/router';
import {
  type BoardConnectionDto,
  hasAccess,
  type MachineStatusDto,
  type RemoteCommand,
} from '@fabomatic/contracts';
import { TranslatePipe } from '@ngx-translate/core';
import { errorKey } from '../core/api-error';
import { Auth } from '../core/auth';
import { formatHours } from '../core/hours';
import { LanguageService } from '../core/language';
import { Live } from '../core/live';
import { formatDateTime } from '../shared/time-format';
import { MachineProblems } from './machine-problems';
import { MachineRecent } from './machine-recent';
import { MachinesApi } from './machines-api';

/** One machine: its live status, maintenance per plan, board, remote start/stop and links. */
@Component({
  selector: 'app-machine-detail',
  imports: [RouterLink, TranslatePipe, MachineProblems, MachineRecent],
  styleUrls: ['../shared/page.css', '../shared/form-page.css'],
  template: `
    <main>
      <p>
        <a routerLink="/machines">{{ 'machines.back' | translate }}</a>
      </p>
      @if (error()) {
        <p class="error" role="alert">{{ error() | translate }}</p>
      }
      @if (status(); as m) {
        <div class="title">
          <h1>{{ m.name }}</h1>
          <span class="status-badge" role="status" [attr.data-status]="m.status">
            {{ 'status.' + m.status | translate }}
          </span>
        </div>
        @if (m.retiredAt) {
          <p class="notice" role="status">
            {{ 'machines.retire.retired-on' | translate: { when: when(m.retiredAt) } }}
          </p>
        }
        <dl class="facts">
          <dt>{{ 'machines.columns.topicId' | translate }}</dt>
          <dd class="mono">{{ m.topicId }}</dd>
          <dt>{{ 'machines.columns.type' | translate }}</dt>
          <dd>{{ m.typeName ?? ('machines.no-type' | translate) }}</dd>
          @if (m.session; as session) {
            <dt>{{ 'machines.detail.used-by' | translate }}</dt>
            <dd>
              {{ session.memberName }} ({{ 'machines.detail.since' | translate }}
              {{ when(session.startedAt) }})
            </dd>
          }
          <dt>{{ 'machines.detail.board' | translate }}</dt>
          <dd>
            {{ (m.board.online ? 'machines.detail.online' : 'machines.detail.not-connected') | translate }}
            @if (m.board.ip) {
              · {{ m.board.ip }}
            }
            @if (m.board.firmware) {
              · {{ m.board.firmware }}
            }
          </dd>
          <dt>{{ 'machines.columns.lastSeenAt' | translate }}</dt>
          <dd>{{ m.board.lastSeenAt ? when(m.board.lastSeenAt) : ('machines.never' | translate) }}</dd>
        </dl>

        @if (connection(); as c) {
          <section aria-labelledby="connect-title">
            <h2 id="connect-title">{{ 'machines.connect.title' | translate }}</h2>
            <p class="hint">{{ 'machines.connect.what' | translate }}</p>
            <dl class="facts">
              <dt>{{ 'machines.connect.broker' | translate }}</dt>
              <dd>
                <span class="mono">{{ brokerHost(c) }}:{{ c.broker.port }}</span>
                @if (c.broker.hostSource === 'browser' || c.broker.hostSource === 'public-url') {
                  ({{ 'machines.connect.host-' + c.broker.hostSource | translate }})
                }
              </dd>
              <dt>{{ 'machines.connect.tls' | translate }}</dt>
              <dd>{{ (c.broker.tls ? 'machines.connect.yes' : 'machines.connect.no') | translate }}</dd>
              <dt>{{ 'machines.connect.topic-id' | translate }}</dt>
              <dd class="mono">{{ c.topicId }}</dd>
              <dt>{{ 'machines.connect.topic' | translate }}</dt>
              <dd class="mono">{{ c.topic }}</dd>
              <dt>{{ 'machines.connect.credentials' | translate }}</dt>
              <dd [class.error]="c.credentials === 'missing'">
                {{
                  'machines.connect.credentials-' + c.credentials
                    | translate: { date: c.accountIssuedAt ? when(c.accountIssuedAt) : '' }
                }}
                @if (c.username) {
                  · {{ 'machines.connect.user' | translate }} <span class="mono">{{ c.username }}</span>
                }
                · <a routerLink="/boards">{{ 'machines.connect.boards-page' | translate }}</a>
              </dd>
            </dl>
          </section>
        }

        <p class="actions">
          @if (canEdit()) {
            <a class="button" [routerLink]="['/machines', m.machineId, 'edit']">{{
              'machines.detail.edit' | translate
            }}</a>
          }
          <a [routerLink]="['/usage']" [queryParams]="{ machineId: m.machineId }">{{
            'machines.detail.usage' | translate
          }}</a>
          <a [routerLink]="['/maintenance']" [queryParams]="{ machineId: m.machineId }">{{
            'machines.detail.plans' | translate
          }}</a>
          <a [routerLink]="['/maintenance/interventions']" [queryParams]="{ machineId: m.machineId }">{{
            'machines.detail.interventions' | translate
          }}</a>
        </p>

        <section aria-labelledby="maintenance-title">
          <h2 id="maintenance-title">{{ 'machines.detail.maintenance' | translate }}</h2>
          @if (m.maintenance.length === 0) {
            <p>{{ 'machines.detail.no-plans' | translate }}</p>
          } @else {
            <div class="table">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{{ 'machines.detail.plan' | translate }}</th>
                    <th scope="col">{{ 'machines.detail.hours' | translate }}</th>
                    <th scope="col">{{ 'machines.detail.due' | translate }}</th>
                  </tr>
                </thead>
                <tbody>
                  @for (plan of m.maintenance; track plan.planId) {
                    <tr>
                      <td>
                        <a [routerLink]="['/maintenance/plans', plan.planId]">{{ plan.description }}</a>
                      </td>
                      <td>{{ hours(plan.hoursSince) }} / {{ hours(plan.hoursBetween) }} h</td>
                      <td [class.due]="plan.due">
                        {{ (plan.due ? 'machines.detail.due-now' : 'machines.detail.not-due') | translate }}
                      </td>
                    </tr>
                  }
                </tbody>
              </table>
            </div>
          }
        </section>

        <app-machine-problems [machine]="{ machineId: m.machineId, name: m.name }" />
        <app-machine-recent [machineId]="m.machineId" />

        @if (canEdit()) {
          <section aria-labelledby="remote-title">
            <h2 id="remote-title">{{ 'machines.remote.title' | translate }}</h2>
            <p class="hint">{{ 'machines.remote.hint' | translate }}</p>
            @if (!hasCard()) {
              <p class="notice" id="remote-no-card">
                {{ 'machines.remote.no-card' | translate }}
                <a [routerLink]="['/members', auth.user()?.id]">{{
                  'machines.remote.add-card' | translate
                }}</a>
              </p>
            }
            <div class="actions">
              @if (hasCard()) {
                <button type="button" (click)="ask('start')">
                  {{ 'machines.remote.start' | translate }}
                </button>
              }
              <button type="button" (click)="ask('stop')">{{ 'machines.remote.stop' | translate }}</button>
            </div>
            @if (asking(); as command) {
              <section class="confirm" role="alertdialog" aria-labelledby="remote-confirm">
                <h3 id="remote-confirm" tabindex="-1" #confirmTitle>
                  {{ 'machines.remote.confirm-' + command | translate: { name: m.name } }}
                </h3>
                <div class="actions">
                  <button type="button" class="danger" [disabled]="busy()" (click)="send(command)">
                    {{ 'machines.remote.' + command | translate }}
                  </button>
                  <button type="button" (click)="asking.set(null)">
                    {{ 'machines.remote.cancel' | translate }}
                  </button>
                </div>
              </section>
            }
            @if (commandError()) {
              <p class="error" role="alert">{{ commandError() | translate }}</p>
            }
            @if (sent(); as command) {
              <p class="notice" role="status">{{ 'machines.remote.sent-' + command | translate }}</p>
            }
          </section>
        }
      } @else if (!error()) {
        <p role="status">{{ 'machines.loading' | translate }}</p>
      }
    </main>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MachineDetail {
  private readonly api = inject(MachinesApi);
  protected readonly auth = inject(Auth);
  private readonly language = inject(LanguageService);
  private readonly live = inject(Live);
  /** Route param of `/machines/:id`. */
  readonly id = input.required<string>();

  protected readonly canEdit = computed(() => hasAccess(this.auth.user()?.access ?? 'none', 'manager'));
  /** A remote start logs in with the operator's own card; stop needs none. */
  protected readonly hasCard = computed(() => this.auth.user()?.hasCard ?? false);
  protected readonly status = signal<MachineStatusDto | null>(null);
  /** How to connect the machine's board (staff only: it names the credentials in use). */
  protected readonly connection = signal<BoardConnectionDto | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly asking = signal<RemoteCommand | null>(null);
  protected readonly sent = signal<RemoteCommand | null>(null);
  protected readonly commandError = signal<string | null>(null);
  protected readonly busy = signal(false);
  private readonly confirmTitle = viewChild<ElementRef<HTMLElement>>('confirmTitle');

  constructor() {
    this.live
      .on('machine-status')
      .pipe(takeUntilDestroyed())
      .subscribe((card) => {
        if (String(card.machineId) === this.id()) this.status.set(card);
      });
    // At start, on another id and after every reconnection: what changed while no event could arrive.
    effect(() => {
      const id = this.id();
      this.live.connected();
      void untracked(() => this.load(id));
    });
    effect(() => this.confirmTitle()?.nativeElement.focus());
    effect(() => {
      const id = this.id();
      if (untracked(this.canEdit)) void untracked(() => this.loadConnection(id));
    });
  }

  /** Where boards reach the broker; when the app cannot tell, the host this page came from. */
  protected brokerHost(connection: BoardConnectionDto): string {
    return connection.broker.host ?? location.hostname;
  }

  protected ask(command: RemoteCommand): void {
    this.sent.set(null);
    this.commandError.set(null);
    this.asking.set(command);
  }

  protected async send(command: RemoteCommand): Promise<void> {
    this.busy.set(true);
    try {
      await this.api.command(this.id(), command);
      this.sent.set(command);
    } catch (error) {
      this.commandError.set(errorKey(error));
    } finally {
      this.busy.set(false);
      this.asking.set(null);
    }
  }

  protected when(iso: string): string {
    return formatDateTime(iso, this.language.current());
  }

  protected hours(value: number): string {
    return formatHours(value, this.language.current());
  }

  private async loadConnection(id: string): Promise<void> {
    try {
      this.connection.set(await this.api.boardConnection(id));
    } catch {
      // A help only: the rest of the page stands without it.
      this.connection.set(null);
    }
  }

  private async load(id: string): Promise<void> {
    try {
      this.status.set(await this.api.status(id));
      this.error.set(null);
    } catch (error) {
      this.error.set(errorKey(error));
    }
  }
}
