/**
 * The use a request is making, carried with it through the services (AsyncLocalStorage), so that
 * the one recording mechanism can write its entry inside the transaction of any change the request
 * makes (DESIGN §3.3–3.4) without each service or handler doing it. The HTTP layer opens a scope per
 * request; the CLI and jobs open one per command.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { AccessEntry } from '../../store/repositories/access-log.js';

/** What is known of a use before its outcome: who, through what, why, about whom. */
export type UseDraft = Omit<AccessEntry, 'entryId' | 'fields' | 'outcome' | 'httpStatus' | 'latencyMs' | 'feeVnd' | 'errorCode'> & {
  /** Fields the use releases when it is served (routes that change data state them up front). */
  fields?: string[];
  /** The status a served request answers with (recorded with a change, before the answer exists). */
  successStatus?: number;
};

export interface UseScope {
  draft: UseDraft;
  /** Record inside the first transaction the request commits (a change), if the people are known. */
  recordInChange: boolean;
  /** Set once the use's entry is committed: nothing records it twice. */
  recorded: boolean;
  /** The people a change concerns, read from what its transaction returns (when the request names none). */
  peopleOfResult?: (result: unknown) => string[];
  /**
   * A use refused whose entry commits with the channel's answer to it (an SMS reply that tells the
   * sender nothing of the refusal): written as refused, with this status and code.
   */
  refusal?: { httpStatus: number; errorCode: string };
  /** The entry ID written inside a transaction not yet committed. */
  tentative?: string;
  startedMs: number;
}

const storage = new AsyncLocalStorage<UseScope>();

export function runInScope<T>(scope: UseScope, fn: () => T): T {
  return storage.run(scope, fn);
}

export function currentScope(): UseScope | undefined {
  return storage.getStore();
}

/**
 * A change names the people it concerns once it knows them (inside its transaction, before the
 * entry is written): for changes reached by another key (a grievance by its ID).
 */
export function concerning(personalIds: readonly string[]): void {
  const scope = storage.getStore();
  if (!scope || scope.recorded || scope.tentative !== undefined) return;
  scope.draft.personalIds = [...new Set([...scope.draft.personalIds, ...personalIds])];
}
