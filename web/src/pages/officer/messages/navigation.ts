/** The counter area's navigation (index.tsx). */
import { defineMessages } from '../../../i18n/messages.js';

export const navigationMessages = defineMessages(
  {
    'nav.label': 'Công việc tại quầy',
    'nav.workspace': 'Quầy tiếp dân',
    'nav.applications': 'Hồ sơ cư trú',
    'nav.search': 'Tra cứu công dân',
    'nav.birth': 'Đăng ký khai sinh',
    'nav.writtenRequests': 'Yêu cầu bằng văn bản',
  },
  {
    'nav.label': 'Counter work',
    'nav.workspace': 'Counter',
    'nav.applications': 'Residence applications',
    'nav.search': 'Find a citizen',
    'nav.birth': 'Register a birth',
    'nav.writtenRequests': 'Written requests',
  },
);
