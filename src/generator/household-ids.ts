/**
 * Residence file numbers for generated households. The eight random characters come from a keyed
 * permutation of the founding member's personal ID (12 digits < 2^40): they look random, depend only
 * on the seed and the family, and never repeat, because personal IDs never do. Independent random
 * draws would collide now and then among a million households, and a repeated key fails the load.
 */
import { householdIdFor } from '../domain/residence/household.js';
import { createRandom, hash32 } from './random.js';

const HALF = 1 << 20;
const HALF_MASK = HALF - 1;
const ROUNDS = 4;

function mix(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

export class HouseholdIdMaker {
  private readonly keys: Uint32Array;
  private readonly chunks = new Uint8Array(8);
  private cursor = 0;
  /** The 5-bit source householdIdFor draws from: made once, it reads the chunks of the current id. */
  private readonly nextChunk = (): number => this.chunks[this.cursor++ & 7]!;

  constructor(seed: number) {
    // The round keys come from the generator's random source, on a stream of their own for the seed.
    const rng = createRandom(hash32(seed, 'household-ids'));
    this.keys = new Uint32Array(ROUNDS);
    for (let i = 0; i < ROUNDS; i++) this.keys[i] = rng.uint32();
  }

  /** A 4-round Feistel network over two 20-bit halves: a bijection of 0..2^40-1. */
  permute(value: number): [number, number] {
    let left = Math.floor(value / HALF) & HALF_MASK;
    let right = value % HALF;
    for (let i = 0; i < ROUNDS; i++) {
      const next = left ^ (mix(right ^ this.keys[i]!) & HALF_MASK);
      left = right;
      right = next;
    }
    return [left, right];
  }

  /** The household's number in `communeCode`, keyed by the founding member's personal ID. */
  idFor(communeCode: string, founderPersonalId: string): string {
    const [left, right] = this.permute(Number(founderPersonalId));
    const c = this.chunks;
    for (let i = 0; i < 4; i++) {
      c[i] = (left >>> (15 - 5 * i)) & 31;
      c[i + 4] = (right >>> (15 - 5 * i)) & 31;
    }
    this.cursor = 0;
    return householdIdFor(communeCode, this.nextChunk);
  }
}
