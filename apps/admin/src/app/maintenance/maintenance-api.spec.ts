import type { HttpTestingController } from '@angular/common/http/testing';
import type {
  InterventionDto,
  InterventionInput,
  MaintenancePlanDto,
  MaintenancePlanInput,
} from '@fabomatic/contracts';
import { answer, apiUnderTest } from '../core/api-test-helpers';
import { MaintenanceApi } from './maintenance-api';

const PLAN = { id: 5, machineId: 3, description: 'Clean the lens' } as MaintenancePlanDto;
const PLAN_INPUT = { machineId: 3, description: 'Clean the lens', hoursBetween: 10 } as MaintenancePlanInput;
const INTERVENTION = { id: 9, machineId: 3 } as InterventionDto;
const INTERVENTION_INPUT = { machineId: 3, planId: 5 } as InterventionInput;

describe('the maintenance API client', () => {
  let api: MaintenanceApi;
  let http: HttpTestingController;

  beforeEach(() => ({ api, http } = apiUnderTest(MaintenanceApi)));
  afterEach(() => http.verify());

  it('lists plans and interventions for httpResources', () => {
    expect(api.plansRequest({ machineId: 3 })).toEqual({
      url: '/api/maintenance-plans',
      params: { machineId: 3 },
    });
    expect(api.interventionsRequest({ from: '2026-01-01' })).toEqual({
      url: '/api/interventions',
      params: { from: '2026-01-01' },
    });
  });

  it('reads, creates and updates a plan', async () => {
    const read = api.plan('5');
    answer(http, 'GET', '/api/maintenance-plans/5', PLAN);
    await expect(read).resolves.toEqual(PLAN);

    const created = api.createPlan(PLAN_INPUT);
    expect(answer(http, 'POST', '/api/maintenance-plans', PLAN).body).toEqual(PLAN_INPUT);
    await expect(created).resolves.toEqual(PLAN);

    const updated = api.updatePlan('5', PLAN_INPUT);
    expect(answer(http, 'PATCH', '/api/maintenance-plans/5', PLAN).body).toEqual(PLAN_INPUT);
    await expect(updated).resolves.toEqual(PLAN);
  });

  it('records an intervention', async () => {
    const recorded = api.createIntervention(INTERVENTION_INPUT);
    expect(answer(http, 'POST', '/api/interventions', INTERVENTION).body).toEqual(INTERVENTION_INPUT);
    await expect(recorded).resolves.toEqual(INTERVENTION);
  });
});
