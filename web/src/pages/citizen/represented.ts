/**
 * The people a citizen may act for on their pages (decision 0044, 2026-06 addition), as offered in
 * the "about whom" selector: those the citizen's own record names as their child or as a person they
 * represent, with a personal ID, each once. The server decides on every call whether the citizen
 * answers for them (a child of 14 or more answers alone): this list only offers the choice.
 */
export interface RelativeLink {
  relation: string;
  personalId?: string;
  fullName: string;
}

export interface RepresentedPerson {
  personalId: string;
  fullName: string;
  relation: 'child' | 'representedPerson';
}

export function representedPeople(relatives: readonly RelativeLink[]): RepresentedPerson[] {
  const out: RepresentedPerson[] = [];
  for (const r of relatives) {
    if (r.relation !== 'child' && r.relation !== 'representedPerson') continue;
    if (!r.personalId || out.some((p) => p.personalId === r.personalId)) continue;
    out.push({ personalId: r.personalId, fullName: r.fullName, relation: r.relation });
  }
  return out;
}
