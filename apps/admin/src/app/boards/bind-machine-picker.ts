import { ChangeDetectionStrategy, Component } from '@angular/core';
import type { MachineDto } from '@fabomatic/contracts';
import { TranslatePipe } from '@ngx-translate/core';
import { EntityPicker, type PickerSource } from '../shared/entity-picker';
import { MACHINES } from '../shared/machine-picker';

/** Machines to bind a board to, those that have a board (online or not) marked so. */
export const BIND_MACHINES: PickerSource<MachineDto> = {
  ...MACHINES,
  mark: (machine) =>
    machine.board && {
      key: 'boards.has-board',
      params: { serial: machine.board.serial ?? machine.topicId },
    },
};

/** The machine picker of "Bind to a machine". */
@Component({
  selector: 'app-bind-machine-picker',
  imports: [TranslatePipe],
  templateUrl: '../shared/entity-picker.html',
  styleUrl: '../shared/entity-picker.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class BindMachinePicker extends EntityPicker<MachineDto> {
  protected readonly source = BIND_MACHINES;
}
