import { ChangeDetectionStrategy, Component } from '@angular/core';
import { MY_DATA_DATASETS } from '@fabomatic/contracts';
import { TranslatePipe } from '@ngx-translate/core';
import { MY_DATA_JSON_URL, myDataCsvUrl } from './my-data-api';

/** `/me/data`: the right of access: everything stored about the member, as JSON or one CSV per dataset. */
@Component({
  selector: 'app-my-downloads',
  imports: [TranslatePipe],
  styleUrls: ['../../shared/page.css', './my-data.css'],
  template: `
    <main>
      <h1>{{ 'my-data.data.title' | translate }}</h1>
      <p>{{ 'my-data.data.intro' | translate }}</p>

      <h2>{{ 'my-data.data.all' | translate }}</h2>
      <p>
        <a class="button" [href]="jsonUrl" download>{{ 'my-data.data.json' | translate }}</a>
      </p>
      <p class="hint">{{ 'my-data.data.json-hint' | translate }}</p>

      <h2 id="my-csv">{{ 'my-data.data.csv' | translate }}</h2>
      <p class="hint">{{ 'my-data.data.csv-hint' | translate }}</p>
      <ul class="cards" aria-labelledby="my-csv">
        @for (dataset of datasets; track dataset) {
          <li>
            <h3>
              <a [href]="csvUrl(dataset)" download>{{
                'my-data.data.datasets.' + dataset + '.name' | translate
              }}</a>
            </h3>
            <p class="meta">{{ 'my-data.data.datasets.' + dataset + '.what' | translate }}</p>
          </li>
        }
      </ul>
      <p class="hint">{{ 'my-data.data.rights' | translate }}</p>
    </main>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MyDownloads {
  protected readonly datasets = MY_DATA_DATASETS;
  protected readonly jsonUrl = MY_DATA_JSON_URL;
  protected readonly csvUrl = myDataCsvUrl;
}
