import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { RouterLink } from '@angular/router';
import { TranslatePipe } from '@ngx-translate/core';
import { errorKey } from '../core/api-error';
import { AuthApi } from '../core/auth-api';
import { FormField } from '../shared/field';

/**
 * Asks for a reset link; the answer is the same whether or not the address is known. A lab without
 * email says so up front (a setting of the lab, not of the address).
 */
@Component({
  selector: 'app-forgot-password',
  imports: [FormsModule, TranslatePipe, RouterLink, FormField],
  styleUrl: './login.css',
  template: `
    <main class="card">
      <h1>{{ 'forgot.title' | translate }}</h1>
      @if (notConfigured()) {
        <p class="error" role="alert">{{ 'forgot.not-configured' | translate }}</p>
      } @else if (sent()) {
        <p role="status">{{ 'forgot.sent' | translate }}</p>
      } @else {
        <form (ngSubmit)="submit()">
          <app-field controlId="email" label="login.email">
            <input name="email" type="email" autocomplete="username" required [(ngModel)]="email" />
          </app-field>
          @if (error()) {
            <p class="error" role="alert">{{ error() | translate }}</p>
          }
          <button type="submit">{{ 'forgot.submit' | translate }}</button>
        </form>
      }
      <a routerLink="/login">{{ 'forgot.back' | translate }}</a>
    </main>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ForgotPassword {
  private readonly api = inject(AuthApi);
  protected email = '';
  protected readonly sent = signal(false);
  protected readonly error = signal<string | null>(null);
  /** The lab has no email at all (said for every address): no link can come, ask an admin. */
  protected readonly notConfigured = signal(false);

  constructor() {
    void this.api.forgotOptions().then(
      (options) => this.notConfigured.set(!options.emailConfigured),
      // Unknown: the form stays, and its answer says so if email is not configured.
      () => undefined,
    );
  }

  protected async submit(): Promise<void> {
    try {
      await this.api.forgot({ email: this.email });
      this.sent.set(true);
    } catch (error) {
      const key = errorKey(error);
      if (key === 'errors.EMAIL_NOT_CONFIGURED') this.notConfigured.set(true);
      else this.error.set(key);
    }
  }
}
