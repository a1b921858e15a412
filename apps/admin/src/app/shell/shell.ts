import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { Router, RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { hasAccess, type PortalAccess } from '@fabomatic/contracts';
import { TranslatePipe } from '@ngx-translate/core';
import { Auth } from '../core/auth';
import { LanguageSwitch } from '../login/language-switch';

@Component({
  selector: 'app-shell',
  imports: [RouterOutlet, RouterLink, RouterLinkActive, TranslatePipe, LanguageSwitch],
  styleUrl: './shell.css',
  template: `
    <!-- eslint-disable-next-line @angular-eslint/template/interactive-supports-focus -- Escape from anywhere in the header closes the menu; the header itself is no control -->
    <header (keydown.escape)="closeMenu(menuButton)">
      <strong>FabOMatic</strong>
      <!-- On a phone the navigation folds behind this button (shell.css); on wider screens it is always shown. -->
      <button
        #menuButton
        type="button"
        class="menu-toggle"
        aria-controls="main-nav"
        [attr.aria-expanded]="menuOpen()"
        (click)="menuOpen.set(!menuOpen())"
      >
        <span aria-hidden="true">☰</span> {{ 'shell.menu' | translate }}
      </button>
      <nav id="main-nav" [class.open]="menuOpen()" [attr.aria-label]="'shell.nav.label' | translate">
        @for (link of links(); track link.path) {
          <a
            [routerLink]="link.path"
            routerLinkActive="active"
            ariaCurrentWhenActive="page"
            [routerLinkActiveOptions]="{ exact: link.path === '/' }"
            (click)="menuOpen.set(false)"
            >{{ link.label | translate }}</a
          >
        }
      </nav>
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
  /** The pages of the portal and the level each needs: the navigation shows only what the user may use. */
  private readonly pages: readonly { path: string; label: string; level: PortalAccess }[] = [
    { path: '/', label: 'shell.nav.dashboard', level: 'read-only' },
    { path: '/members', label: 'shell.nav.members', level: 'read-only' },
    { path: '/roles', label: 'shell.nav.roles', level: 'read-only' },
    { path: '/machines', label: 'shell.nav.machines', level: 'read-only' },
    { path: '/machine-types', label: 'shell.nav.machine-types', level: 'read-only' },
    { path: '/maintenance', label: 'shell.nav.maintenance', level: 'read-only' },
    { path: '/boards', label: 'shell.nav.boards', level: 'read-only' },
    { path: '/authorizations', label: 'shell.nav.authorizations', level: 'read-only' },
    { path: '/training', label: 'shell.nav.training', level: 'read-only' },
    { path: '/usage', label: 'shell.nav.usage', level: 'read-only' },
    { path: '/access-events', label: 'shell.nav.access-events', level: 'read-only' },
    { path: '/reports', label: 'shell.nav.reports', level: 'read-only' },
    { path: '/audit', label: 'shell.nav.audit', level: 'admin' },
    { path: '/system', label: 'shell.nav.system', level: 'admin' },
    { path: '/profile', label: 'shell.nav.profile', level: 'read-only' },
  ];
  /** The folded navigation of a phone: open or not (ignored on wider screens, where it always shows). */
  protected readonly menuOpen = signal(false);
  protected readonly links = computed(() =>
    this.pages.filter((page) => hasAccess(this.auth.user()?.access ?? 'none', page.level)),
  );

  /** Escape folds an open menu and gives the focus back to its button. */
  protected closeMenu(button: HTMLButtonElement): void {
    if (!this.menuOpen()) return;
    this.menuOpen.set(false);
    button.focus();
  }

  protected async logout(): Promise<void> {
    await this.auth.logout();
    await this.router.navigateByUrl('/login');
  }
}
