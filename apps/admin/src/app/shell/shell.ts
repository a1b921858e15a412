import {
  afterNextRender,
  ChangeDetectionStrategy,
  Component,
  computed,
  type ElementRef,
  inject,
  Injector,
  signal,
  viewChild,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { NavigationEnd, Router, RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { TranslatePipe } from '@ngx-translate/core';
import { filter } from 'rxjs';
import { Auth } from '../core/auth';
import { LanguageSwitch } from '../login/language-switch';
import { visibleNav } from './nav';

@Component({
  selector: 'app-shell',
  imports: [RouterOutlet, RouterLink, RouterLinkActive, TranslatePipe, LanguageSwitch],
  styleUrl: './shell.css',
  template: `
    <!-- eslint-disable-next-line @angular-eslint/template/interactive-supports-focus -- Escape from anywhere in the header closes the menu; the header itself is no control -->
    <header (keydown.escape)="closeMenu()">
      <!-- On a phone the navigation folds behind this button (shell.css); on wider screens it is a side column. -->
      <button
        #menuButton
        type="button"
        class="menu-toggle"
        aria-controls="main-nav"
        [attr.aria-expanded]="menuOpen()"
        (click)="toggleMenu()"
      >
        <span aria-hidden="true">☰</span> {{ 'shell.menu' | translate }}
      </button>
      <strong>FabOMatic</strong>
      <span class="spacer"></span>
      <app-language-switch />
      <span class="user">{{ auth.user()?.name }}</span>
      <button type="button" (click)="logout()">{{ 'shell.logout' | translate }}</button>
    </header>
    <div class="layout">
      <!-- eslint-disable-next-line @angular-eslint/template/interactive-supports-focus -- Escape from inside the open menu closes it -->
      <nav
        #nav
        id="main-nav"
        [class.open]="menuOpen()"
        [attr.aria-label]="'shell.nav.label' | translate"
        (keydown.escape)="closeMenu()"
      >
        @for (group of groups(); track group.id) {
          <h2 class="group" [id]="'nav-group-' + group.id">{{ group.heading | translate }}</h2>
          <ul [attr.aria-labelledby]="'nav-group-' + group.id">
            @for (link of group.links; track link.path) {
              <li>
                <a
                  [routerLink]="link.path"
                  routerLinkActive="active"
                  ariaCurrentWhenActive="page"
                  [routerLinkActiveOptions]="{ exact: link.path === '/' }"
                  >{{ link.label | translate }}</a
                >
              </li>
            }
          </ul>
        }
      </nav>
      <div class="content">
        <router-outlet />
      </div>
    </div>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Shell {
  protected readonly auth = inject(Auth);
  private readonly router = inject(Router);
  private readonly injector = inject(Injector);
  private readonly menuButton = viewChild.required<ElementRef<HTMLButtonElement>>('menuButton');
  private readonly nav = viewChild.required<ElementRef<HTMLElement>>('nav');
  /** The folded navigation of a phone: open or not (ignored on wider screens, where it always shows). */
  protected readonly menuOpen = signal(false);
  /** The navigation's groups with the links this user may use (nav.ts). */
  protected readonly groups = computed(() => visibleNav(this.auth.user()?.access ?? 'none'));

  constructor() {
    // Following a link (or any navigation) folds the phone's menu.
    this.router.events
      .pipe(
        filter((event) => event instanceof NavigationEnd),
        takeUntilDestroyed(),
      )
      .subscribe(() => this.menuOpen.set(false));
  }

  /** Opens the menu with the focus on its first link (the current page's, if shown), or folds it. */
  protected toggleMenu(): void {
    if (this.menuOpen()) {
      this.menuOpen.set(false);
      return;
    }
    this.menuOpen.set(true);
    afterNextRender(
      () => {
        const nav = this.nav().nativeElement;
        const target = nav.querySelector<HTMLElement>('a[aria-current="page"]') ?? nav.querySelector('a');
        target?.focus();
      },
      { injector: this.injector },
    );
  }

  /** Escape folds an open menu and gives the focus back to its button. */
  protected closeMenu(): void {
    if (!this.menuOpen()) return;
    this.menuOpen.set(false);
    this.menuButton().nativeElement.focus();
  }

  protected async logout(): Promise<void> {
    await this.auth.logout();
    await this.router.navigateByUrl('/login');
  }
}
