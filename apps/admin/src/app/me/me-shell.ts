import { httpResource } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { Router, RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { hasAccess } from '@fabomatic/contracts';
import { TranslatePipe } from '@ngx-translate/core';
import { Auth } from '../core/auth';

/** A page of the members' portal in its navigation. */
export interface MePage {
  readonly path: string;
  readonly label: string;
  /** Shown only to trainers (members with a trainer grant for a machine type, issue 15). */
  readonly trainers?: true;
}

/** The members' portal navigation, in order (paths under /me; H2 and H4 fill the pages). */
export const ME_PAGES: readonly MePage[] = [
  { path: '/me', label: 'me.nav.home' },
  { path: '/me/sessions', label: 'me.nav.sessions' },
  { path: '/me/refused', label: 'me.nav.refused' },
  { path: '/me/problems', label: 'me.nav.problems' },
  { path: '/me/report', label: 'me.nav.report' },
  { path: '/me/training', label: 'me.nav.training' },
  { path: '/me/training-queue', label: 'me.nav.training-queue', trainers: true },
  { path: '/me/trainees', label: 'me.nav.trainees', trainers: true },
  { path: '/me/data', label: 'me.nav.data' },
  { path: '/me/profile', label: 'me.nav.profile' },
];

/**
 * The members' portal shell: a small navigation of the member's own pages, phone first (folded
 * behind a Menu button on a narrow screen), and Sign out. Staff who open /me see a link back to
 * the staff portal.
 */
@Component({
  selector: 'app-me-shell',
  imports: [RouterOutlet, RouterLink, RouterLinkActive, TranslatePipe],
  styleUrl: './me-shell.css',
  template: `
    <!-- eslint-disable-next-line @angular-eslint/template/interactive-supports-focus -- Escape from anywhere in the header closes the menu; the header itself is no control -->
    <header (keydown.escape)="closeMenu(menuButton)">
      <div class="bar">
        <a class="brand" routerLink="/me">FabOMatic</a>
        <span class="who">{{ auth.user()?.name }}</span>
        <button
          #menuButton
          type="button"
          class="menu-toggle"
          aria-controls="me-nav"
          [attr.aria-expanded]="menuOpen()"
          (click)="menuOpen.set(!menuOpen())"
        >
          <span aria-hidden="true">☰</span> {{ 'me.menu' | translate }}
        </button>
      </div>
      <nav id="me-nav" [class.open]="menuOpen()" [attr.aria-label]="'me.nav.label' | translate">
        @for (page of pages(); track page.path) {
          <a
            [routerLink]="page.path"
            routerLinkActive="active"
            ariaCurrentWhenActive="page"
            [routerLinkActiveOptions]="{ exact: page.path === '/me' }"
            (click)="menuOpen.set(false)"
            >{{ page.label | translate }}</a
          >
        }
        @if (isStaff()) {
          <a routerLink="/" (click)="menuOpen.set(false)">{{ 'me.nav.staff' | translate }}</a>
        }
        <button type="button" class="logout" (click)="logout()">{{ 'me.nav.logout' | translate }}</button>
      </nav>
    </header>
    <router-outlet />
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MeShell {
  protected readonly auth = inject(Auth);
  private readonly router = inject(Router);
  /** The machine types the user trains: their pages show only to trainers. */
  private readonly trainerOf = httpResource<readonly unknown[]>(() => '/api/me/trainer-of');
  protected readonly pages = computed(() => {
    const trainer = (this.trainerOf.hasValue() ? this.trainerOf.value() : []).length > 0;
    return ME_PAGES.filter((page) => !page.trainers || trainer);
  });
  /** The folded navigation of a phone: open or not (ignored on wider screens, where it always shows). */
  protected readonly menuOpen = signal(false);
  protected readonly isStaff = computed(() => hasAccess(this.auth.user()?.access ?? 'none', 'read-only'));

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
