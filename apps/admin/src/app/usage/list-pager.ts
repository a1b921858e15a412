import { ChangeDetectionStrategy, Component, computed, input, output } from '@angular/core';
import { TranslatePipe } from '@ngx-translate/core';

/** Previous/next and page size of a server-side paged list. */
@Component({
  selector: 'app-list-pager',
  imports: [TranslatePipe],
  template: `
    <nav class="pager" [attr.aria-label]="'activity.paging' | translate">
      <button type="button" [disabled]="page() <= 1" (click)="go.emit(page() - 1)">
        {{ 'activity.previous' | translate }}
      </button>
      <span>{{ 'activity.page-of' | translate: { page: page(), pages: pages(), total: total() } }}</span>
      <button type="button" [disabled]="page() >= pages()" (click)="go.emit(page() + 1)">
        {{ 'activity.next' | translate }}
      </button>
      <label>
        {{ 'activity.page-size' | translate }}
        <select (change)="resize.emit(+$any($event.target).value)">
          @for (size of sizes; track size) {
            <option [value]="size" [selected]="pageSize() === size">{{ size }}</option>
          }
        </select>
      </label>
    </nav>
  `,
  styleUrl: './list-page.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ListPager {
  readonly page = input.required<number>();
  readonly pageSize = input.required<number>();
  readonly total = input.required<number>();
  readonly go = output<number>();
  readonly resize = output<number>();
  protected readonly sizes = [10, 25, 50, 100] as const;
  protected readonly pages = computed(() => Math.max(1, Math.ceil(this.total() / this.pageSize())));
}
