import { HttpClient, HttpHeaders, httpResource } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { CSRF_HEADER, CSRF_HEADER_VALUE, type RestoreResult, type SystemInfo } from '@fabomatic/contracts';
import { TranslatePipe } from '@ngx-translate/core';
import { firstValueFrom } from 'rxjs';
import { errorKey } from '../core/api-error';
import { LanguageService } from '../core/language';
import { formatBytes, formatDateTime, formatNumber } from '../usage/localised';

/** One line of the server's recent log (GET /api/system/logs). */
interface LogLine {
  readonly time: string;
  readonly level: string;
  readonly context: string;
  readonly message: string;
}

const SHOWN_LOG_LINES = 100;

/** The system page (admin): versions and health, configuration, recent logs, backup and restore. */
@Component({
  selector: 'app-system',
  imports: [TranslatePipe],
  styleUrl: '../usage/list-page.css',
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
          </dl>
        </section>

        <section aria-labelledby="config-title">
          <h2 id="config-title">{{ 'system.config' | translate }}</h2>
          <div class="table">
            <table>
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
            type="file"
            accept=".db,.sqlite,.sqlite3,application/octet-stream"
            (change)="choose($event)"
          />
        </label>
        @if (file(); as chosen) {
          <div class="confirm" role="alertdialog" aria-labelledby="restore-confirm">
            <p id="restore-confirm">{{ 'system.restore.confirm' | translate: { name: chosen.name } }}</p>
            <div class="actions">
              <button type="button" class="danger" [disabled]="busy()" (click)="restore(chosen)">
                {{ 'system.restore.submit' | translate }}
              </button>
              <button type="button" (click)="file.set(null)">{{ 'activity.cancel' | translate }}</button>
            </div>
          </div>
        }
        @if (restoreError()) {
          <p class="error" role="alert">{{ restoreError() | translate }}</p>
        }
        @if (restored(); as result) {
          <p class="notice" role="status">
            {{ 'system.restore.done' | translate: result }}
            @if (result.restarting) {
              {{ 'system.restore.restarting' | translate }}
            }
          </p>
        }
      </section>

      <section aria-labelledby="logs-title">
        <h2 id="logs-title">{{ 'system.logs' | translate }}</h2>
        <button type="button" (click)="logs.reload()">{{ 'system.refresh' | translate }}</button>
        @if (logs.error(); as error) {
          <p class="error" role="alert">{{ errorKey(error) | translate }}</p>
        } @else {
          <div class="table">
            <table>
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
                    <td>{{ 'activity.empty' | translate }}</td>
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
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class System {
  private readonly http = inject(HttpClient);
  private readonly language = inject(LanguageService);
  protected readonly errorKey = errorKey;
  protected readonly info = httpResource<SystemInfo>(() => '/api/system');
  protected readonly logs = httpResource<readonly LogLine[]>(() => '/api/system/logs');
  protected readonly logLines = computed(() => (this.logs.value() ?? []).slice(0, SHOWN_LOG_LINES));
  protected readonly config = computed(() =>
    Object.entries(this.info.value()?.config ?? {}).map(
      ([key, value]) => [key, typeof value === 'string' ? value : JSON.stringify(value)] as const,
    ),
  );
  protected readonly file = signal<File | null>(null);
  protected readonly busy = signal(false);
  protected readonly restoreError = signal<string | null>(null);
  protected readonly restored = signal<RestoreResult | null>(null);

  protected choose(event: Event): void {
    this.restoreError.set(null);
    this.restored.set(null);
    this.file.set((event.target as HTMLInputElement).files?.[0] ?? null);
  }

  protected async restore(file: File): Promise<void> {
    this.busy.set(true);
    this.restoreError.set(null);
    try {
      const headers = new HttpHeaders({
        'content-type': 'application/octet-stream',
        [CSRF_HEADER]: CSRF_HEADER_VALUE,
      });
      this.restored.set(
        await firstValueFrom(
          this.http.post<RestoreResult>('/api/system/restore', await file.arrayBuffer(), { headers }),
        ),
      );
      this.file.set(null);
    } catch (error) {
      this.restoreError.set(errorKey(error));
    } finally {
      this.busy.set(false);
    }
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
