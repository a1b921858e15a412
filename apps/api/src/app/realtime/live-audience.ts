import { Injectable } from '@nestjs/common';

/** How many dashboards are connected: work done only for them is skipped when nobody watches. */
@Injectable()
export class LiveAudience {
  connected = 0;
}
