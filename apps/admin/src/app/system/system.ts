import { httpResource } from '@angular/common/http';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  effect,
  ElementRef,
  inject,
  signal,
  viewChild,
} from '@angular/core';
import { Router } from '@angular/router';
import { type RestoreResult, type SystemInfo } from '@fabomatic/contracts';
import { TranslatePipe } from '@ngx-translate/core';
import { errorKey } from '../core/api-error';
import { Auth } from '../core/auth';
import { LanguageService } from '../core/language';
import { formatBytes, formatDateTime, formatNumber } from '../shared/localised';
import { jobRows } from './job-rows';
import { SystemApi } from './system-api';

/** One line of the server's recent log (GET /api/system/logs). */
interface LogLine {
  readonly time: string;
  readonly level: string;
  readonly context: string;
  readonly message: string;
}

const SHOWN_LOG_LINES = 100;
/** How often the page asks whether the app is back after a restore, and for how long at most. */
const RESTART_POLL_MS = 500;
const RESTART_TIMEOUT_MS = 60_000;
/** The app restarts 200 ms after accepting a backup: a readiness answered later than this is the new app. */
const RESTART_SETTLE_MS = 3_000;

/** After an accepted backup: the app restarting on it, back, not back in time, or to restart by hand. */
type RestartState = 'waiting' | 'back' | 'not-back' | 'manual';

