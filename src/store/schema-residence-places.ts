/** Table type of the Art. 23 category (migration 0007); conventions as in schema.ts. */
export interface ResidenceProhibitedPlaceTable {
  place_id: string;
  place_key: string; // unit list | commune | folded detail (domain/residence/places.ts#placeKey)
  address: string; // JSON Address, as entered
  ground: string;
  decision: string;
  valid_from: string;
  lifted_on: string | null;
  lift_decision: string | null;
  /** When and by whom the lifting was recorded (the entry itself records who added it). */
  lifted_at: string | null;
  lifted_by: string | null;
  recorded_at: string;
  recorded_by: string;
}
