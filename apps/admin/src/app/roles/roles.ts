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
import { hasAccess, type Page, type RoleDto } from '@fabomatic/contracts';
import { TranslatePipe } from '@ngx-translate/core';
import { errorKey, errorMessage } from '../core/api-error';
import { Auth } from '../core/auth';
import { ExportLinks } from '../shared/export-links';
import { ListState } from '../shared/list-state';
import { injectListQuery } from '../shared/list-query';
import { RolesApi } from './roles-api';

/** Roles: everyone with portal access sees and exports them, only admins create, change or delete them. */
@Component({
  selector: 'app-roles',
  imports: [RouterLink, TranslatePipe, ExportLinks, ListState],
  styleUrls: ['../shared/page.css', '../members/members.css'],
  template: `
    <main>
      <div class="title">
        <h1>{{ 'roles.title' | translate }}</h1>
        @if (canEdit()) {
          <a class="button" routerLink="/roles/new">{{ 'roles.new' | translate }}</a>
        }
      </div>

      <p
        class="exports"
        appExportLinks="/api/roles"
        [query]="list.query()"
        csv="roles.export-csv"
        xlsx="roles.export-xlsx"
      ></p>

      @if (confirming(); as role) {
        <section class="confirm" role="alertdialog" aria-labelledby="role-delete-title">
          <h2 id="role-delete-title" tabindex="-1" #confirmTitle>
            {{ 'roles.delete.title' | translate: { name: role.name } }}
          </h2>
          <div class="actions">
            <button type="button" class="danger" [disabled]="busy()" (click)="remove(role)">
              {{ 'roles.delete.confirm' | translate }}
            </button>
            <button type="button" (click)="confirming.set(null)">
              {{ 'roles.delete.cancel' | translate }}
            </button>
          </div>
        </section>
      }
      @if (deleteError(); as failure) {
        <p class="error" role="alert">{{ failure.key | translate: failure.params }}</p>
      }
      @if (deletedName(); as name) {
        <p class="notice" role="status">{{ 'roles.delete.done' | translate: { name } }}</p>
      }

      <app-list-state [resource]="roles" [list]="list" loadError="roles.load-error">
        <div class="table">
          <table>
            <caption class="visually-hidden">
              {{
                'roles.title' | translate
              }}
            </caption>
            <thead>
              <tr>
                <th scope="col">{{ 'roles.columns.name' | translate }}</th>
                <th scope="col">{{ 'roles.columns.authorizeAll' | translate }}</th>
                <th scope="col">{{ 'roles.columns.maintenance' | translate }}</th>
                <th scope="col">{{ 'roles.columns.portalAccess' | translate }}</th>
                <th scope="col">{{ 'roles.columns.memberCount' | translate }}</th>
                @if (canEdit()) {
                  <th scope="col">{{ 'roles.columns.actions' | translate }}</th>
                }
              </tr>
            </thead>
            <tbody>
              @for (role of page()?.items; track role.id) {
                <tr>
                  <td>
                    @if (canEdit() && !role.reserved) {
                      <a [routerLink]="['/roles', role.id]">{{ role.name }}</a>
                    } @else {
                      {{ role.name }}
                    }
                    @if (role.reserved) {
                      <span class="hint">({{ 'roles.reserved' | translate }})</span>
                    }
                  </td>
                  <td>{{ (role.authorizeAll ? 'roles.yes' : 'roles.no') | translate }}</td>
                  <td>{{ (role.maintenance ? 'roles.yes' : 'roles.no') | translate }}</td>
                  <td>{{ 'roles.access.' + role.portalAccess | translate }}</td>
                  <td>{{ role.memberCount }}</td>
                  @if (canEdit()) {
                    <td>
                      @if (!role.reserved) {
                        <button
                          type="button"
                          [attr.aria-label]="'roles.delete.button-for' | translate: { name: role.name }"
                          (click)="askDelete(role)"
                        >
                          {{ 'roles.delete.button' | translate }}
                        </button>
                      }
                    </td>
                  }
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
export class Roles {
  private readonly api = inject(RolesApi);
  private readonly auth = inject(Auth);
  protected readonly list = injectListQuery([]);
  protected readonly canEdit = computed(() => hasAccess(this.auth.user()?.access ?? 'none', 'admin'));
  protected readonly busy = signal(false);
  protected readonly confirming = signal<RoleDto | null>(null);
  protected readonly deleteError = signal<{ key: string; params: Record<string, unknown> } | null>(null);
  protected readonly deletedName = signal<string | null>(null);
  private readonly confirmTitle = viewChild<ElementRef<HTMLElement>>('confirmTitle');

  protected readonly roles = httpResource<Page<RoleDto>>(() => this.api.listRequest(this.list.query()));
  /** The last page loaded: kept while the next one loads, so the table does not blink. */
  protected readonly page = computed(() => (this.roles.hasValue() ? this.roles.value() : undefined));

  constructor() {
    effect(() => this.confirmTitle()?.nativeElement.focus());
  }

  protected askDelete(role: RoleDto): void {
    this.deleteError.set(null);
    this.deletedName.set(null);
    this.confirming.set(role);
  }

  protected async remove(role: RoleDto): Promise<void> {
    this.busy.set(true);
    try {
      await this.api.remove(role.id);
      this.deletedName.set(role.name);
      this.roles.reload();
    } catch (error) {
      // While members have the role, the page names it (reserved roles offer no delete).
      const inUse = errorKey(error) === 'errors.ROLE_IN_USE';
      this.deleteError.set(
        inUse ? { key: 'roles.delete.in-use', params: { name: role.name } } : errorMessage(error),
      );
      this.roles.reload();
    } finally {
      this.busy.set(false);
      this.confirming.set(null);
    }
  }
}
