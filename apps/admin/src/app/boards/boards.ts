import { HttpErrorResponse, httpResource } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import {
  type BoardAccountDto,
  type BoardBindConflictBody,
  type FleetBoardDto,
  hasAccess,
  type IssuedBoardAccountDto,
  type Page,
  printedSerial,
} from '@fabomatic/contracts';
import { TranslatePipe } from '@ngx-translate/core';
import { errorKey, errorMessage } from '../core/api-error';
import { type Message, MessagePipe } from '../shared/message';
import { Auth } from '../core/auth';
import { LanguageService } from '../core/language';
import { ExportLinks } from '../shared/export-links';
import { ListState } from '../shared/list-state';
import { SortableTable, SortHeader } from '../shared/sort-header';
import { injectListQuery } from '../shared/list-query';
import { formatDateTime } from '../shared/time-format';
import { BindMachinePicker } from './bind-machine-picker';
import { BoardsApi } from './boards-api';

/** The board fleet: every board that said `alive`; an unassigned one can be bound to a machine. */
@Component({
  selector: 'app-boards',
  imports: [
    RouterLink,
    TranslatePipe,
    MessagePipe,
    BindMachinePicker,
    ExportLinks,
    ListState,
    SortableTable,
    SortHeader,
  ],
  styleUrls: ['../shared/page.css', '../shared/form-page.css'],
  template: `
    <main>
      <h1>{{ 'boards.title' | translate }}</h1>
      <form class="filters" role="search" (submit)="list.search($event)">
        <label>
          {{ 'boards.search' | translate }}
          <input name="q" type="search" [value]="list.query()['q'] ?? ''" />
        </label>
        <button type="submit">{{ 'machines.search-submit' | translate }}</button>
        <label>
          {{ 'boards.assigned' | translate }}
          <select (change)="list.filter('assigned', $event)">
            <option value="">{{ 'machines.any' | translate }}</option>
            <option value="true" [selected]="list.query()['assigned'] === 'true'">
              {{ 'boards.assigned-only' | translate }}
            </option>
            <option value="false" [selected]="list.query()['assigned'] === 'false'">
              {{ 'boards.unassigned' | translate }}
            </option>
          </select>
        </label>
      </form>
      <p
        class="exports"
        appExportLinks="/api/boards"
        [query]="list.query()"
        csv="machines.export-csv"
        xlsx="machines.export-xlsx"
      ></p>
      @if (notice(); as notice) {
        <p class="notice" role="status">
          {{ 'boards.bound' | translate: notice }}
          @if (notice.replaced) {
            {{ 'boards.bound-replaced' | translate: { serial: notice.replaced } }}
          }
        </p>
      }
      @if (unbound(); as unbound) {
        <p class="notice" role="status">{{ 'boards.unbound' | translate: unbound }}</p>
      }
      @if (unbindError()) {
        <p class="error" role="alert">{{ unbindError() | translate }}</p>
      }
      @if (issued(); as shown) {
        <section class="notice issued-account" role="status" aria-labelledby="issued-account-title">
          <h2 id="issued-account-title">{{ 'boards.account.issued-title' | translate: shown }}</h2>
          <p>{{ 'boards.account.issued-once' | translate }}</p>
          <dl>
            <dt>{{ 'boards.account.username' | translate }}</dt>
            <dd class="mono" data-testid="account-username">{{ shown.username }}</dd>
            <dt>{{ 'boards.account.password' | translate }}</dt>
            <dd class="mono" data-testid="account-password">{{ shown.password }}</dd>
          </dl>
          <p>{{ 'boards.account.firmware-hint' | translate }}</p>
          <button type="button" (click)="issued.set(null)">{{ 'boards.account.done' | translate }}</button>
        </section>
      }
      @if (accountError(); as failure) {
        <p class="error" role="alert">{{ failure | message }}</p>
      }

      <app-list-state
        [resource]="boards"
        [list]="list"
        loadError="boards.load-error"
        empty="boards.none"
        emptySearch="boards.empty"
      >
        <div class="table">
          <table [appSortable]="list" sortDefault="topicId">
            <caption class="visually-hidden">
              {{
                'boards.title' | translate
              }}
            </caption>
            <thead>
              <tr>
                @for (column of sortable; track column) {
                  <th scope="col" [appSortHeader]="column">
                    {{ 'boards.columns.' + column | translate }}
                  </th>
                }
                <th scope="col">{{ 'boards.columns.machine' | translate }}</th>
                <th scope="col">{{ 'boards.columns.ip' | translate }}</th>
                <th scope="col">{{ 'boards.columns.firmware' | translate }}</th>
                <th scope="col">{{ 'boards.columns.free-heap' | translate }}</th>
                <th scope="col">{{ 'boards.columns.online' | translate }}</th>
                <th scope="col">{{ 'boards.columns.account' | translate }}</th>
              </tr>
            </thead>
            <tbody>
              @for (board of page()?.items; track board.id) {
                <tr>
                  <td class="mono">{{ board.topicId }}</td>
                  <td class="mono">{{ board.serial ? printed(board.serial) : '—' }}</td>
                  <td>{{ board.lastSeenAt ? when(board.lastSeenAt) : ('machines.never' | translate) }}</td>
                  <td>
                    @if (board.machine; as machine) {
                      <a [routerLink]="['/machines', machine.id]">{{ machine.name }}</a>
                      @if (canEdit()) {
                        <button
                          type="button"
                          [disabled]="busy()"
                          [title]="'boards.unbind-hint' | translate"
                          (click)="unbind(board)"
                        >
                          {{ 'boards.unbind' | translate }}
                        </button>
                      }
                    } @else {
                      {{ 'boards.unassigned-one' | translate }}
                      @if (canEdit()) {
                        @if (binding() === board.id) {
                          @if (replacing(); as replace) {
                            <section
                              class="confirm"
                              role="alertdialog"
                              aria-labelledby="replace-title"
                              aria-describedby="replace-what"
                            >
                              <h2 id="replace-title">
                                {{
                                  'boards.replace.title'
                                    | translate
                                      : { machine: replace.machine.name, serial: boardLabel(replace.board) }
                                }}
                              </h2>
                              <p id="replace-what">
                                {{
                                  (replace.board.online
                                    ? 'boards.replace.what-online'
                                    : 'boards.replace.what-offline'
                                  )
                                    | translate
                                      : {
                                          machine: replace.machine.name,
                                          serial: boardLabel(replace.board),
                                          topicId: replace.board.topicId,
                                          newSerial: boardLabel(board),
                                        }
                                }}
                              </p>
                              <div class="actions">
                                <button
                                  type="button"
                                  class="danger"
                                  [disabled]="busy()"
                                  (click)="confirmReplace(board, replace)"
                                >
                                  {{
                                    'boards.replace.confirm'
                                      | translate: { serial: boardLabel(replace.board) }
                                  }}
                                </button>
                                <button type="button" (click)="replacing.set(null)">
                                  {{ 'machines.delete.cancel' | translate }}
                                </button>
                              </div>
                            </section>
                          } @else {
                            <form class="filters" (submit)="bind($event, board)">
                              <app-bind-machine-picker
                                name="machineId"
                                [required]="true"
                                [label]="'boards.bind-machine' | translate"
                              />
                              <button type="submit" class="primary" [disabled]="busy()">
                                {{ 'boards.bind-submit' | translate }}
                              </button>
                              <button type="button" (click)="binding.set(null)">
                                {{ 'machines.delete.cancel' | translate }}
                              </button>
                            </form>
                          }
                          @if (bindError()) {
                            <p class="error" role="alert">{{ bindError() | message }}</p>
                          }
                        } @else {
                          <button type="button" (click)="startBinding(board.id)">
                            {{ 'boards.bind' | translate }}
                          </button>
                        }
                      }
                    }
                  </td>
                  <td class="mono">{{ board.ip ?? '—' }}</td>
                  <td>{{ board.firmware ?? '—' }}</td>
                  <td>{{ board.freeHeap === null ? '—' : number(board.freeHeap) }}</td>
                  <td>{{ (board.online ? 'boards.online' : 'boards.offline') | translate }}</td>
                  <td>
                    @if (accountOf(board.topicId); as account) {
                      {{ 'boards.account.own' | translate: { when: when(account.issuedAt) } }}
                      @if (isAdmin()) {
                        @if (revoking() === board.topicId) {
                          <button
                            type="button"
                            class="danger"
                            [disabled]="busy()"
                            (click)="revoke(board.topicId)"
                          >
                            {{ 'boards.account.revoke-confirm' | translate }}
                          </button>
                          <button type="button" (click)="revoking.set(null)">
                            {{ 'machines.delete.cancel' | translate }}
                          </button>
                        } @else {
                          <button type="button" [disabled]="busy()" (click)="rotate(board.topicId)">
                            {{ 'boards.account.rotate' | translate }}
                          </button>
                          <button type="button" [disabled]="busy()" (click)="revoking.set(board.topicId)">
                            {{ 'boards.account.revoke' | translate }}
                          </button>
                        }
                      }
                    } @else {
                      {{ 'boards.account.shared' | translate }}
                      @if (isAdmin()) {
                        <button type="button" [disabled]="busy()" (click)="issue(board.topicId)">
                          {{ 'boards.account.issue' | translate }}
                        </button>
                      }
                    }
                  </td>
                </tr>
              }
            </tbody>
          </table>
        </div>
      </app-list-state>
    </main>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Boards {
  private readonly api = inject(BoardsApi);
  private readonly auth = inject(Auth);
  private readonly language = inject(LanguageService);
  protected readonly list = injectListQuery(['assigned']);
  protected readonly sortable = ['topicId', 'serial', 'lastSeenAt'] as const;
  /** Serials as printed on the boards: `AA:BB:CC:DD:EE:12`. */
  protected readonly printed = printedSerial;
  protected readonly canEdit = computed(() => hasAccess(this.auth.user()?.access ?? 'none', 'manager'));
  protected readonly binding = signal<number | null>(null);
  protected readonly busy = signal(false);
  protected readonly bindError = signal<Message | string | null>(null);
  protected readonly notice = signal<{ topicId: string; machine: string; replaced?: string } | null>(null);
  /** The machine chosen has a board: the bind waits for a confirmation naming it. */
  protected readonly replacing = signal<BoardBindConflictBody | null>(null);
  protected readonly unbound = signal<{ serial: string } | null>(null);
  protected readonly unbindError = signal<string | null>(null);
  protected readonly isAdmin = computed(() => hasAccess(this.auth.user()?.access ?? 'none', 'admin'));
  /** The password just issued or rotated: shown once, dropped when dismissed. */
  protected readonly issued = signal<IssuedBoardAccountDto | null>(null);
  protected readonly revoking = signal<string | null>(null);
  protected readonly accountError = signal<Message | string | null>(null);
  protected readonly accounts = httpResource<BoardAccountDto[]>(() => this.api.accountsRequest());
  private readonly accountsByTopic = computed(
    () => new Map((this.accounts.hasValue() ? this.accounts.value() : []).map((a) => [a.topicId, a])),
  );

  protected readonly boards = httpResource<Page<FleetBoardDto>>(() =>
    this.api.listRequest(this.list.query()),
  );
  protected readonly page = computed(() => (this.boards.hasValue() ? this.boards.value() : undefined));

  protected startBinding(id: number): void {
    this.bindError.set(null);
    this.notice.set(null);
    this.replacing.set(null);
    this.binding.set(id);
  }

  protected async bind(event: Event, board: FleetBoardDto): Promise<void> {
    event.preventDefault();
    const machineId = Number(new FormData(event.target as HTMLFormElement).get('machineId'));
    if (!machineId) {
      this.bindError.set('boards.bind-choose');
      return;
    }
    await this.sendBind(board, machineId, null);
  }

  /** Binds over the machine's board, which is disconnected (its cards refused from now on). */
  protected confirmReplace(board: FleetBoardDto, replace: BoardBindConflictBody): Promise<void> {
    return this.sendBind(board, replace.machine.id, replace.board);
  }

  protected boardLabel(board: FleetBoardDto): string {
    return board.serial ?? board.topicId;
  }

  private async sendBind(
    board: FleetBoardDto,
    machineId: number,
    replaced: FleetBoardDto | null,
  ): Promise<void> {
    this.busy.set(true);
    this.bindError.set(null);
    try {
      const bound = await this.api.bind(board.id, {
        machineId,
        ...(replaced ? { replace: true } : {}),
      });
      this.binding.set(null);
      this.replacing.set(null);
      this.notice.set({
        topicId: bound.topicId,
        machine: bound.machine?.name ?? '',
        ...(replaced ? { replaced: this.boardLabel(replaced) } : {}),
      });
      this.boards.reload();
    } catch (error) {
      const body =
        error instanceof HttpErrorResponse ? (error.error as Partial<BoardBindConflictBody>) : null;
      if (body?.code === 'MACHINE_HAS_BOARD' && body.board && body.machine) {
        this.replacing.set(body as BoardBindConflictBody);
      } else {
        this.bindError.set(errorMessage(error));
      }
    } finally {
      this.busy.set(false);
    }
  }

  /** Lets a board that was really moved to another machine speak from its new topic. */
  protected async unbind(board: FleetBoardDto): Promise<void> {
    this.busy.set(true);
    this.notice.set(null);
    this.unbound.set(null);
    this.unbindError.set(null);
    try {
      await this.api.unbind(board.id);
      this.unbound.set({ serial: board.serial ? printedSerial(board.serial) : board.topicId });
      this.boards.reload();
    } catch (error) {
      this.unbindError.set(errorKey(error));
    } finally {
      this.busy.set(false);
    }
  }

  protected accountOf(topicId: string): BoardAccountDto | undefined {
    return this.accountsByTopic().get(topicId);
  }

  protected issue(topicId: string): Promise<void> {
    return this.changeAccount(() => this.api.issueAccount(topicId));
  }

  protected rotate(topicId: string): Promise<void> {
    return this.changeAccount(() => this.api.rotateAccount(topicId));
  }

  protected revoke(topicId: string): Promise<void> {
    return this.changeAccount(async () => {
      await this.api.revokeAccount(topicId);
      return null;
    });
  }

  private async changeAccount(change: () => Promise<IssuedBoardAccountDto | null>): Promise<void> {
    this.busy.set(true);
    this.accountError.set(null);
    this.notice.set(null);
    this.issued.set(null);
    try {
      this.issued.set(await change());
      this.revoking.set(null);
      this.accounts.reload();
    } catch (error) {
      this.accountError.set(errorMessage(error));
    } finally {
      this.busy.set(false);
    }
  }

  protected number(value: number): string {
    return new Intl.NumberFormat(this.language.current()).format(value);
  }

  protected when(iso: string): string {
    return formatDateTime(iso, this.language.current());
  }
}
