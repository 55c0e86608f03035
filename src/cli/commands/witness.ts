/**
 * `dancu witness serve` and `dancu witness key`: an independent C2SP tlog-witness that an
 * inspectorate or another ministry runs on its own machine (src/witness; decision 0035).
 */
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { readWitnessConfig } from '../../witness/config.js';
import { loadOrCreateKey } from '../../witness/files.js';
import { cosigner } from '../../transparency/cosignature.js';
import { isValidKeyName, SIG_TYPE_COSIGNATURE_V1, verifierKeyString } from '../../transparency/note.js';
import { startWitness } from '../../witness/server.js';

const DEFAULT_DATA_DIR = './data/witness';
const DEFAULT_PORT = 8090;

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('expected a port number 0..65535');
  return n;
}

const envHelp = `
Environment variables (flags win):
  DANCU_WITNESS_DATA_DIR   key and state directory            default: ${DEFAULT_DATA_DIR}
  DANCU_WITNESS_CONFIG     configuration file (JSON)          required for serve
  DANCU_WITNESS_PORT       HTTP port                          default: ${DEFAULT_PORT}
  DANCU_WITNESS_HOST       listen address                     default: 127.0.0.1

Configuration file:
  { "name": "thanhtra.example.vn/witness",
    "logs": [ { "origin": "registry.example.vn/dancu-log",
                "keys": ["registry.example.vn/dancu-log+1a2b3c4d+AUi..."] } ] }
  "name" is the witness's key name; each log is named by its checkpoint origin, with the log's
  verifier keys (as the registry publishes them).`;

export function registerWitnessCommands(program: Command): void {
  const witness = program
    .command('witness')
    .description('An independent transparency-log witness (C2SP tlog-witness): cosigns checkpoints consistent with the last one it saw')
    .addHelpText('after', envHelp);

  witness
    .command('serve')
    .description('Serve POST /add-checkpoint; the witness key is generated in the data directory on first start')
    .option('-p, --port <port>', `HTTP port (default ${DEFAULT_PORT})`, port)
    .option('--host <host>', 'listen address (default 127.0.0.1)')
    .option('--data-dir <dir>', `key and state directory (default ${DEFAULT_DATA_DIR})`)
    .option('--config <file>', 'configuration file (JSON): the witness name and the logs it follows')
    .addHelpText('after', envHelp)
    .action(async (opts: { port?: number; host?: string; dataDir?: string; config?: string }) => {
      const configFile = opts.config ?? process.env.DANCU_WITNESS_CONFIG;
      if (!configFile) throw new Error('give the configuration file with --config or DANCU_WITNESS_CONFIG (see dancu witness serve --help)');
      const envPort = process.env.DANCU_WITNESS_PORT;
      const running = await startWitness({
        configFile,
        dataDir: opts.dataDir ?? process.env.DANCU_WITNESS_DATA_DIR ?? DEFAULT_DATA_DIR,
        port: opts.port ?? (envPort ? port(envPort) : DEFAULT_PORT),
        host: opts.host ?? process.env.DANCU_WITNESS_HOST ?? '127.0.0.1',
      });
      process.stdout.write(`witness ${running.witness.name} listening on ${running.url}\nverifier key: ${running.witness.verifierKey}\n`);
      const stop = () => void running.close().then(() => process.exit(0));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });

  witness
    .command('key')
    .description("Print the witness's verifier key (generating the key on first use), for the logs and clients that trust it")
    .option('--data-dir <dir>', `key directory (default ${DEFAULT_DATA_DIR})`)
    .option('--config <file>', 'take the witness name from this configuration file')
    .option('--name <name>', 'the witness key name (instead of --config)')
    .addHelpText('after', envHelp)
    .action((opts: { dataDir?: string; config?: string; name?: string }) => {
      const configFile = opts.config ?? process.env.DANCU_WITNESS_CONFIG;
      const name = opts.name ?? (configFile ? readWitnessConfig(configFile).name : undefined);
      if (name === undefined || !isValidKeyName(name)) throw new Error('give the witness name with --name or --config');
      const key = cosigner(name, loadOrCreateKey(opts.dataDir ?? process.env.DANCU_WITNESS_DATA_DIR ?? DEFAULT_DATA_DIR));
      process.stdout.write(`${verifierKeyString(key.name, key.publicKey, SIG_TYPE_COSIGNATURE_V1)}\n`);
    });
}
