/** Registering a birth (Birth.tsx). */
import { defineMessages } from '../../../i18n/messages.js';

export const birthMessages = defineMessages(
  {
    'birth.title': 'Đăng ký khai sinh',
    'birth.lead': 'Tạo bản ghi công dân và cấp số định danh cá nhân.',
    'birth.fullName': 'Họ, chữ đệm và tên khai sinh',
    'birth.dob': 'Ngày sinh (dd/mm/yyyy)',
    'birth.sex': 'Giới tính',
    'birth.ethnicity': 'Dân tộc',
    'birth.nationality': 'Quốc tịch',
    'birth.province': 'Tỉnh, thành phố nơi đăng ký khai sinh',
    'birth.unitHint': 'Tên đơn vị hành chính đang có hiệu lực hôm nay.',
    'birth.commune': 'Xã, phường nơi đăng ký khai sinh',
    'birth.submit': 'Đăng ký',
    'birth.done': 'Đã đăng ký khai sinh cho {name}. Số định danh cá nhân: {personalId}.',
    'birth.invalid': 'Kiểm tra lại các trường được đánh dấu.',
  },
  {
    'birth.title': 'Register a birth',
    'birth.lead': 'Creates the citizen\'s record and assigns the personal ID.',
    'birth.fullName': 'Full name at birth',
    'birth.dob': 'Date of birth (dd/mm/yyyy)',
    'birth.sex': 'Sex',
    'birth.ethnicity': 'Ethnicity',
    'birth.nationality': 'Nationality',
    'birth.province': 'Province or city of birth registration',
    'birth.unitHint': 'Units as named today.',
    'birth.commune': 'Commune or ward of birth registration',
    'birth.submit': 'Register',
    'birth.done': 'Birth of {name} registered. Personal ID: {personalId}.',
    'birth.invalid': 'Check the fields marked.',
  },
);
