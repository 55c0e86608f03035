/**
 * Who heads a generated family's household and how each member relates to the head, read from the
 * family links the generator wrote (spouse, father/mother, child). Pure. Families are small, so the
 * links are bit masks over member indices in buffers reused from family to family: this runs once
 * per generated family and must stay cheap next to generating the people.
 */
import type { Relationship } from '../domain/residence/household.js';
import { MARITAL } from './attributes.js';
import type { GeneratedCitizen } from './person.js';

/** Bit masks hold one bit per member. */
export const MAX_KIN = 31;

export class Kinship {
  /** Members linked as spouse / parent / child of member i, as bit masks over indices. */
  readonly spouses = new Int32Array(MAX_KIN);
  readonly parents = new Int32Array(MAX_KIN);
  readonly children = new Int32Array(MAX_KIN);
  /** 0 for the founding adults, +1 per parent link down; a married-in spouse takes their partner's. */
  readonly generation = new Int8Array(MAX_KIN);
  size = 0;
  private family: readonly GeneratedCitizen[] = [];

  /** Reads the links of `family` (replacing the previous family's). */
  read(family: readonly GeneratedCitizen[]): this {
    const n = family.length;
    if (n > MAX_KIN) throw new RangeError(`a family of ${n} is larger than ${MAX_KIN}`);
    this.family = family;
    this.size = n;
    for (let i = 0; i < n; i++) {
      let spouses = 0;
      let parents = 0;
      let children = 0;
      for (const r of family[i]!.relatives) {
        let j = -1;
        for (let k = 0; k < n; k++) {
          if (family[k]!.personalId === r.personalId) {
            j = k;
            break;
          }
        }
        if (j < 0) continue; // not in this family (the generator links only within it)
        if (r.relation === 'spouse') spouses |= 1 << j;
        else if (r.relation === 'father' || r.relation === 'mother') parents |= 1 << j;
        else if (r.relation === 'child') children |= 1 << j;
      }
      this.spouses[i] = spouses;
      this.parents[i] = parents;
      this.children[i] = children;
      this.generation[i] = -1;
    }
    for (let i = 0; i < n; i++) this.generationOf(i);
    return this;
  }

  private generationOf(i: number): number {
    const known = this.generation[i]!;
    if (known >= 0) return known;
    let g = 0;
    const parents = this.parents[i]!;
    if (parents !== 0) g = this.generationOf(31 - Math.clz32(parents)) + 1;
    else {
      // Married in: the partner born here places them (two partners never both married in).
      const spouses = this.spouses[i]!;
      for (let s = 0; s < this.size; s++) {
        if ((spouses >>> s) & 1 && this.parents[s] !== 0) {
          g = this.generationOf(s);
          break;
        }
      }
    }
    this.generation[i] = g;
    return g;
  }

  /**
   * The index of the member who heads the household among the members whose bit is set in
   * `eligible` (living adults with full civil capacity): the oldest generation first, married people
   * before the others, then the oldest. -1 when nobody is eligible (the headship stays vacant).
   */
  chooseHead(eligible: number): number {
    let best = -1;
    for (let i = 0; i < this.size; i++) {
      if (((eligible >>> i) & 1) === 0) continue;
      if (best < 0 || this.ranksBefore(i, best)) best = i;
    }
    return best;
  }

  private ranksBefore(a: number, b: number): boolean {
    const ga = this.generation[a]!;
    const gb = this.generation[b]!;
    if (ga !== gb) return ga < gb;
    const ma = this.family[a]!.maritalStatus === MARITAL.married;
    const mb = this.family[b]!.maritalStatus === MARITAL.married;
    if (ma !== mb) return ma;
    // Partial dates ("1950") sort before full dates of the same year: close enough for "the oldest".
    return this.family[a]!.dateOfBirth < this.family[b]!.dateOfBirth;
  }

  /** How member `m` relates to head `h` (both indices), from the links; other kin by default. */
  relationshipTo(h: number, m: number): Relationship {
    if (m === h) return 'head';
    const bit = 1 << m;
    const male = this.family[m]!.sex === 'male';
    if (this.spouses[h]! & bit) return male ? 'husband' : 'wife';
    if (this.children[h]! & bit) return 'child';
    if (this.parents[h]! & bit) return male ? 'father' : 'mother';
    let grandchildren = 0;
    let grandparents = 0;
    let siblings = 0;
    for (let i = 0; i < this.size; i++) {
      if ((this.children[h]! >>> i) & 1) grandchildren |= this.children[i]!;
      if ((this.parents[h]! >>> i) & 1) {
        grandparents |= this.parents[i]!;
        siblings |= this.children[i]!;
      }
    }
    if (grandchildren & bit) return 'grandchild';
    if (grandparents & bit) return 'grandparent';
    if (siblings & bit) return 'sibling';
    // In-laws (a child's spouse, a spouse's sibling) have no code of their own on form CT01.
    return 'other_relative';
  }
}
