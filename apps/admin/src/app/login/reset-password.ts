import { ChangeDetectionStrategy, Component, inject, input, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { RouterLink } from '@angular/router';
import { TranslatePipe } from '@ngx-translate/core';
import { errorKey } from '../core/api-error';
import { NewPassword } from './new-password';
import { AuthApi } from '../core/auth-api';

/** The page of the emailed link (`/reset-password?token=…`): a new password, once. */
@Component({
  selector: 'app-reset-password',
  imports: [FormsModule, TranslatePipe, RouterLink, NewPassword],
  styleUrl: './login.css',
  template: `
    <main class="card">
      <h1>{{ 'reset.title' | translate }}</h1>
      @if (done()) {
        <p role="status">{{ 'reset.done' | translate }}</p>
        <a routerLink="/login">{{ 'login.submit' | translate }}</a>
      } @else {
        <form (ngSubmit)="submit()">
          <app-new-password [(value)]="next" [error]="error()" />
        </form>
      }
    </main>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ResetPassword {
  private readonly api = inject(AuthApi);
  /** From the link's query string (router input binding). */
  readonly token = input('');
  protected next = '';
  protected readonly done = signal(false);
  protected readonly error = signal<string | null>(null);

  protected async submit(): Promise<void> {
    try {
      await this.api.reset({ token: this.token(), newPassword: this.next });
      this.done.set(true);
    } catch (error) {
      this.error.set(errorKey(error));
    }
  }
}
