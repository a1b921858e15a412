import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { Router, RouterOutlet } from '@angular/router';
import { TranslatePipe } from '@ngx-translate/core';
import { Auth } from '../core/auth';
import { LanguageSwitch } from '../login/language-switch';

@Component({
  selector: 'app-shell',
  imports: [RouterOutlet, TranslatePipe, LanguageSwitch],
  styleUrl: './shell.css',
  template: `
    <header>
      <strong>FabOMatic</strong>
      <span class="spacer"></span>
      <app-language-switch />
      <span>{{ auth.user()?.name }}</span>
      <button type="button" (click)="logout()">{{ 'shell.logout' | translate }}</button>
    </header>
    <router-outlet />
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Shell {
  protected readonly auth = inject(Auth);
  private readonly router = inject(Router);

  protected async logout(): Promise<void> {
    await this.auth.logout();
    await this.router.navigateByUrl('/login');
  }
}
