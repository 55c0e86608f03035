/**
 * Residence tests through the services, without HTTP: a store of the test file's own, an officer,
 * people born to order, applications filed and approved as that officer. The addresses are the HTTP
 * helpers' (support/residence.ts).
 */
import { after, before } from 'node:test';
import { openTestRuntime, type TestRuntime } from './store.js';
import { fixedClock } from '../../src/services/clock.js';
import { registerBirth } from '../../src/services/citizens/register.js';
import { approveApplication, submitApplication, type ApplicationView } from '../../src/services/residence/applications.js';
import type { ResidenceRequest } from '../../src/domain/residence/requests.js';
import type { Actor } from '../../src/services/context.js';

export { HANG_BAC, NGOC_HA, OWNED } from './residence.js';

export const SERVICES_CLOCK = fixedClock('2026-06-01T03:00:00.000Z');
export const OFFICER: Actor = { principalId: 'test-officer', role: 'officer' };

export interface ResidenceServices {
  /** Open from the file's `before` hook on; dropped after the file. */
  readonly rt: TestRuntime;
  /** A person born to order (names numbered from `namePrefix`), adult, female. */
  person(): Promise<string>;
  file(r: ResidenceRequest): Promise<ApplicationView>;
  approve(app: ApplicationView): Promise<ApplicationView>;
}

/** Registers the file's before/after hooks: call once, at the top of a test file. */
export function residenceServices(namePrefix: string): ResidenceServices {
  let opened: TestRuntime | undefined;
  let born = 0;
  before(async () => {
    opened = await openTestRuntime(SERVICES_CLOCK);
  });
  after(async () => opened?.dropDatabase());
  const rt = (): TestRuntime => {
    if (!opened) throw new Error('the runtime opens in the before hook');
    return opened;
  };
  return {
    get rt() {
      return rt();
    },
    person: async () =>
      (
        await registerBirth(rt().ctx, OFFICER, {
          fullName: `${namePrefix} ${born++}`, dateOfBirth: '1988-03-04', sex: 'female', ethnicity: '01', nationality: 'VN',
          birthRegistrationPlace: { country: 'VN', unitSet: 'pre2025', unitCode: '00004', detail: 'UBND' },
        })
      ).personalId,
    file: (r) => submitApplication(rt().ctx, rt().catalogue, OFFICER, r),
    approve: (app) => approveApplication(rt().ctx, rt().catalogue, OFFICER, app.applicationId),
  };
}
