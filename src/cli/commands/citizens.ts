/** `dancu citizen get|search`: reading citizen records, each read a recorded use with its purpose. */
import { InvalidArgumentError, type Command } from 'commander';
import { getCitizen } from '../../services/citizens/read.js';
import { searchCitizens } from '../../services/citizens/search.js';
import { lifeStatusOf } from '../../domain/citizen/citizen.js';
import { dayOf } from '../../domain/dates/partial-date.js';
import { peopleInAnswer } from '../../domain/accountability/people.js';
import { printJson } from '../output.js';
import { runUse, withPurpose } from '../recorded-use.js';

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a non-negative integer');
  return n;
}

export function registerCitizenCommands(program: Command): void {
  const citizen = program.command('citizen').description('Read citizen records (each read is recorded with its --purpose)');
  withPurpose(
    citizen
      .command('get')
      .description('Print a citizen record (a cancelled number resolves to its replacement)')
      .argument('<personalId>', '12-digit personal ID'),
  ).action((personalId: string, opts: { purpose?: string }) =>
    runUse(
      { action: 'citizen get', purpose: opts.purpose, people: [personalId], answer: (r: { personalId: string }) => [r.personalId] },
      async (rt) => {
        const { citizen: c, resolvedFrom } = await getCitizen(rt.ctx, personalId);
        return { ...c, lifeStatus: lifeStatusOf(c), ...(resolvedFrom ? { resolvedFrom } : {}) };
      },
      printJson,
    ),
  );
  withPurpose(
    citizen
      .command('search')
      .description('Search by personal ID, CMND number, or name with date/year of birth; every person listed is recorded as read')
      .option('--id <personalId>', 'personal ID')
      .option('--legacy <cmnd>', '9-digit CMND number')
      .option('--name <name>', 'the whole name, surname and given name ("Nguyễn An"), or the given name alone; case and diacritics ignored; best matches first')
      .option('--dob <date>', 'date of birth: YYYY-MM-DD, YYYY-MM or YYYY')
      .option('--sex <sex>', 'male or female')
      .option('--province <code>', '2-digit province code of birth registration')
      .option('--limit <n>', 'page size (max 100)', positiveInt, 20)
      .option('--cursor <cursor>', 'next page cursor from a previous search')
      .option('--json', 'print JSON'),
  ).action((opts: { id?: string; legacy?: string; name?: string; dob?: string; sex?: 'male' | 'female'; province?: string; limit: number; cursor?: string; json?: boolean; purpose?: string }) =>
    runUse(
      // The people read are those listed (a search that finds nobody reads nobody's data).
      { action: 'citizen search', purpose: opts.purpose, answer: peopleInAnswer('personalId') },
      (rt) =>
        searchCitizens(rt.ctx, {
          personalId: opts.id,
          legacyIdNumber: opts.legacy,
          name: opts.name,
          dateOfBirth: opts.dob,
          sex: opts.sex,
          province: opts.province,
          limit: opts.limit,
          cursor: opts.cursor,
        }),
      (page, rt) => {
        if (opts.json) return printJson(page);
        const today = dayOf(rt.ctx.clock.now());
        // Said on stderr so that a script reading the list gets an empty one.
        if (page.items.length === 0) process.stderr.write(`no match / không tìm thấy${opts.cursor ? ' (no further page)' : ''}\n`);
        for (const c of page.items) {
          process.stdout.write(`${c.personalId}  ${c.dateOfBirth.padEnd(10)} ${c.sex.padEnd(6)} ${c.fullName}  ${rt.catalogue.formatAddress(c.birthRegistrationPlace, today).text}\n`);
        }
        if (page.nextCursor) process.stdout.write(`next page: --cursor ${page.nextCursor}\n`);
      },
    ),
  );
}
