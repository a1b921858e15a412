import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { TranslatePipe } from '@ngx-translate/core';
import { exportUrl } from './list-columns';
import { type ListQuery, listQueryString } from './list-query';

/**
 * The CSV and Excel downloads of a list, with the same filters and search as shown (paging dropped):
 * `<p class="exports" appExportLinks="/api/machines" [query]="list.query()" csv="…" xlsx="…">`.
 * Anything inside the element follows the two links.
 */
@Component({
  selector: '[appExportLinks]',
  imports: [TranslatePipe],
  template: `
    <a [href]="link('csv')" download>{{ csv() | translate }}</a>
    <a [href]="link('xlsx')" download>{{ xlsx() | translate }}</a>
    <ng-content />
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ExportLinks {
  /** The list's API address, such as `/api/machines`. */
  readonly base = input.required<string>({ alias: 'appExportLinks' });
  readonly query = input.required<ListQuery>();
  /** Translation keys of the two links. */
  readonly csv = input.required<string>();
  readonly xlsx = input.required<string>();

  protected link(format: 'csv' | 'xlsx'): string {
    return exportUrl(this.base(), listQueryString(this.query()), format);
  }
}
