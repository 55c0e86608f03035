/**
 * Strings of the citizen's pages (issue 16 item 3): Vietnamese first, English beside. Each page's are
 * in messages/, named for what they hold; the pages import the one dictionary merged here.
 */
import { mergeMessages } from '../../i18n/messages.js';
import { navigationMessages } from './messages/navigation.js';
import { signInMessages } from './messages/sign-in.js';
import { recordMessages } from './messages/record.js';
import { residenceMessages } from './messages/residence.js';
import { cardsMessages } from './messages/cards.js';
import { usageMessages } from './messages/usage.js';
import { documentsMessages } from './messages/documents.js';
import { accountMessages } from './messages/account.js';
import { consentsMessages } from './messages/consents.js';
import { writtenRequestsMessages } from './messages/written-requests.js';

export const citizenMessages = mergeMessages(
  navigationMessages,
  signInMessages,
  recordMessages,
  residenceMessages,
  cardsMessages,
  usageMessages,
  documentsMessages,
  accountMessages,
  consentsMessages,
  writtenRequestsMessages,
);
