/** Searching for a citizen (Search.tsx). */
import { defineMessages } from '../../../i18n/messages.js';

export const searchMessages = defineMessages(
  {
    'search.title': 'Tra cứu công dân',
    'search.lead': 'Tìm theo một phần họ tên cùng ngày hoặc năm sinh, theo số định danh, hoặc theo số CMND.',
    'search.name': 'Họ tên (có thể nhập một phần)',
    'search.dob': 'Ngày sinh (dd/mm/yyyy) hoặc năm sinh',
    'search.dobInvalid': 'Ngày sinh viết dạng dd/mm/yyyy, hoặc chỉ năm (yyyy).',
    'search.personalId': 'Số định danh cá nhân (12 số)',
    'search.legacyId': 'Số CMND (9 số)',
    'search.submit': 'Tìm',
    'search.nothing': 'Hãy nhập họ tên kèm ngày sinh, hoặc số định danh, hoặc số CMND.',
    'search.caption': 'Kết quả tra cứu',
    'search.choose': 'Chọn {name}',
    'search.none': 'Không tìm thấy ai.',
  },
  {
    'search.title': 'Find a citizen',
    'search.lead': 'Search by part of the name with the date or year of birth, by personal ID, or by CMND number.',
    'search.name': 'Name (part of it will do)',
    'search.dob': 'Date of birth (dd/mm/yyyy) or year',
    'search.dobInvalid': 'Write the date of birth as dd/mm/yyyy, or the year alone (yyyy).',
    'search.personalId': 'Personal ID (12 digits)',
    'search.legacyId': 'CMND number (9 digits)',
    'search.submit': 'Search',
    'search.nothing': 'Give a name with the date of birth, or a personal ID, or a CMND number.',
    'search.caption': 'Search results',
    'search.choose': 'Choose {name}',
    'search.none': 'Nobody found.',
  },
);
