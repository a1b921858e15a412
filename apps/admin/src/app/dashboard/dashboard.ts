import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  computed,
  effect,
  inject,
  signal,
  untracked,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MACHINE_STATUSES, type MachineStatusDto } from '@fabomatic/contracts';
import { TranslatePipe } from '@ngx-translate/core';
import { errorKey } from '../core/api-error';
import { Live } from '../core/live';
import { AccessFeed } from './access-feed';
import { accessEntry, type FeedEntry, sessionEntry, withEntry } from './feed-entry';
import { MachineCard } from './machine-card';
import { ProblemAlert } from './problem-alert';
import { SetupChecklist } from './setup-checklist';
import { MachinesApi } from '../machines/machines-api';

const FEED_LENGTH = 50;

/** The card list with one card replaced (or added) by a pushed status. */
function withCard(list: readonly MachineStatusDto[], card: MachineStatusDto): readonly MachineStatusDto[] {
  const index = list.findIndex((machine) => machine.machineId === card.machineId);
  return index < 0 ? [...list, card] : list.map((machine, i) => (i === index ? card : machine));
}

/** The live dashboard: every machine's card, counters per status and the feed of taps, all pushed. */
@Component({
  selector: 'app-dashboard',
  imports: [TranslatePipe, MachineCard, AccessFeed, SetupChecklist, ProblemAlert],
  styleUrl: './dashboard.css',
  template: `
    <main>
      <h1>{{ 'dashboard.title' | translate }}</h1>
      @if (live.offline()) {
        <p class="offline" role="alert">{{ 'dashboard.offline' | translate }}</p>
      }
      <p class="live" role="status">
        @if (live.connected()) {
          <span aria-hidden="true">●</span> {{ 'dashboard.live' | translate }}
        }
      </p>
      @if (error()) {
        <p class="error" role="alert">{{ error() | translate }}</p>
      }
      <app-problem-alert />
      <app-setup-checklist />
      <ul class="counters" [attr.aria-label]="'dashboard.counters' | translate">
        @for (counter of counters(); track counter.status) {
          <li [attr.data-status]="counter.status">
            <span class="count">{{ counter.count }}</span> {{ 'status.' + counter.status | translate }}
          </li>
        }
      </ul>
      <ul class="cards">
        @for (machine of machines(); track machine.machineId) {
          <li><app-machine-card [machine]="machine" [now]="now()" /></li>
        } @empty {
          <li>{{ 'dashboard.empty' | translate }}</li>
        }
      </ul>
      <section aria-labelledby="feed-title">
        <h2 id="feed-title">{{ 'dashboard.feed.title' | translate }}</h2>
        <app-access-feed [entries]="feed()" [machineName]="machineName()" [memberName]="memberName()" />
      </section>
    </main>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Dashboard {
  private readonly machinesApi = inject(MachinesApi);
  protected readonly live = inject(Live);
  protected readonly machines = signal<readonly MachineStatusDto[]>([]);
  protected readonly feed = signal<readonly FeedEntry[]>([]);
  /** Member names the pushed events and cards told, by id: a session event carries only ids. */
  private readonly memberNames = signal<ReadonlyMap<number, string>>(new Map());
  protected readonly machineName = computed(() => {
    const names = new Map(this.machines().map((m) => [m.machineId, m.name]));
    return (id: number) => names.get(id) ?? '';
  });
  protected readonly memberName = computed(() => {
    const names = new Map(this.memberNames());
    for (const machine of this.machines())
      if (machine.session) names.set(machine.session.memberId, machine.session.memberName);
    return (id: number) => names.get(id) ?? '';
  });
  protected readonly error = signal<string | null>(null);
  /** The clock of the session timers. */
  protected readonly now = signal(Date.now());
  protected readonly counters = computed(() =>
    MACHINE_STATUSES.map((status) => ({
      status,
      count: this.machines().filter((machine) => machine.status === status).length,
    })),
  );

  private loads = 0;
  /** Statuses pushed while a load is in flight, applied again over its answer. */
  private pushedDuringLoad: MachineStatusDto[] = [];

  constructor() {
    const clock = setInterval(() => this.now.set(Date.now()), 1000);
    inject(DestroyRef).onDestroy(() => clearInterval(clock));

    this.live
      .on('machine-status')
      .pipe(takeUntilDestroyed())
      .subscribe((card) => {
        if (this.loads > 0) this.pushedDuringLoad.push(card);
        this.machines.update((list) => withCard(list, card));
      });
    this.live
      .on('access-event')
      .pipe(takeUntilDestroyed())
      .subscribe((event) => {
        if (event.memberId !== null && event.memberName)
          this.rememberMember(event.memberId, event.memberName);
        // An unknown card tapped again within 10 s comes back as the same event with a higher count.
        this.feed.update((feed) => withEntry(feed, accessEntry(event), FEED_LENGTH));
      });
    for (const [name, started] of [
      ['session-started', true],
      ['session-stopped', false],
    ] as const) {
      this.live
        .on(name)
        .pipe(takeUntilDestroyed())
        .subscribe((session) => {
          // The card still shows who used the machine until its pushed status replaces it.
          const card = untracked(this.machines).find((m) => m.machineId === session.machineId)?.session;
          if (card) this.rememberMember(card.memberId, card.memberName);
          this.feed.update((feed) => withEntry(feed, sessionEntry(session, started), FEED_LENGTH));
        });
    }

    // At start and after every reconnection: what changed while no event could arrive.
    effect(() => {
      if (this.live.connected() || untracked(this.machines).length === 0) void untracked(() => this.load());
    });
  }

  private rememberMember(id: number, name: string): void {
    if (untracked(this.memberNames).get(id) !== name)
      this.memberNames.update((names) => new Map(names).set(id, name));
  }

  private async load(): Promise<void> {
    this.loads++;
    try {
      const list = await this.machinesApi.statuses();
      this.machines.set(this.pushedDuringLoad.reduce(withCard, list));
      this.error.set(null);
    } catch (error) {
      this.error.set(errorKey(error));
    } finally {
      if (--this.loads === 0) this.pushedDuringLoad = [];
    }
  }
}
