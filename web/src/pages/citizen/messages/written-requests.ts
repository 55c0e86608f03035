/** Written requests for the citizen's data and their consent (WrittenRequests.tsx). */
import { defineMessages } from '../../../i18n/messages.js';

export const writtenRequestsMessages = defineMessages(
  {
    'written.requester': 'Người yêu cầu',
    'written.purpose': 'Mục đích',
    'written.self': 'Chính bạn',
    'written.status.awaiting_consent': 'Chờ bạn đồng ý',
    'written.status.open': 'Đang giải quyết',
    'written.status.provided': 'Đã cung cấp',
    'written.status.refused': 'Đã từ chối',
    'written.give': 'Đồng ý',
    'written.refuse': 'Không đồng ý',
    'written.answered': 'Đã ghi nhận câu trả lời của bạn.',

    'written.title': 'Yêu cầu bằng văn bản',
    'written.lead': 'Các yêu cầu cung cấp thông tin bạn đã gửi và tiến trình giải quyết.',
    'written.caption': 'Yêu cầu đã gửi',
    'written.received': 'Ngày nhận',
    'written.subject': 'Nội dung',
    'written.status': 'Tình trạng',
    'written.due': 'Hạn trả lời',
    'written.none': 'Bạn chưa gửi yêu cầu nào.',
  },
  {
    'written.requester': 'Requester',
    'written.purpose': 'Purpose',
    'written.self': 'You',
    'written.status.awaiting_consent': 'Awaiting your consent',
    'written.status.open': 'Being handled',
    'written.status.provided': 'Provided',
    'written.status.refused': 'Refused',
    'written.give': 'Consent',
    'written.refuse': 'Do not consent',
    'written.answered': 'Your answer is recorded.',

    'written.title': 'Written requests',
    'written.lead': 'The requests for information you sent and how far they are.',
    'written.caption': 'Requests sent',
    'written.received': 'Received on',
    'written.subject': 'Subject',
    'written.status': 'Status',
    'written.due': 'Answer due',
    'written.none': 'You have not sent any request.',
  },
);
