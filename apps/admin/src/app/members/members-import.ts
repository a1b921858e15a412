import { httpResource } from '@angular/common/http';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  ElementRef,
  inject,
  signal,
  viewChild,
} from '@angular/core';
import { RouterLink } from '@angular/router';
import {
  hasAccess,
  MAX_MEMBER_IMPORT_BYTES,
  MAX_MEMBER_IMPORT_ROWS,
  MAX_PAGE_SIZE,
  type MemberImportResult,
  type Page,
  type RoleDto,
} from '@fabomatic/contracts';
import { TranslatePipe } from '@ngx-translate/core';
import { errorKey } from '../core/api-error';
import { Auth } from '../core/auth';
import { LanguageService } from '../core/language';
import { RolesApi } from '../roles/roles-api';
import { formatBytes, formatNumber } from '../shared/localised';
import { MembersApi } from './members-api';

/** The columns a file may have, as the page explains them (`key`: their translation). */
const COLUMNS = [
  { header: 'name', key: 'name', required: true },
  { header: 'surname', key: 'surname', required: false },
  { header: 'email', key: 'email', required: false },
  { header: 'card', key: 'card', required: false },
  { header: 'role', key: 'role', required: true },
  { header: 'disabled', key: 'disabled', required: false },
  { header: 'weekly summary', key: 'weekly-summary', required: false },
  { header: 'language', key: 'language', required: false },
] as const;

const EXAMPLE = [
  'name;surname;email;card;role;language',
  'Mario;Rossi;mario.rossi@example.org;04A1B2C3;Fab Users;it',
  '"Anna Maria";"D\'Angelo";;;Fab Users;en',
].join('\n');

/**
 * Members from a CSV file (`/members/import`, managers): the file is checked first (a dry run that
 * lists every problem by row), then imported on confirmation, all rows or none.
 */
