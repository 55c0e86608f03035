/** Time is injected (DESIGN §3.6): services read it from a Clock, tests pass a fixed one. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock stopped at an instant; `advance` moves it (tests). */
export function fixedClock(iso: string): Clock & { set(iso: string): void; advance(ms: number): void } {
  let t = new Date(iso).getTime();
  return {
    now: () => new Date(t),
    set: (v: string) => {
      t = new Date(v).getTime();
    },
    advance: (ms: number) => {
      t += ms;
    },
  };
}
