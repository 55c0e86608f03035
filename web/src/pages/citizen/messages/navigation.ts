/** The citizen area's navigation (CitizenNav.tsx) and the word several pages share. */
import { defineMessages } from '../../../i18n/messages.js';

export const navigationMessages = defineMessages(
  {
    'nav.label': 'Các trang của tôi',
    'nav.home': 'Thông tin cá nhân',
    'nav.residence': 'Hộ gia đình và cư trú',
    'nav.cards': 'Thẻ căn cước',
    'nav.usage': 'Ai đã dùng dữ liệu của tôi',
    'nav.documents': 'Giấy tờ',
    'nav.account': 'Tài khoản định danh',
    'nav.consents': 'Đồng ý chia sẻ dữ liệu',
    'nav.writtenRequests': 'Yêu cầu bằng văn bản',
    'nav.relyingParties': 'Dịch vụ đăng nhập bằng định danh',
    'none': 'Không có',
  },
  {
    'nav.label': 'My pages',
    'nav.home': 'My record',
    'nav.residence': 'Household and residence',
    'nav.cards': 'ID cards',
    'nav.usage': 'Who used my data',
    'nav.documents': 'Documents',
    'nav.account': 'e-ID account',
    'nav.consents': 'Consents to share data',
    'nav.writtenRequests': 'Written requests',
    'nav.relyingParties': 'Services I sign in to with my e-ID',
    'none': 'None',
  },
);
