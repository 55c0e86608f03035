/** The inspector's purpose, asked once for the area and sent as X-Purpose with every reading of the log. */
import { createContext, useContext, useState, type ReactNode } from 'react';
import { TextField } from '../../components/Field.js';
import { useT } from '../../i18n/context.js';
import { inspector } from './messages.js';
import { purposeHeader } from '../../api/purpose.js';

const PurposeContext = createContext<{ purpose: string; setPurpose(p: string): void }>({ purpose: '', setPurpose: () => undefined });

export function PurposeProvider({ children }: { children: ReactNode }) {
  const [purpose, setPurpose] = useState('');
  return <PurposeContext.Provider value={{ purpose, setPurpose }}>{children}</PurposeContext.Provider>;
}

/** `purpose` as typed (for the field); `header` ready for the API client's `purpose` (percent-encoded when not plain ASCII). */
export function usePurpose() {
  const c = useContext(PurposeContext);
  return { ...c, header: purposeHeader(c.purpose.trim()) };
}

export function PurposeField({ error }: { error?: string | undefined }) {
  const t = useT(inspector);
  const { purpose, setPurpose } = usePurpose();
  return <TextField label={t('purpose.label')} hint={t('purpose.hint')} value={purpose} onChange={(e) => setPurpose(e.target.value)} error={error} required maxLength={200} />;
}

/** A day typed as yyyy-mm-dd, as the instant it starts in Vietnam (UTC+7, no daylight saving). */
export function vietnamDayStart(day: string, plusDays = 0): string {
  return new Date(Date.parse(`${day}T00:00:00+07:00`) + plusDays * 86_400_000).toISOString();
}