@Component({
  selector: 'app-members-import',
  imports: [RouterLink, TranslatePipe],
  styleUrls: ['../shared/page.css', './members.css'],
  template: `
    <main>
      <p>
        <a routerLink="/members">{{ 'members.back' | translate }}</a>
      </p>
      <h1>{{ 'members.import.title' | translate }}</h1>
      <p>{{ 'members.import.intro' | translate }}</p>

      <section aria-labelledby="import-format-title">
        <h2 id="import-format-title">{{ 'members.import.format-title' | translate }}</h2>
        <p>
          {{ 'members.import.format' | translate: { rows: number(maxRows), size: bytes(maxBytes) } }}
        </p>
        <div class="table">
          <table>
            <caption class="visually-hidden">
              {{
                'members.import.columns-caption' | translate
              }}
            </caption>
            <thead>
              <tr>
                <th scope="col">{{ 'members.import.column' | translate }}</th>
                <th scope="col">{{ 'members.import.required' | translate }}</th>
                <th scope="col">{{ 'members.import.meaning' | translate }}</th>
              </tr>
            </thead>
            <tbody>
              @for (column of columns; track column.header) {
                <tr>
                  <th scope="row" class="mono">{{ column.header }}</th>
                  <td>{{ (column.required ? 'members.yes' : 'members.no') | translate }}</td>
                  <td>{{ 'members.import.columns.' + column.key | translate }}</td>
                </tr>
              }
            </tbody>
          </table>
        </div>
        <p id="import-example-title">{{ 'members.import.example' | translate }}</p>
        <pre class="mono example" aria-labelledby="import-example-title">{{ example }}</pre>
      </section>

      <form class="import-form" (submit)="check($event)">
        <label for="import-file">{{ 'members.import.file' | translate }}</label>
        <input
          #fileInput
          id="import-file"
          type="file"
          accept=".csv,text/csv"
          [disabled]="busy()"
          (change)="choose($event)"
        />
        <label for="import-role">{{ 'members.import.default-role' | translate }}</label>
        <select id="import-role" aria-describedby="import-role-hint" (change)="chooseRole($event)">
          <option value="">{{ 'members.import.no-default-role' | translate }}</option>
          @for (role of roles(); track role.id) {
            <option [value]="role.name">{{ role.name }}</option>
          }
        </select>
        <p id="import-role-hint" class="hint">{{ 'members.import.default-role-hint' | translate }}</p>
        <div class="actions">
          <button type="submit" class="primary" [disabled]="busy() || !file()">
            {{ (busy() && !preview() ? 'members.import.checking' : 'members.import.check') | translate }}
          </button>
        </div>
      </form>

      @if (error()) {
        <p class="error" role="alert">{{ error() | translate }}</p>
      }

      @if (preview(); as result) {
        <section aria-labelledby="import-preview-title">
          <h2 id="import-preview-title" tabindex="-1" #previewTitle>
            {{ 'members.import.preview-title' | translate }}
          </h2>
          @if (result.problems.length === 0) {
            <p>
              {{ counted('members.import.ready', result.rows) | translate: { count: number(result.rows) } }}
            </p>
            <div class="actions">
              <button type="button" class="primary" [disabled]="busy()" (click)="confirm()">
                {{
                  counted('members.import.confirm', result.rows) | translate: { count: number(result.rows) }
                }}
              </button>
            </div>
          } @else {
            <p class="error">{{ 'members.import.has-problems' | translate }}</p>
            <div class="table">
              <table>
                <caption class="visually-hidden">
                  {{
                    'members.import.problems-caption' | translate
                  }}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">{{ 'members.import.row' | translate }}</th>
                    <th scope="col">{{ 'members.import.column' | translate }}</th>
                    <th scope="col">{{ 'members.import.value' | translate }}</th>
                    <th scope="col">{{ 'members.import.problem' | translate }}</th>
                  </tr>
                </thead>
                <tbody>
                  @for (problem of result.problems; track $index) {
                    <tr>
                      <td>{{ problem.row }}</td>
                      <td class="mono">{{ problem.column ?? '' }}</td>
                      <td class="mono">{{ problem.value ?? '' }}</td>
                      <td>
                        {{
                          'members.import.problems.' + problem.code
                            | translate: { otherRow: problem.otherRow }
                        }}
                      </td>
                    </tr>
                  }
                </tbody>
              </table>
            </div>
            @if (result.problemsNotListed > 0) {
              <p>
                {{ 'members.import.not-listed' | translate: { count: number(result.problemsNotListed) } }}
              </p>
            }
          }
        </section>
      }

      @if (done(); as result) {
        <section class="notice" aria-labelledby="import-done-title">
          <h2 id="import-done-title" tabindex="-1" #doneTitle>
            {{
              counted('members.import.done', result.created) | translate: { count: number(result.created) }
            }}
          </h2>
          <p>
            <a routerLink="/members" [queryParams]="{ sort: 'createdAt', order: 'desc' }">
              {{ 'members.import.see-members' | translate }}
            </a>
          </p>
        </section>
      }
    </main>
  `,
  styles: `
    .import-form {
      display: flex;
      flex-direction: column;
      gap: 0.3rem;
      max-width: 32rem;
      margin-top: 1.5rem;
    }
    .example {
      padding: 0.75rem;
      overflow-x: auto;
      background: var(--surface);
      border: 1px solid var(--border);
      border-radius: 0.4rem;
    }
    .notice h2 {
      margin-top: 0;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MembersImport {
  private readonly api = inject(MembersApi);
  private readonly rolesApi = inject(RolesApi);
  private readonly auth = inject(Auth);
  private readonly language = inject(LanguageService);
  protected readonly columns = COLUMNS;
  protected readonly example = EXAMPLE;
  protected readonly maxRows = MAX_MEMBER_IMPORT_ROWS;
  protected readonly maxBytes = MAX_MEMBER_IMPORT_BYTES;

  protected readonly file = signal<File | null>(null);
  private readonly defaultRole = signal('');
  protected readonly busy = signal(false);
  /** The translation key of why the file could not be checked or imported. */
  protected readonly error = signal<string | null>(null);
  /** The dry run of the chosen file: what would be created, or every problem. */
  protected readonly preview = signal<MemberImportResult | null>(null);
  protected readonly done = signal<MemberImportResult | null>(null);
  /** The bytes checked: the import sends exactly these, whatever happens to the file meanwhile. */
  private checked: ArrayBuffer | null = null;
  private readonly previewTitle = viewChild<ElementRef<HTMLElement>>('previewTitle');
  private readonly doneTitle = viewChild<ElementRef<HTMLElement>>('doneTitle');

  private readonly roleList = httpResource<Page<RoleDto>>(() =>
    this.rolesApi.listRequest({ pageSize: MAX_PAGE_SIZE }),
  );
  /** Only admins give roles with manager or admin access. */
  protected readonly roles = computed(() => {
    const isAdmin = hasAccess(this.auth.user()?.access ?? 'none', 'admin');
    return (this.roleList.value()?.items ?? []).filter(
      (role) => isAdmin || !hasAccess(role.portalAccess, 'manager'),
    );
  });

  constructor() {
    // What the page answers takes the focus, for keyboard and screen reader users.
    effect(() => this.previewTitle()?.nativeElement.focus());
    effect(() => this.doneTitle()?.nativeElement.focus());
  }

  protected choose(event: Event): void {
    this.file.set((event.target as HTMLInputElement).files?.[0] ?? null);
    this.reset();
  }

  protected chooseRole(event: Event): void {
    this.defaultRole.set((event.target as HTMLSelectElement).value);
    this.reset();
  }

  /** The dry run: nothing is written. */
  protected async check(event: Event): Promise<void> {
    event.preventDefault();
    const file = this.file();
    if (!file) return;
    this.reset();
    this.busy.set(true);
    try {
      const bytes = await file.arrayBuffer();
      this.preview.set(await this.upload(bytes, true));
      this.checked = bytes;
    } catch (error) {
      this.error.set(errorKey(error));
    } finally {
      this.busy.set(false);
    }
  }

  protected async confirm(): Promise<void> {
    const bytes = this.checked;
    if (!bytes) return;
    this.busy.set(true);
    this.error.set(null);
    try {
      const result = await this.upload(bytes, false);
      // No member created: something changed since the check (another member took an email or a
      // card), and the problems are shown again.
      this.preview.set(result.created > 0 ? null : result);
      this.done.set(result.created > 0 ? result : null);
      if (result.created > 0) this.checked = null;
    } catch (error) {
      this.error.set(errorKey(error));
    } finally {
      this.busy.set(false);
    }
  }

  /** The key of a sentence about `count` members: its `-one` form for a single one. */
  protected counted(key: string, count: number): string {
    return count === 1 ? `${key}-one` : key;
  }

  protected number(value: number): string {
    return formatNumber(value, this.language.current());
  }

  protected bytes(value: number): string {
    return formatBytes(value, this.language.current());
  }

  private upload(bytes: ArrayBuffer, dryRun: boolean): Promise<MemberImportResult> {
    const role = this.defaultRole();
    return this.api.import(bytes, { dryRun, ...(role ? { defaultRole: role } : {}) });
  }

  private reset(): void {
    this.error.set(null);
    this.preview.set(null);
    this.done.set(null);
    this.checked = null;
  }
}
