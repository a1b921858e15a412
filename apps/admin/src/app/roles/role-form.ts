import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { Router, RouterLink } from '@angular/router';
import { hasAccess, PORTAL_ACCESS_LEVELS, type PortalAccess, type RoleInput } from '@fabomatic/contracts';
import { TranslatePipe } from '@ngx-translate/core';
import { errorKey } from '../core/api-error';
import { FormActions } from '../shared/form-actions';
import { FormField } from '../shared/field';
import { FormState } from '../shared/form-state';
import { Auth } from '../core/auth';
import { RolesApi } from './roles-api';

const NO_ACCESS: PortalAccess = 'none';

/** Create (`/roles/new`) or edit (`/roles/:id`) a role: admins only (the API says so too). */
@Component({
  selector: 'app-role-form',
  imports: [ReactiveFormsModule, RouterLink, TranslatePipe, FormActions, FormField],
  styleUrls: ['../shared/page.css', '../members/members.css'],
  template: `
    <main>
      <p>
        <a routerLink="/roles">{{ 'roles.back' | translate }}</a>
      </p>
      <h1>{{ (id() ? 'roles.form.edit-title' : 'roles.form.new-title') | translate }}</h1>

      @if (loadError()) {
        <p class="error" role="alert">{{ loadError() | translate }}</p>
      } @else {
        <form class="member-form" [formGroup]="form" (ngSubmit)="save()" novalidate>
          <app-field controlId="role-name" label="roles.form.name" [error]="nameError()">
            <input formControlName="name" autocomplete="off" />
          </app-field>

          <label class="check"
            ><input type="checkbox" formControlName="authorizeAll" />
            {{ 'roles.form.authorizeAll' | translate }}</label
          >
          <label class="check"
            ><input type="checkbox" formControlName="maintenance" />
            {{ 'roles.form.maintenance' | translate }}</label
          >

          <label for="role-access">{{ 'roles.form.portalAccess' | translate }}</label>
          <select id="role-access" formControlName="portalAccess">
            @for (level of levels; track level) {
              <option [ngValue]="level">{{ 'roles.access.' + level | translate }}</option>
            }
          </select>

          <app-form-actions [state]="state" saveLabel="roles.form.save" [disabled]="!canEdit()" />
        </form>
      }
    </main>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RoleForm {
  private readonly api = inject(RolesApi);
  private readonly router = inject(Router);
  private readonly auth = inject(Auth);
  /** Route param of `/roles/:id`; absent on `/roles/new`. */
  readonly id = input<string>();

  protected readonly levels = PORTAL_ACCESS_LEVELS;
  protected readonly canEdit = computed(() => hasAccess(this.auth.user()?.access ?? 'none', 'admin'));
  protected readonly loadError = signal<string | null>(null);

  protected readonly form = inject(NonNullableFormBuilder).group({
    name: ['', [(control) => Validators.required(control), Validators.maxLength(100)]],
    authorizeAll: [false],
    maintenance: [false],
    portalAccess: [NO_ACCESS],
  });
  protected readonly state = new FormState(this.form, { fixFields: 'roles.form.errors.fix-fields' });

  protected readonly nameError = computed(() => {
    this.state.isRefused('name');
    const control = this.form.controls.name;
    if (!control.errors || !(control.touched || control.dirty)) return '';
    return control.hasError('required') ? 'roles.form.errors.required' : 'roles.form.errors.too-long';
  });

  constructor() {
    effect(() => {
      const id = this.id();
      if (id) void this.load(id);
    });
  }

  protected async save(): Promise<void> {
    await this.state.submit(async () => {
      const value = this.form.getRawValue();
      const body: RoleInput = { ...value, name: value.name.trim() };
      const id = this.id();
      await (id ? this.api.update(id, body) : this.api.create(body));
      await this.router.navigateByUrl('/roles');
    });
  }

  private async load(id: string): Promise<void> {
    this.loadError.set(null);
    try {
      const role = await this.api.get(id);
      this.form.reset({
        name: role.name,
        authorizeAll: role.authorizeAll,
        maintenance: role.maintenance,
        portalAccess: role.portalAccess,
      });
    } catch (error) {
      this.loadError.set(errorKey(error));
    }
  }
}
