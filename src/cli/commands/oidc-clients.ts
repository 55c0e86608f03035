/**
 * `dancu oidc-clients create|list|suspend|activate`: the relying parties of the OpenID Connect
 * provider, as administrators register them over HTTP (/oidc-clients; decision 0043).
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { changeOidcClient, getOidcClients, registerOidcClient } from '../../services/oidc/clients.js';
import type { Jwks } from '../../domain/exchange/agency.js';
import { printJson } from '../output.js';
import { CLI_ACTOR, withRuntime } from './runtime.js';

const collect = (v: string, all: string[] = []) => [...all, v];

/** `name` (optional) or `name:required`. */
function claimOf(v: string): { claim: string; required: boolean } {
  const [claim = '', flag] = v.split(':');
  if (flag !== undefined && flag !== 'required' && flag !== 'optional') throw new InvalidArgumentError('a claim is name, name:optional or name:required');
  return { claim, required: flag === 'required' };
}

export function registerOidcClientCommands(program: Command): void {
  const cmd = program.command('oidc-clients').description('Relying parties (public-service portals) of the OpenID Connect provider');
  cmd
    .command('create')
    .description('Register a relying party: its public keys (private_key_jwt), redirect URIs, the claims it may ask for, the level')
    .requiredOption('--name <name>', 'the service as citizens see it on the consent page')
    .requiredOption('--purpose <purpose>', 'why it uses citizens\' data (recorded with every release)')
    .requiredOption('--jwks-file <file>', 'its public JWKS (JSON); private keys are refused')
    .requiredOption('--redirect-uri <uri>', 'a redirect URI (repeat for more)', collect)
    .option('--post-logout-uri <uri>', 'a post-logout redirect URI (repeat for more)', collect)
    .option('--claim <claim>', 'a claim it may ask for: name, name:required (repeat for more)', (v: string, all: { claim: string; required: boolean }[] = []) => [...all, claimOf(v)])
    .option('--level <level>', 'the highest e-ID level it may ask for: 1 or 2', '1')
    .option('--public-sub', 'one sub for all relying parties (default: pairwise)')
    .option('--require-par', 'accept pushed authorization requests only')
    .option('--refresh-tokens', 'issue refresh tokens (offline_access)')
    .option('--json', 'print JSON')
    .action(async (o: { name: string; purpose: string; jwksFile: string; redirectUri: string[]; postLogoutUri?: string[]; claim?: { claim: string; required: boolean }[]; level: string; publicSub?: boolean; requirePar?: boolean; refreshTokens?: boolean; json?: boolean }) => {
      if (o.level !== '1' && o.level !== '2') throw new InvalidArgumentError('--level is 1 or 2');
      const jwks = JSON.parse(readFileSync(o.jwksFile, 'utf8')) as Jwks;
      await withRuntime(async (rt) => {
        const c = await registerOidcClient(
          rt.ctx,
          { name: o.name, purpose: o.purpose, jwks, redirectUris: o.redirectUri, postLogoutRedirectUris: o.postLogoutUri ?? [], claims: o.claim ?? [], maxLevel: o.level === '2' ? 2 : 1, subjectType: o.publicSub ? 'public' : 'pairwise', requirePar: o.requirePar === true, refreshTokens: o.refreshTokens === true },
          CLI_ACTOR.principalId,
        );
        if (o.json) printJson(c);
        else process.stdout.write(`${c.clientId}\n`);
      });
    });
  cmd
    .command('list')
    .description('List relying parties')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      await withRuntime(async (rt) => {
        const all = await getOidcClients(rt.ctx);
        if (o.json) printJson(all);
        else for (const c of all) process.stdout.write(`${c.clientId}  ${c.state.padEnd(9)} level ${c.maxLevel}  ${c.name}\n`);
      });
    });
  for (const [name, state] of [['suspend', 'suspended'], ['activate', 'active']] as const) {
    cmd
      .command(name)
      .description(name === 'suspend' ? 'Suspend a relying party: refused at once (authorization, tokens, UserInfo)' : 'Reactivate a suspended relying party')
      .argument('<client-id>')
      .action(async (clientId: string) => {
        await withRuntime(async (rt) => {
          const c = await changeOidcClient(rt.ctx, clientId, { state }, CLI_ACTOR.principalId);
          process.stdout.write(`${c.clientId} ${c.state}\n`);
        });
      });
  }
}
