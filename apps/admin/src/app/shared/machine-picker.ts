import { ChangeDetectionStrategy, Component } from '@angular/core';
import type { MachineDto } from '@fabomatic/contracts';
import { TranslatePipe } from '@ngx-translate/core';
import { MACHINES_URL } from '../machines/machines-api';
import { EntityPicker, type PickerSource } from './entity-picker';

/** Machines by name or board topic id. */
export const MACHINES: PickerSource<MachineDto> = {
  url: MACHINES_URL,
  label: (machine) => machine.name,
  detail: (machine) => machine.topicId,
  detailKey: 'picker.topic-id',
};

/** Chooses one machine by typing part of its name or topic id. */
@Component({
  selector: 'app-machine-picker',
  imports: [TranslatePipe],
  templateUrl: './entity-picker.html',
  styleUrl: './entity-picker.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MachinePicker extends EntityPicker<MachineDto> {
  protected readonly source = MACHINES;
}
