/**
 * Time-ordered IDs unique across processes without a random draw per ID: the instant (digits only),
 * this process's random tag, and a counter of the given width. Entry IDs and leaf IDs are made so.
 */
import { randomBytes } from 'node:crypto';

const PROCESS_TAG = randomBytes(5).toString('hex');

export function timeOrderedIds(counterDigits: number): (at: string) => string {
  const wrap = 10 ** counterDigits;
  let counter = 0;
  // A batch makes many IDs at one instant (a subscriber import: two per line): its digits once.
  let lastAt = '';
  let lastDigits = '';
  return (at) => {
    counter = (counter + 1) % wrap;
    if (at !== lastAt) {
      lastDigits = at.replace(/[-:.TZ]/g, '');
      lastAt = at;
    }
    return `${lastDigits}${PROCESS_TAG}${String(counter).padStart(counterDigits, '0')}`;
  };
}
