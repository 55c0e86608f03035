/** Issuing a level-2 e-ID account at the counter (Level2.tsx). */
import { defineMessages } from '../../../i18n/messages.js';

export const level2Messages = defineMessages(
  {
    'eid.title': 'Tài khoản định danh điện tử mức 2',
    'eid.lead': 'Sau khi đã kiểm tra thẻ: số điện thoại phải đăng ký chính chủ cho công dân (hoặc người đại diện).',
    'eid.phone': 'Số điện thoại',
    'eid.representative': 'Số định danh người đại diện (nếu có)',
    'eid.submit': 'Cấp tài khoản mức 2',
    'eid.done': 'Đã tạo tài khoản mức 2. Mã kích hoạt đã được gửi bằng SMS; công dân kích hoạt trong 7 ngày.',
    'eid.needsQr': 'Cần quét mã QR của thẻ để cấp tài khoản mức 2.',
  },
  {
    'eid.title': 'Level-2 e-ID account',
    'eid.lead': 'After the card is checked: the phone number must be registered to the citizen (or their representative).',
    'eid.phone': 'Phone number',
    'eid.representative': 'Representative\'s personal ID (if any)',
    'eid.submit': 'Issue the level-2 account',
    'eid.done': 'Level-2 account created. The activation code went by SMS; the citizen activates it within 7 days.',
    'eid.needsQr': 'Scan the card\'s QR code to issue a level-2 account.',
  },
);
