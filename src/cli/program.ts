/**
 * The `dancu` command, loaded by main.ts once the runtime is checked. Every subcommand has --help;
 * configuration comes from the environment (see `dancu --help` for the variables and their defaults).
 */
import { Command, InvalidArgumentError } from 'commander';
import { CONFIG_VARIABLES, loadConfig } from '../config.js';
import { migrateStore, openRuntime, runtimeOptionsOf } from '../services/runtime.js';
import { seedPopulation } from '../services/seed.js';
import { createPrincipal, getPrincipals, isRole, revoke } from '../services/principals.js';
import { serve } from './serve.js';
import { registerCardCommands } from './commands/cards.js';
import { registerSmsSimulateCommand } from './commands/sms-simulate.js';
import { registerSubscriberCommands } from './commands/subscribers.js';
import { registerCitizenCommands } from './commands/citizens.js';
import { registerResidenceCommands } from './commands/residence.js';
import { registerWitnessCommands } from './commands/witness.js';
import { registerAuditCommands } from './commands/audit.js';
import { registerWrittenRequestCommands } from './commands/written-requests.js';
import { registerSmsCommands } from './commands/sms.js';
import { registerAccountCommands } from './commands/accounts.js';
import { registerEidCommands } from './commands/eid.js';
import { registerConsentCommands } from './commands/consents.js';
import { registerOidcClientCommands } from './commands/oidc-clients.js';
import { registerSmsReceiveCommand } from './commands/sms-receive.js';
import { progressBar } from './progress.js';
import { fail, printJson } from './output.js';
import { VERSION } from './version.js';

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a non-negative integer');
  return n;
}

const envHelp = `\nEnvironment variables:\n${CONFIG_VARIABLES.map(([n, d, m]) => `  ${n.padEnd(22)} ${m}\n  ${''.padEnd(22)} default: ${d}`).join('\n')}\n`;

const program = new Command()
  .name('dancu')
  .description('dancu — national population registry and data-exchange platform')
  .version(VERSION)
  .addHelpText('after', envHelp)
  .showHelpAfterError();

program
  .command('serve')
  .description('Migrate the store, create the demo population on first start, and serve the HTTP API')
  .option('-p, --port <port>', 'HTTP port (overrides PORT)', positiveInt)
  .option('--host <host>', 'listen address (overrides HOST)')
  .option('--no-demo', 'do not create the demo population or demo officer')
  .option('-w, --workers <n>', 'server processes sharing the port (overrides DANCU_WORKERS)', positiveInt)
  .action(async (opts: { port?: number; host?: string; demo: boolean; workers?: number }) => {
    const config = loadConfig();
    await serve({
      ...config,
      port: opts.port ?? config.port,
      host: opts.host ?? config.host,
      demoCitizens: opts.demo ? config.demoCitizens : 0,
      workers: opts.workers ?? config.workers,
    });
  });

program
  .command('migrate')
  .description('Bring the store schema and category tables to the latest migration')
  .action(async () => {
    const applied = await migrateStore(loadConfig().databaseUrl);
    process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'already up to date\n');
  });

program
  .command('seed')
  .description('Create a deterministic synthetic population (resumes an interrupted run with the same options)')
  .requiredOption('--citizens <n>', 'number of citizens', positiveInt)
  .option('--seed <s>', 'generator seed', positiveInt, 1)
  .action(async (opts: { citizens: number; seed: number }) => {
    const rt = await openRuntime(runtimeOptionsOf(loadConfig()));
    try {
      const bar = progressBar('Seeding', opts.citizens);
      const started = performance.now();
      const r = await seedPopulation(rt.store, rt.catalogue.categories, rt.ctx.clock, { ...opts, count: opts.citizens, onProgress: (d) => bar.update(d) });
      bar.finish();
      const secs = (performance.now() - started) / 1000;
      process.stdout.write(`created ${r.created} citizens (${r.skipped} already present) in ${secs.toFixed(1)} s\n`);
    } finally {
      await rt.close();
    }
  });

const officer = program.command('officer').description('Manage principals: officers, admins, inspectors and citizens');
officer
  .command('add')
  .description('Create a principal and print its bearer token (shown once, stored only hashed; it expires after DANCU_TOKEN_DEFAULT_DAYS — more with `dancu tokens create`)')
  .requiredOption('--name <name>', 'display name')
  .requiredOption('--role <role>', 'officer, admin, inspector or citizen')
  .option('--personal-id <id>', 'for --role citizen (required): the personal ID of the registered citizen it acts for')
  .option('--json', 'print JSON')
  .action(async (opts: { name: string; role: string; personalId?: string; json?: boolean }) => {
    if (!isRole(opts.role)) throw new InvalidArgumentError('role must be officer, admin, inspector or citizen');
    if (opts.role === 'citizen' && !opts.personalId) throw new InvalidArgumentError('a citizen principal needs --personal-id');
    if (opts.role !== 'citizen' && opts.personalId) throw new InvalidArgumentError('--personal-id is for --role citizen only');
    const rt = await openRuntime(runtimeOptionsOf(loadConfig()));
    try {
      const { principal, token, tokenId, expiresAt } = await createPrincipal(rt.store, rt.ctx.clock, opts.name, opts.role, undefined, { personalId: opts.personalId, token: { policy: loadConfig().auth.tokens } });
      if (opts.json) printJson({ principal, token, tokenId, expiresAt });
      else process.stdout.write(`${principal.id} ${principal.role} ${principal.name}\ntoken: ${token}\nexpires: ${expiresAt}\n`);
    } finally {
      await rt.close();
    }
  });
officer
  .command('list')
  .description('List principals')
  .option('--json', 'print JSON')
  .action(async (opts: { json?: boolean }) => {
    const rt = await openRuntime(runtimeOptionsOf(loadConfig()));
    try {
      const all = await getPrincipals(rt.store);
      if (opts.json) printJson(all);
      else for (const p of all) process.stdout.write(`${p.id}  ${p.role.padEnd(9)} ${p.revokedAt ? `revoked ${p.revokedAt}` : 'active'}  ${p.name}\n`);
    } finally {
      await rt.close();
    }
  });
officer
  .command('revoke')
  .description('Revoke a principal and all its tokens, effective on the next request')
  .argument('<id>', 'principal ID')
  .action(async (id: string) => {
    const rt = await openRuntime(runtimeOptionsOf(loadConfig()));
    try {
      await revoke(rt.store, rt.ctx.clock, id);
      process.stdout.write(`revoked ${id}\n`);
    } finally {
      await rt.close();
    }
  });

registerCitizenCommands(program);
registerCardCommands(program);
registerSmsSimulateCommand(program);
registerSubscriberCommands(program);
registerResidenceCommands(program);
registerWitnessCommands(program);
registerAuditCommands(program);
registerWrittenRequestCommands(program);
registerSmsCommands(program);
registerAccountCommands(program);
registerEidCommands(program);
registerConsentCommands(program);
registerOidcClientCommands(program);
registerSmsReceiveCommand(program);

program.parseAsync(process.argv).catch(fail);
