/**
 * One residence application (its ID comes in history state, not the URL): the form as filed, the
 * deadline, the steps so far, and the decision — approve, request documents (CT05), record them
 * supplied, or refuse with reasons (CT06).
 */
import { useState, type FormEvent } from 'react';
import { api } from '../../api/client.js';
import type { Problem } from '../../api/problem.js';
import { Button } from '../../components/Button.js';
import { TextField } from '../../components/Field.js';
import { Page, Section } from '../../components/Page.js';
import { Empty, ErrorState, Loading } from '../../components/States.js';
import { problemOf, useApi } from '../../components/useApi.js';
import { formatDate, formatDateTime } from '../../format/date.js';
import { useT } from '../../i18n/context.js';
import { Link, usePageState } from '../../router.js';
import { PurposeGate, useCase } from './CaseContext.js';
import { linesOf } from './forms.js';
import { useLabels } from './labels.js';
import { officer } from './messages.js';
import { DeadlineText } from './Queue.js';
import { TextArea } from '../../components/TextArea.js';
import type { ApplicationView } from './types.js';

const DATE_LIKE = /^\d{4}-\d{2}(-\d{2})?(T[\d:.]+(Z|[+-]\d{2}:\d{2}))?$/;

/** A value of the filed form as text: dates as Vietnamese write them, lists and parts spelled out. */
function shown(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return DATE_LIKE.test(v) ? formatDateTime(v) : v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return v.map(shown).join('; ');
  return Object.entries(v as Record<string, unknown>)
    .map(([k, x]) => `${k}: ${shown(x)}`)
    .join(', ');
}

function Decide({ application, onChanged }: { application: ApplicationView; onChanged(a: ApplicationView, message: string): void }) {
  const t = useT(officer);
  const { purpose } = useCase();
  const [note, setNote] = useState('');
  const [reasons, setReasons] = useState('');
  const [documents, setDocuments] = useState('');
  const [errors, setErrors] = useState<{ reasons?: string; documents?: string }>({});
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | undefined>();
  const path = `/residence/applications/${encodeURIComponent(application.applicationId)}`;

  const act = async (suffix: string, body: unknown, message: string) => {
    setBusy(true);
    setProblem(undefined);
    try {
      onChanged(await api<ApplicationView>('POST', `${path}/${suffix}`, { body, purpose }), message);
    } catch (e) {
      setProblem(problemOf(e));
    } finally {
      setBusy(false);
    }
  };
  const withNote = note.trim() ? { note: note.trim() } : {};
  const refuse = (e: FormEvent) => {
    e.preventDefault();
    const list = linesOf(reasons);
    if (list.length === 0) return setErrors({ reasons: t('application.reasonsRequired') });
    setErrors({});
    void act('refusal', { reasons: list }, t('application.refused'));
  };
  const request = (e: FormEvent) => {
    e.preventDefault();
    const list = linesOf(documents);
    if (list.length === 0) return setErrors({ documents: t('application.documentsRequired') });
    setErrors({});
    void act('document-requests', { documents: list, ...withNote }, t('application.requested'));
  };

  return (
    <Section title={t('application.decide')}>
      {problem ? <ErrorState problem={problem} /> : null}
      <div className="form">
        <TextField label={t('application.note')} value={note} maxLength={1000} onChange={(e) => setNote(e.target.value)} />
        <div className="form-inline">
          <Button busy={busy} onClick={() => void act('approval', withNote, t('application.approved'))}>
            {t('application.approve')}
          </Button>
          {application.status === 'documents_requested' ? (
            <Button variant="secondary" busy={busy} onClick={() => void act('documents', withNote, t('application.suppliedDone'))}>
              {t('application.supplied')}
            </Button>
          ) : null}
        </div>
      </div>
      <form className="form" onSubmit={request} noValidate>
        <TextArea label={t('application.documents')} value={documents} error={errors.documents} onChange={(e) => setDocuments(e.target.value)} />
        <Button type="submit" variant="secondary" busy={busy}>
          {t('application.request')}
        </Button>
      </form>
      <form className="form" onSubmit={refuse} noValidate>
        <TextArea label={t('application.reasons')} value={reasons} error={errors.reasons} onChange={(e) => setReasons(e.target.value)} />
        <Button type="submit" variant="danger" busy={busy}>
          {t('application.refuse')}
        </Button>
      </form>
    </Section>
  );
}

function Application({ applicationId }: { applicationId: string }) {
  const t = useT(officer);
  const label = useLabels();
  const { purpose } = useCase();
  const [message, setMessage] = useState<string | undefined>();
  const [changed, setChanged] = useState<ApplicationView | undefined>();
  const loaded = useApi((signal) => api<ApplicationView>('GET', `/residence/applications/${encodeURIComponent(applicationId)}`, { signal, purpose }), [applicationId, purpose]);
  if (loaded.status === 'loading') return <Loading />;
  if (loaded.status === 'failed') return <ErrorState problem={loaded.problem} onRetry={loaded.reload} />;
  const a = changed ?? loaded.value;
  const open = a.status === 'submitted' || a.status === 'documents_requested';
  return (
    <>
      {message ? (
        <p className="verdict verdict-good" role="status">
          {message}
        </p>
      ) : null}
      <dl className="facts">
        <dt>{t('applications.procedure')}</dt>
        <dd>
          {a.procedureName}
          {a.tthc ? ` (${a.tthc})` : ''}
        </dd>
        <dt>{t('applications.state')}</dt>
        <dd>{label.applicationStatus(a.status)}</dd>
        <dt>{t('applications.receivedOn')}</dt>
        <dd>{formatDate(a.receivedOn)}</dd>
        <dt>{t('applications.deadline')}</dt>
        <dd>
          <DeadlineText deadline={a.deadline} />
        </dd>
      </dl>
      <Section title={t('application.form')}>
        <dl className="facts">
          {Object.entries(a.request).map(([k, v]) => (
            <div key={k} className="fact">
              <dt>{label.formField(k)}</dt>
              <dd>{shown(v)}</dd>
            </div>
          ))}
        </dl>
      </Section>
      <Section title={t('application.steps')}>
        <ol>
          {a.steps.map((s, i) => (
            <li key={i}>
              {t('application.step', { at: formatDateTime(s.at), action: s.form ? `${s.action} (${s.form})` : s.action })}
              {s.items?.length ? `: ${s.items.join('; ')}` : ''}
              {s.note ? ` — ${s.note}` : ''}
            </li>
          ))}
        </ol>
      </Section>
      {a.outcome ? (
        <Section title={t('application.outcome')}>
          <p>{shown(a.outcome)}</p>
        </Section>
      ) : null}
      {open ? (
        <Decide
          application={a}
          onChanged={(next, text) => {
            setChanged(next);
            setMessage(text);
          }}
        />
      ) : null}
    </>
  );
}

export default function ApplicationPage() {
  const t = useT(officer);
  const state = usePageState<{ applicationId?: string }>();
  const id = state?.applicationId;
  return (
    <Page title={id ? t('application.title', { id }) : t('applications.title')}>
      <p>
        <Link to="/officer/applications">{t('application.back')}</Link>
      </p>
      {id ? (
        <PurposeGate suggested="RESIDENCE_REGISTRATION">
          <Application applicationId={id} />
        </PurposeGate>
      ) : (
        <Empty>{t('application.missing')}</Empty>
      )}
    </Page>
  );
}
