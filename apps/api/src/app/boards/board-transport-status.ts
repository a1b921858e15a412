import { Injectable } from '@nestjs/common';

/** Whether the board transport is connected to its broker (set by the transport's status stream). */
@Injectable()
export class BoardTransportStatus {
  connected = false;
}
