/**
 * Strings of the counter officer's area (Vietnamese first; the English must name every key). Each
 * page's are in messages/, named for what they hold; the pages import the one dictionary merged here.
 */
import { mergeMessages } from '../../i18n/messages.js';
import { navigationMessages } from './messages/navigation.js';
import { caseMessages } from './messages/case.js';
import { cardCheckMessages } from './messages/card-check.js';
import { personMessages } from './messages/person.js';
import { questionsMessages } from './messages/questions.js';
import { cardActionsMessages } from './messages/card-actions.js';
import { level2Messages } from './messages/level2.js';
import { applicationsMessages } from './messages/applications.js';
import { searchMessages } from './messages/search.js';
import { birthMessages } from './messages/birth.js';
import { writtenRequestsMessages } from './messages/written-requests.js';

export const officer = mergeMessages(
  navigationMessages,
  caseMessages,
  cardCheckMessages,
  personMessages,
  questionsMessages,
  cardActionsMessages,
  level2Messages,
  applicationsMessages,
  searchMessages,
  birthMessages,
  writtenRequestsMessages,
);
