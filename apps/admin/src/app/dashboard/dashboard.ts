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
import { takeUntilDestroyed, toSignal } from '@angular/core/rxjs-interop';
import { ActivatedRoute, Router } from '@angular/router';
import { MACHINE_STATUSES, type MachineStatusDto } from '@fabomatic/contracts';
import { TranslatePipe } from '@ngx-translate/core';
import { map } from 'rxjs';
import { errorKey } from '../core/api-error';
import { Live } from '../core/live';
import { AccessFeed } from './access-feed';
import {
  type DashboardFilter,
  filteredMachines,
  filterFromQuery,
  filterToQuery,
  NO_FILTER,
  typeChoices,
} from './dashboard-filter';
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
      <form class="filters" role="search" [attr.aria-label]="'dashboard.filter.label' | translate">
        <label>
          {{ 'dashboard.filter.name' | translate }}
          <input
            type="search"
            name="q"
            autocomplete="off"
            [value]="filter().q"
            (input)="setFilter({ q: $any($event.target).value })"
          />
        </label>
        <label>
          {{ 'dashboard.filter.type' | translate }}
          <select name="type" (change)="setFilter({ type: $any($event.target).value })">
            <option value="" [selected]="!filter().type">
              {{ 'dashboard.filter.all-types' | translate }}
            </option>
            @for (type of types(); track type) {
              <option [value]="type" [selected]="filter().type === type">{{ type }}</option>
            }
          </select>
        </label>
        <label>
          {{ 'dashboard.filter.status' | translate }}
          <select name="status" (change)="setFilter({ status: $any($event.target).value })">
            <option value="" [selected]="!filter().status">
              {{ 'dashboard.filter.all-statuses' | translate }}
            </option>
            @for (status of statuses; track status) {
              <option [value]="status" [selected]="filter().status === status">
                {{ 'status.' + status | translate }}
              </option>
            }
          </select>
        </label>
        @if (filtering()) {
          <button type="button" (click)="clearFilter()">{{ 'dashboard.filter.clear' | translate }}</button>
        }
      </form>
      <p class="visually-hidden" aria-live="polite">
        @if (filtering()) {
          {{ 'dashboard.filter.shown' | translate: { shown: shown().length, total: machines().length } }}
        }
      </p>
      <ul class="cards">
        @for (machine of shown(); track machine.machineId) {
          <li><app-machine-card [machine]="machine" [now]="now()" /></li>
        } @empty {
          <li>{{ (machines().length > 0 ? 'dashboard.filter.none' : 'dashboard.empty') | translate }}</li>
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
  private readonly route = inject(ActivatedRoute);
  private readonly router = inject(Router);
  /** The filter bar's state, kept in the URL so a filtered dashboard can be bookmarked or shared. */
  protected readonly filter = toSignal(this.route.queryParamMap.pipe(map(filterFromQuery)), {
    initialValue: NO_FILTER,
  });
  protected readonly statuses = MACHINE_STATUSES;
  protected readonly types = computed(() => typeChoices(this.machines()));
  /** The cards shown: out-of-order machines first, then in natural name order (dashboard-filter.ts). */
  protected readonly shown = computed(() => filteredMachines(this.machines(), this.filter()));
  protected readonly filtering = computed(() => {
    const filter = this.filter();
    return filter.q !== '' || filter.type !== '' || filter.status !== '';
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

  /** Changes part of the filter, in place in the browser's history (no entry a keystroke). */
  protected setFilter(change: Partial<DashboardFilter>): void {
    void this.router.navigate([], {
      relativeTo: this.route,
      queryParams: filterToQuery({ ...this.filter(), ...change }),
      queryParamsHandling: 'merge',
      replaceUrl: true,
    });
  }

  protected clearFilter(): void {
    this.setFilter(NO_FILTER);
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
