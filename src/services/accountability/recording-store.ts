/**
 * A store whose transactions carry the request's record (decision 0027): when the request in scope
 * changes data, its access entry is written inside the change's transaction, just before commit —
 * so a change and the record of who made it commit together or not at all, with no service or
 * handler writing it by hand.
 */
import { performance } from 'node:perf_hooks';
import type { Store } from '../../store/connect.js';
import type { Recorder } from './recorder.js';
import { currentScope, type UseScope } from './scope.js';
import type { NewAccessEntry } from './recorder.js';

/** The entry of a use in scope, once its outcome is known. */
export function entryOfScope(scope: UseScope, outcome: { httpStatus: number; errorCode?: string; fields?: string[] }): NewAccessEntry {
  const { fields: declaredFields, successStatus: _status, ...draft } = scope.draft;
  const served = outcome.httpStatus < 400;
  return {
    ...draft,
    fields: served ? (outcome.fields ?? declaredFields ?? []) : [],
    outcome: served ? 'served' : 'refused',
    ...(outcome.errorCode ? { errorCode: outcome.errorCode } : {}),
    httpStatus: outcome.httpStatus,
    latencyMs: Math.round((performance.now() - scope.startedMs) * 1000) / 1000,
    feeVnd: 0,
  };
}

export function withRecording(store: Store, recorder: Recorder): Store {
  return {
    ...store,
    async transaction(fn) {
      const scope = currentScope();
      const open = scope !== undefined && scope.recordInChange && !scope.recorded && scope.tentative === undefined;
      try {
        const result = await store.transaction(async (tx) => {
          const r = await fn(tx);
          if (open) {
            // People the request did not name (a birth's new number, an application's applicant)
            // are read from what the change produced, before it commits.
            if (scope.draft.personalIds.length === 0 && scope.peopleOfResult) scope.draft.personalIds = scope.peopleOfResult(r);
            if (scope.draft.personalIds.length > 0) {
              const entry = await recorder.recordInTransaction(tx, entryOfScope(scope, scope.refusal ?? { httpStatus: scope.draft.successStatus ?? 200 }));
              scope.tentative = entry.entryId;
            }
          }
          return r;
        });
        if (open && scope.tentative !== undefined) scope.recorded = true;
        return result;
      } catch (e) {
        if (open) scope.tentative = undefined;
        throw e;
      }
    },
  };
}
