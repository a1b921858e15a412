import { ChangeDetectionStrategy, Component } from '@angular/core';
import { RouterLink } from '@angular/router';
import { TranslatePipe } from '@ngx-translate/core';

/** Where a page the user's portal level does not include sends them (see `needsLevel`). */
@Component({
  selector: 'app-not-allowed',
  imports: [RouterLink, TranslatePipe],
  styleUrl: '../shared/page.css',
  template: `
    <main>
      <h1>{{ 'shell.not-allowed.title' | translate }}</h1>
      <p role="alert">{{ 'shell.not-allowed.text' | translate }}</p>
      <p>
        <a routerLink="/">{{ 'shell.not-allowed.back' | translate }}</a>
      </p>
    </main>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class NotAllowed {}
