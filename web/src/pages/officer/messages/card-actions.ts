/** Reporting a card lost, replacing and issuing one (CardActions.tsx). */
import { defineMessages } from '../../../i18n/messages.js';

export const cardActionsMessages = defineMessages(
  {
    'actions.title': 'Thẻ căn cước',
    'actions.loss': 'Báo mất thẻ',
    'actions.lossDone': 'Đã ghi nhận thẻ bị mất.',
    'actions.replace': 'Cấp đổi / cấp lại thẻ',
    'actions.reason': 'Lý do',
    'actions.replaced': 'Đã cấp thẻ mới số {cardNo}.',
    'actions.issue': 'Cấp thẻ',
    'actions.issued': 'Đã cấp thẻ số {cardNo}.',
    'reason.DATA_CHANGED': 'Thay đổi thông tin',
    'reason.RENEWAL_AGE': 'Đến tuổi đổi thẻ',
    'reason.LOST': 'Bị mất',
    'reason.DAMAGED': 'Bị hỏng',
    'reason.ON_REQUEST': 'Theo yêu cầu của công dân',
  },
  {
    'actions.title': 'ID card',
    'actions.loss': 'Report the card lost',
    'actions.lossDone': 'The card is recorded as lost.',
    'actions.replace': 'Replace or re-issue the card',
    'actions.reason': 'Reason',
    'actions.replaced': 'New card {cardNo} issued.',
    'actions.issue': 'Issue a card',
    'actions.issued': 'Card {cardNo} issued.',
    'reason.DATA_CHANGED': 'Data changed',
    'reason.RENEWAL_AGE': 'Renewal age',
    'reason.LOST': 'Lost',
    'reason.DAMAGED': 'Damaged',
    'reason.ON_REQUEST': 'At the citizen\'s request',
  },
);