/** The system page (admin): versions and health, configuration, recent logs, backup and restore. */
@Component({
  selector: 'app-system',
  imports: [TranslatePipe],
  styleUrls: ['../shared/page.css', '../shared/report-page.css'],
  template: `
    <main>
      <h1>{{ 'system.title' | translate }}</h1>

      @if (info.error(); as error) {
        <p class="error" role="alert">
          {{ 'activity.load-error' | translate }} {{ errorKey(error) | translate }}
          <button type="button" (click)="info.reload()">{{ 'activity.retry' | translate }}</button>
        </p>
      } @else if (info.value(); as system) {
        <section aria-labelledby="status-title">
          <h2 id="status-title">{{ 'system.status' | translate }}</h2>
          <dl class="facts">
            <dt>{{ 'system.version' | translate }}</dt>
            <dd>{{ system.version }}</dd>
            <dt>{{ 'system.node' | translate }}</dt>
            <dd>{{ system.node }}</dd>
            <dt>{{ 'system.uptime' | translate }}</dt>
            <dd>{{ uptime(system.uptimeSeconds) }}</dd>
            <dt>{{ 'system.memory' | translate }}</dt>
            <dd>
              {{
                'system.memory-value'
                  | translate
                    : { rss: bytes(system.memory.rssBytes), heap: bytes(system.memory.heapUsedBytes) }
              }}
            </dd>
            <dt>{{ 'system.database' | translate }}</dt>
            <dd>{{ system.database.kind }}, {{ bytes(system.database.sizeBytes) }}</dd>
            <dt>{{ 'system.broker' | translate }}</dt>
            <dd>
              {{ (system.broker.connected ? 'system.connected' : 'system.disconnected') | translate }}
              ({{ (system.broker.embedded ? 'system.embedded' : 'system.external') | translate }},
              <span class="mono">{{ system.broker.url }}</span>)
            </dd>
            <dt>{{ 'system.boards-online' | translate }}</dt>
            <dd>{{ number(system.boards.online) }}</dd>
            <dt>{{ 'system.email.title' | translate }}</dt>
            <dd [class.error]="!system.email.configured">
              @if (system.email.configured) {
                {{ 'system.email.configured' | translate }} (<span class="mono">{{ system.email.from }}</span
                >{{ system.email.requireTls ? ', STARTTLS' : '' }})
              } @else {
                {{ 'system.email.not-configured' | translate }}
              }
            </dd>
          </dl>
        </section>

        <section aria-labelledby="jobs-title">
          <h2 id="jobs-title">{{ 'system.jobs.title' | translate }}</h2>
          @if (!system.jobs.enabled) {
            <p>{{ 'system.jobs.disabled' | translate }}</p>
          }
          <div class="table">
            <table class="jobs" aria-labelledby="jobs-title">
              <thead>
                <tr>
                  <th scope="col">{{ 'system.jobs.columns.job' | translate }}</th>
                  <th scope="col">{{ 'system.jobs.columns.last-run' | translate }}</th>
                  <th scope="col">{{ 'system.jobs.columns.outcome' | translate }}</th>
                  <th scope="col">{{ 'system.jobs.columns.instance' | translate }}</th>
                </tr>
              </thead>
              <tbody>
                @for (job of jobs(); track job.name) {
                  <tr>
                    <th scope="row">{{ 'system.jobs.names.' + job.name | translate }}</th>
                    <td>{{ job.run ? dateTime(job.run.startedAt) : ('system.jobs.never' | translate) }}</td>
                    <td [class.error]="job.outcome === 'failed'">
                      @if (job.outcome) {
                        {{ 'system.jobs.outcome.' + job.outcome | translate }}
                      }
                      @if (job.run?.error; as error) {
                        <span class="mono">{{ error }}</span>
                      }
                    </td>
                    <td class="mono">{{ job.run?.instance }}</td>
                  </tr>
                }
              </tbody>
            </table>
          </div>
        </section>

        <section aria-labelledby="config-title">
          <h2 id="config-title">{{ 'system.config' | translate }}</h2>
          <div class="table">
            <table class="config">
              <thead>
                <tr>
                  <th scope="col">{{ 'system.setting' | translate }}</th>
                  <th scope="col">{{ 'system.value' | translate }}</th>
                </tr>
              </thead>
              <tbody>
                @for (entry of config(); track entry[0]) {
                  <tr>
                    <th scope="row" class="mono">{{ entry[0] }}</th>
                    <td class="mono">{{ entry[1] }}</td>
                  </tr>
                }
              </tbody>
            </table>
          </div>
        </section>
      } @else {
        <p role="status">{{ 'activity.loading' | translate }}</p>
      }

      <section class="panel" aria-labelledby="backup-title">
        <h2 id="backup-title">{{ 'system.backup.title' | translate }}</h2>
        <p>{{ 'system.backup.what' | translate }}</p>
        <a class="button" href="/api/system/backup" download>{{ 'system.backup.download' | translate }}</a>
      </section>

      <section class="panel" aria-labelledby="restore-title">
        <h2 id="restore-title">{{ 'system.restore.title' | translate }}</h2>
        <p>{{ 'system.restore.what' | translate }}</p>
        <label>
          {{ 'system.restore.file' | translate }}
          <input
            #fileInput
            type="file"
            accept=".db,.sqlite,.sqlite3,application/octet-stream"
            [disabled]="busy() || restart() === 'waiting'"
            (change)="choose($event)"
          />
        </label>
        @if (file(); as chosen) {
          <div class="confirm" role="alertdialog" aria-labelledby="restore-confirm">
            <p id="restore-confirm" tabindex="-1" #confirmText>
              {{ 'system.restore.confirm' | translate: { name: chosen.name } }}
            </p>
            <div class="actions">
              <button type="button" class="danger" [disabled]="busy()" (click)="restore(chosen, fileInput)">
                {{ (busy() ? 'system.restore.checking' : 'system.restore.submit') | translate }}
              </button>
              <button type="button" [disabled]="busy()" (click)="cancel(fileInput)">
                {{ 'activity.cancel' | translate }}
              </button>
            </div>
          </div>
        }
        @if (restoreError()) {
          <p class="error" role="alert">{{ restoreError() | translate }}</p>
        }
        @if (restored(); as result) {
          <div class="notice" role="status">
            <p>{{ 'system.restore.done' | translate: result }}</p>
            @switch (restart()) {
              @case ('waiting') {
                <p>{{ 'system.restore.restarting' | translate }}</p>
              }
              @case ('back') {
                <p>{{ 'system.restore.back' | translate }}</p>
              }
              @case ('not-back') {
                <p class="error">{{ 'system.restore.not-back' | translate }}</p>
              }
              @case ('manual') {
                <p>{{ 'system.restore.manual' | translate }}</p>
              }
            }
          </div>
        }
      </section>

      <section aria-labelledby="logs-title">
        <h2 id="logs-title">{{ 'system.logs' | translate }}</h2>
        <button type="button" (click)="logs.reload()">{{ 'system.refresh' | translate }}</button>
        @if (logs.error(); as error) {
          <p class="error" role="alert">{{ errorKey(error) | translate }}</p>
        } @else {
          <div class="table">
            <table class="log">
              <thead>
                <tr>
                  <th scope="col">{{ 'system.log-columns.time' | translate }}</th>
                  <th scope="col">{{ 'system.log-columns.level' | translate }}</th>
                  <th scope="col">{{ 'system.log-columns.context' | translate }}</th>
                  <th scope="col">{{ 'system.log-columns.message' | translate }}</th>
                </tr>
              </thead>
              <tbody>
                @for (line of logLines(); track $index) {
                  <tr>
                    <td>{{ dateTime(line.time) }}</td>
                    <td [class.error]="line.level === 'error'">{{ line.level }}</td>
                    <td>{{ line.context }}</td>
                    <td class="mono">{{ line.message }}</td>
                  </tr>
                } @empty {
                  <tr>
                    <td colspan="4">{{ 'activity.empty' | translate }}</td>
                  </tr>
                }
              </tbody>
            </table>
          </div>
        }
      </section>
    </main>
  `,
  styles: `
    .facts {
      display: grid;
      grid-template-columns: minmax(8rem, auto) 1fr;
      gap: 0.3rem 1rem;
    }
    dt {
      font-weight: bold;
    }
    dd {
      margin: 0;
      overflow-wrap: anywhere;
    }
    td.mono {
      overflow-wrap: anywhere;
    }
    /* A phone: long setting names share the width with their values instead of crushing them,
       and the log keeps readable columns, scrolling sideways in its own box. */
    @media (max-width: 40rem) {
      .config th[scope='row'] {
        width: 45%;
        overflow-wrap: anywhere;
      }
      .log {
        min-width: 36rem;
      }
    }
    .notice p {
      margin: 0.25rem 0;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class System {
  private readonly api = inject(SystemApi);
  private readonly auth = inject(Auth);
  private readonly router = inject(Router);
  private readonly language = inject(LanguageService);
  protected readonly errorKey = errorKey;
  protected readonly info = httpResource<SystemInfo>(() => this.api.infoRequest());
  protected readonly logs = httpResource<readonly LogLine[]>(() => this.api.logsRequest());
  protected readonly logLines = computed(() => (this.logs.value() ?? []).slice(0, SHOWN_LOG_LINES));
  protected readonly config = computed(() =>
    Object.entries(this.info.value()?.config ?? {}).map(
      ([key, value]) => [key, typeof value === 'string' ? value : JSON.stringify(value)] as const,
    ),
  );
  /** Every job the app schedules, with its latest run on any instance (none yet: never run). */
  protected readonly jobs = computed(() => jobRows(this.info.value()?.jobs.latest ?? []));
  protected readonly file = signal<File | null>(null);
  protected readonly busy = signal(false);
  protected readonly restoreError = signal<string | null>(null);
  protected readonly restored = signal<RestoreResult | null>(null);
  protected readonly restart = signal<RestartState | null>(null);
  private readonly confirmText = viewChild<ElementRef<HTMLElement>>('confirmText');
  /** Set when the user leaves the page: a wait for the restart then stops. */
  private left = false;

  constructor() {
    // The confirmation takes the focus, so that keyboard and screen reader users meet it at once.
    effect(() => this.confirmText()?.nativeElement.focus());
    inject(DestroyRef).onDestroy(() => (this.left = true));
  }

  protected choose(event: Event): void {
    this.restoreError.set(null);
    this.restored.set(null);
    this.restart.set(null);
    this.file.set((event.target as HTMLInputElement).files?.[0] ?? null);
  }

  /** Forgets the chosen file, so that choosing the same one again asks again. */
  protected cancel(input: HTMLInputElement): void {
    input.value = '';
    this.file.set(null);
    input.focus();
  }

  protected async restore(file: File, input: HTMLInputElement): Promise<void> {
    this.busy.set(true);
    this.restoreError.set(null);
    let result: RestoreResult;
    try {
      result = await this.api.restore(await file.arrayBuffer());
    } catch (error) {
      this.restoreError.set(errorKey(error));
      return;
    } finally {
      this.busy.set(false);
      input.value = '';
      this.file.set(null);
    }
    this.restored.set(result);
    if (!result.restarting) {
      this.restart.set('manual');
      return;
    }
    this.restart.set('waiting');
    const back = await this.restarted();
    if (this.left) return;
    if (!back) {
      this.restart.set('not-back');
      return;
    }
    // A restore signs everyone out (the backup's sessions are dropped): sign in again on it.
    if (!(await this.auth.refresh())) {
      await this.router.navigateByUrl('/login');
      return;
    }
    this.restart.set('back');
    this.info.reload();
    this.logs.reload();
  }

  /** Waits for the app to be ready again after its restart; false when it is not back in time. */
  private async restarted(): Promise<boolean> {
    const started = Date.now();
    let wentDown = false;
    while (Date.now() - started < RESTART_TIMEOUT_MS && !this.left) {
      await new Promise((resolve) => setTimeout(resolve, RESTART_POLL_MS));
      const ready = await this.api.ready();
      if (!ready) wentDown = true;
      else if (wentDown || Date.now() - started >= RESTART_SETTLE_MS) return true;
    }
    return false;
  }

  protected uptime(seconds: number): string {
    const days = Math.floor(seconds / 86400);
    const hours = Math.floor((seconds % 86400) / 3600);
    const minutes = Math.floor((seconds % 3600) / 60);
    const unit = (value: number, name: 'day' | 'hour' | 'minute') =>
      new Intl.NumberFormat(this.language.current(), {
        style: 'unit',
        unit: name,
        unitDisplay: 'long',
      }).format(value);
    return [days ? unit(days, 'day') : '', hours ? unit(hours, 'hour') : '', unit(minutes, 'minute')]
      .filter(Boolean)
      .join(' ');
  }

  protected bytes(value: number): string {
    return formatBytes(value, this.language.current());
  }

  protected number(value: number): string {
    return formatNumber(value, this.language.current());
  }

  protected dateTime(iso: string): string {
    return formatDateTime(iso, this.language.current());
  }
}
