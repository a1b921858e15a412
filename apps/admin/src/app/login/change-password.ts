import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { Router } from '@angular/router';
import { homeFor } from '@fabomatic/contracts';
import { TranslatePipe } from '@ngx-translate/core';
import { errorKey } from '../core/api-error';
import { Auth } from '../core/auth';
import { NewPassword } from './new-password';
import { FormField } from '../shared/field';

/** The first-login (or after reset) password change the API requires before anything else. */
@Component({
  selector: 'app-change-password',
  imports: [FormsModule, TranslatePipe, NewPassword, FormField],
  styleUrl: './login.css',
  template: `
    <main class="card">
      <h1>{{ 'password.title' | translate }}</h1>
      <p>{{ 'password.why' | translate }}</p>
      <form (ngSubmit)="submit()">
        <app-field controlId="current" label="password.current">
          <input
            name="current"
            type="password"
            autocomplete="current-password"
            required
            [(ngModel)]="current"
          />
        </app-field>
        <app-new-password [(value)]="next" [error]="error()" />
      </form>
    </main>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ChangePassword {
  private readonly auth = inject(Auth);
  private readonly router = inject(Router);
  protected current = '';
  protected next = '';
  protected readonly error = signal<string | null>(null);

  protected async submit(): Promise<void> {
    try {
      await this.auth.changePassword(this.current, this.next);
      await this.router.navigateByUrl(homeFor(this.auth.user()?.access ?? 'read-only'));
    } catch (error) {
      this.error.set(errorKey(error));
    }
  }
}
