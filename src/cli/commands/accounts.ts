/**
 * `dancu accounts …` (officer, administrator and inspector accounts that sign in) and
 * `dancu tokens …` (bearer tokens for machines and the CLI, which expire). Decision 0038.
 * `dancu officer add|list|revoke` stay for principals with a token only.
 */
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { loadConfig } from '../../config.js';
import { createAccount, getAccounts, lockLoginAccount, resetPassword, unlockLoginAccount, ACCOUNT_ROLES } from '../../services/auth/accounts.js';
import { getTokens, issueToken, revokeTokenById } from '../../services/principals.js';
import { printJson } from '../output.js';
import { CLI_ACTOR, withRuntime } from './runtime.js';
import type { Runtime } from '../../services/runtime.js';
import type { AuthDeps } from '../../services/auth/sign-in.js';

function days(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number of days, at least 1');
  return n;
}

const deps = (rt: Runtime): AuthDeps => ({ store: rt.store, clock: rt.ctx.clock, settings: loadConfig().auth });

export function registerAccountCommands(program: Command): void {
  const accounts = program.command('accounts').description('Accounts that sign in with a password and a second factor (officers, administrators, inspectors)');
  accounts
    .command('create')
    .description('Create an account and print its one-time initial password (shown once); the officer sets their own and enrols TOTP at first sign-in')
    .requiredOption('--name <name>', 'display name')
    .requiredOption('--login <login>', 'login name: 3–64 of a–z, 0–9, dot, hyphen, underscore')
    .requiredOption('--role <role>', 'officer, admin, inspector or agency (its --unit: the agency code)')
    .option('--unit <unit>', 'the officer\'s unit (e.g. a commune police station)')
    .option('--sms-phone <number>', 'a Vietnamese mobile number: sign-in codes go there by SMS instead of TOTP')
    .option('--json', 'print JSON')
    .action(async (opts: { name: string; login: string; role: string; unit?: string; smsPhone?: string; json?: boolean }) => {
      if (!(ACCOUNT_ROLES as readonly string[]).includes(opts.role)) throw new InvalidArgumentError('role must be officer, admin, inspector or agency');
      await withRuntime(async (rt) => {
        const r = await createAccount(deps(rt), opts, CLI_ACTOR.principalId);
        if (opts.json) printJson(r);
        else process.stdout.write(`${r.account.principalId} ${r.account.role} ${r.account.login}\ninitial password (shown once): ${r.initialPassword}\n`);
      });
    });
  accounts
    .command('list')
    .description('List accounts (no secrets)')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      await withRuntime(async (rt) => {
        const all = await getAccounts(deps(rt));
        if (opts.json) printJson(all);
        else for (const a of all) process.stdout.write(`${a.principalId}  ${a.role.padEnd(9)} ${a.login.padEnd(24)} ${a.lockedAt ? `locked ${a.lockedAt}` : a.revokedAt ? 'revoked' : a.mustChangePassword ? 'must set password' : a.secondFactor ? 'active' : 'must enrol TOTP'}  ${a.name}\n`);
      });
    });
  accounts
    .command('reset-password')
    .description('Give an account a new one-time password (shown once); its sessions end; the second factor is kept unless --reset-second-factor')
    .argument('<principal-id>', 'the account\'s principal ID')
    .option('--reset-second-factor', 'also forget its TOTP secret: it enrols again at next sign-in')
    .action(async (id: string, opts: { resetSecondFactor?: boolean }) => {
      await withRuntime(async (rt) => {
        const r = await resetPassword(deps(rt), id, { resetSecondFactor: opts.resetSecondFactor === true }, CLI_ACTOR.principalId);
        process.stdout.write(`initial password (shown once): ${r.initialPassword}\n`);
      });
    });
  accounts
    .command('lock')
    .description('Lock an account: no sign-in; its sessions and tokens are refused from the next request')
    .argument('<principal-id>', 'the account\'s principal ID')
    .requiredOption('--reason <reason>', 'why (recorded)')
    .action(async (id: string, opts: { reason: string }) => {
      await withRuntime(async (rt) => {
        await lockLoginAccount(deps(rt), id, opts.reason, CLI_ACTOR.principalId);
        process.stdout.write(`locked ${id}\n`);
      });
    });
  accounts
    .command('unlock')
    .description('Unlock an account')
    .argument('<principal-id>', 'the account\'s principal ID')
    .action(async (id: string) => {
      await withRuntime(async (rt) => {
        await unlockLoginAccount(deps(rt), id, CLI_ACTOR.principalId);
        process.stdout.write(`unlocked ${id}\n`);
      });
    });

  const tokens = program.command('tokens').description('Bearer tokens of principals (machines, the CLI): they expire, are listed without their secret, and can be revoked');
  tokens
    .command('create')
    .description('Create a token for a principal and print it (shown once, stored only hashed)')
    .requiredOption('--principal <id>', 'principal ID')
    .option('--days <n>', 'lifetime in days (default DANCU_TOKEN_DEFAULT_DAYS, at most DANCU_TOKEN_MAX_DAYS)', days)
    .option('--label <label>', 'what the token is for')
    .option('--json', 'print JSON')
    .action(async (opts: { principal: string; days?: number; label?: string; json?: boolean }) => {
      await withRuntime(async (rt) => {
        const r = await issueToken(rt.store, rt.ctx.clock, opts.principal, CLI_ACTOR.principalId, { days: opts.days, label: opts.label, policy: loadConfig().auth.tokens });
        if (opts.json) printJson(r);
        else process.stdout.write(`${r.tokenId} expires ${r.expiresAt}\ntoken: ${r.token}\n`);
      });
    });
  tokens
    .command('list')
    .description('List tokens by public ID, with expiry and revocation (never the token itself)')
    .option('--principal <id>', 'only this principal\'s')
    .option('--json', 'print JSON')
    .action(async (opts: { principal?: string; json?: boolean }) => {
      await withRuntime(async (rt) => {
        const all = await getTokens(rt.store, opts.principal);
        const now = rt.ctx.clock.now().toISOString();
        if (opts.json) printJson(all);
        else for (const t of all) process.stdout.write(`${t.tokenId}  ${t.principalId}  ${t.revokedAt ? `revoked ${t.revokedAt}` : t.expiresAt <= now ? `expired ${t.expiresAt}` : `expires ${t.expiresAt}`}${t.label ? `  ${t.label}` : ''}\n`);
      });
    });
  tokens
    .command('revoke')
    .description('Revoke one token, effective on the next request')
    .argument('<token-id>', 'the token\'s public ID (16 hex digits, from tokens list)')
    .action(async (tokenId: string) => {
      await withRuntime(async (rt) => {
        await revokeTokenById(rt.store, rt.ctx.clock, tokenId, CLI_ACTOR.principalId);
        process.stdout.write(`revoked ${tokenId}\n`);
      });
    });
}
