import { httpResource } from '@angular/common/http';
import { computed } from '@angular/core';
import { MAX_PAGE_SIZE, type MachineDto, type MemberDto, type Page } from '@fabomatic/contracts';

/** The machines and (not deleted) members offered by the filters and forms. Call in an injection context. */
export function injectPickLists() {
  const machines = httpResource<Page<MachineDto>>(() => ({
    url: '/api/machines',
    params: { pageSize: MAX_PAGE_SIZE, sort: 'name' },
  }));
  const members = httpResource<Page<MemberDto>>(() => ({
    url: '/api/members',
    params: { pageSize: MAX_PAGE_SIZE, sort: 'name' },
  }));
  return {
    machines: computed(() => machines.value()?.items ?? []),
    members: computed(() => members.value()?.items ?? []),
  };
}

export function memberLabel(member: Pick<MemberDto, 'name' | 'surname'>): string {
  return `${member.name} ${member.surname}`.trim();
}
