/** The ordered list of migrations, bundled in code so they run the same from src/ and dist/. */
import type { Migration, MigrationProvider } from 'kysely';
import * as core from './0001-core.js';
import * as referenceData from './0002-reference-data.js';
import * as identityCards from './0003-identity-cards.js';
import * as residence from './0004-residence.js';
import * as exchange from './0005-exchange.js';
import * as atMostOne from './0006-at-most-one.js';
import * as prohibitedPlaces from './0007-prohibited-places.js';
import * as exchangeRules from './0009-exchange-rules.js';
import * as counterSearch from './0010-counter-search.js';
import * as accountability from './0011-accountability.js';
import * as transparencyLog from './0012-transparency-log.js';
import * as citizenUsage from './0013-citizen-usage.js';
import * as commitExistingRows from './0014-commit-existing-rows.js';
import * as useOfAnEntry from './0015-use-of-an-entry.js';
import * as subscriberRegister from './0016-subscriber-register.js';
import * as smsQueue from './0017-sms-queue.js';
import * as writtenRequests from './0018-written-requests.js';
import * as officerAccounts from './0020-officer-accounts.js';
import * as smsInboxSender from './0021-sms-inbox-sender.js';
import * as eidAccounts from './0022-eid-accounts.js';
import * as openIdConnect from './0023-openid-connect.js';
import * as consents from './0024-consents.js';
import * as appendedEntries from './0026-appended-entries.js';
import * as consentCodeIndex from './0027-consent-code-index.js';
import * as leafKeyOrder from './0028-leaf-key-order.js';
import * as writtenRequestRequester from './0029-written-request-requester.js';

const MIGRATIONS: Record<string, Migration> = {
  '0001-core': core,
  '0002-reference-data': referenceData,
  '0003-identity-cards': identityCards,
  '0004-residence': residence,
  '0005-exchange': exchange,
  '0006-at-most-one': atMostOne,
  '0007-prohibited-places': prohibitedPlaces,
  '0009-exchange-rules': exchangeRules,
  '0010-counter-search': counterSearch,
  '0011-accountability': accountability,
  '0012-transparency-log': transparencyLog,
  '0013-citizen-usage': citizenUsage,
  '0014-commit-existing-rows': commitExistingRows,
  '0015-use-of-an-entry': useOfAnEntry,
  '0016-subscriber-register': subscriberRegister,
  '0017-sms-queue': smsQueue,
  '0018-written-requests': writtenRequests,
  '0020-officer-accounts': officerAccounts,
  '0021-sms-inbox-sender': smsInboxSender,
  '0022-eid-accounts': eidAccounts,
  '0023-openid-connect': openIdConnect,
  '0024-consents': consents,
  '0026-appended-entries': appendedEntries,
  '0027-consent-code-index': consentCodeIndex,
  '0028-leaf-key-order': leafKeyOrder,
  '0029-written-request-requester': writtenRequestRequester,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => MIGRATIONS,
};
