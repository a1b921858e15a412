import { ChangeDetectionStrategy, Component } from '@angular/core';
import type { MemberDto } from '@fabomatic/contracts';
import { TranslatePipe } from '@ngx-translate/core';
import { MEMBERS_URL } from '../members/members-api';
import { EntityPicker, type PickerSource } from './entity-picker';

export function memberLabel(member: Pick<MemberDto, 'name' | 'surname'>): string {
  return `${member.name} ${member.surname}`.trim();
}

/** Members by name, surname, email or card (deleted members are not offered). */
export const MEMBERS: PickerSource<MemberDto> = {
  url: MEMBERS_URL,
  label: memberLabel,
  detail: (member) => member.email ?? member.cardUid,
};

/** Chooses one member by typing part of their name, email or card. */
@Component({
  selector: 'app-member-picker',
  imports: [TranslatePipe],
  templateUrl: './entity-picker.html',
  styleUrl: './entity-picker.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MemberPicker extends EntityPicker<MemberDto> {
  protected readonly source = MEMBERS;
}
