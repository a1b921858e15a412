import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { Router } from '@angular/router';
import { TranslatePipe } from '@ngx-translate/core';
import { errorKey } from '../core/api-error';
import { Auth } from '../core/auth';

/** The first-login (or after reset) password change the API requires before anything else. */
@Component({
  selector: 'app-change-password',
  imports: [FormsModule, TranslatePipe],
  styleUrl: './login.css',
  template: `
    <main class="card">
      <h1>{{ 'password.title' | translate }}</h1>
      <p>{{ 'password.why' | translate }}</p>
      <form (ngSubmit)="submit()">
        <label for="current">{{ 'password.current' | translate }}</label>
        <input
          id="current"
          name="current"
          type="password"
          autocomplete="current-password"
          required
          [(ngModel)]="current"
        />
        <label for="next">{{ 'password.new' | translate }}</label>
        <input
          id="next"
          name="next"
          type="password"
          autocomplete="new-password"
          required
          minlength="10"
          [(ngModel)]="next"
        />
        @if (error()) {
          <p class="error" role="alert">{{ error() | translate }}</p>
        }
        <button type="submit">{{ 'password.submit' | translate }}</button>
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
      await this.router.navigateByUrl('/');
    } catch (error) {
      this.error.set(errorKey(error));
    }
  }
}
