/**
 * The catalogue of stable error codes. Codes never change meaning once published; new ones are
 * added at the end of their group.
 */
export interface ErrorEntry {
  status: number;
  en: string;
  vi: string;
}

export const ERROR_CATALOGUE = {
  // 400 — the request itself is wrong
  VALIDATION_FAILED: { status: 400, en: 'The request is not valid.', vi: 'Yêu cầu không hợp lệ.' },
  MALFORMED_JSON: { status: 400, en: 'The request body is not valid JSON.', vi: 'Nội dung yêu cầu không phải JSON hợp lệ.' },
  INVALID_DATE: { status: 400, en: 'A date is not a real calendar date.', vi: 'Ngày tháng không hợp lệ.' },
  DATE_IN_FUTURE: { status: 400, en: 'A date lies in the future.', vi: 'Ngày tháng ở tương lai.' },
  DEATH_BEFORE_BIRTH: { status: 400, en: 'The date of death is before the date of birth.', vi: 'Ngày mất trước ngày sinh.' },
  UNKNOWN_CATEGORY_CODE: { status: 400, en: 'A code is not in its category list.', vi: 'Mã không có trong danh mục.' },
  UNKNOWN_ADMIN_UNIT: { status: 400, en: 'An administrative unit code is unknown for its unit list.', vi: 'Mã đơn vị hành chính không tồn tại.' },
  INVALID_ADDRESS: { status: 400, en: 'An address is not consistent.', vi: 'Địa chỉ không hợp lệ.' },
  BIRTH_REGISTRATION_PROVINCE_REQUIRED: {
    status: 400,
    en: 'The place of birth registration must name a Vietnamese unit to derive the personal ID.',
    vi: 'Nơi đăng ký khai sinh phải là đơn vị hành chính Việt Nam để cấp số định danh.',
  },
  BIRTH_YEAR_OUT_OF_RANGE: {
    status: 400,
    en: 'The birth year cannot be encoded in a personal ID (1900–2399).',
    vi: 'Năm sinh không thể mã hóa trong số định danh (1900–2399).',
  },
  INVALID_PERSONAL_ID: { status: 400, en: 'The personal ID number is not valid.', vi: 'Số định danh cá nhân không hợp lệ.' },
  INVALID_LEGACY_ID: { status: 400, en: 'The CMND number must have 9 digits.', vi: 'Số CMND phải gồm 9 chữ số.' },
  INVALID_CURSOR: { status: 400, en: 'The page cursor is not valid.', vi: 'Con trỏ trang không hợp lệ.' },
  SEARCH_CRITERIA_REQUIRED: {
    status: 400,
    en: 'Search by personal ID, by CMND number, or by name together with date or year of birth.',
    vi: 'Tìm theo số định danh, số CMND, hoặc họ tên kèm ngày hoặc năm sinh.',
  },
  REASON_REQUIRED: { status: 400, en: 'A reason or legal basis is required for this change.', vi: 'Cần nêu lý do hoặc căn cứ pháp lý.' },
  NO_CHANGE: { status: 400, en: 'The update changes nothing.', vi: 'Yêu cầu cập nhật không thay đổi thông tin nào.' },
  CANCELLATION_REASON_MISMATCH: {
    status: 400,
    en: 'The corrections do not match the legal reason for cancelling the number.',
    vi: 'Nội dung điều chỉnh không phù hợp với lý do hủy số định danh.',
  },
  RELATIVE_NOT_FOUND: { status: 400, en: 'A relative is linked by a personal ID that does not exist.', vi: 'Người thân được liên kết bằng số định danh không tồn tại.' },
  INVALID_INSTANT: { status: 400, en: 'The instant is not an ISO-8601 date-time.', vi: 'Thời điểm không đúng định dạng ISO-8601.' },
  QR_FIELD_COUNT: { status: 400, en: 'The QR payload must have 7 fields, or 10 or more.', vi: 'Mã QR phải có 7 trường, hoặc từ 10 trường trở lên.' },
  QR_PERSONAL_ID_FORMAT: { status: 400, en: 'The QR personal ID is not 12 digits.', vi: 'Số định danh trong mã QR không gồm 12 chữ số.' },
  QR_LEGACY_ID_FORMAT: { status: 400, en: 'The QR CMND number is neither empty nor 9 digits.', vi: 'Số CMND trong mã QR không hợp lệ.' },
  QR_NAME_EMPTY: { status: 400, en: 'The QR full name is empty.', vi: 'Họ tên trong mã QR bị trống.' },
  QR_DATE_FORMAT: { status: 400, en: 'A QR date is not 8 digits (ddmmyyyy).', vi: 'Ngày trong mã QR không đúng dạng ddmmyyyy.' },
  QR_DATE_INVALID: { status: 400, en: 'A QR date is not a real calendar date.', vi: 'Ngày trong mã QR không tồn tại.' },
  QR_SEX_UNKNOWN: { status: 400, en: 'The QR sex is neither "Nam" nor "Nữ".', vi: 'Giới tính trong mã QR không phải "Nam" hoặc "Nữ".' },
  IMAGE_UNREADABLE: { status: 400, en: 'The image is not a readable PNG or JPEG.', vi: 'Không đọc được ảnh (PNG hoặc JPEG).' },
  IMAGE_TOO_LARGE: { status: 400, en: 'The image is too large to decode.', vi: 'Ảnh quá lớn.' },
  QR_NOT_FOUND: { status: 400, en: 'No QR code was found in the image.', vi: 'Không tìm thấy mã QR trong ảnh.' },
  QR_INPUT_REQUIRED: { status: 400, en: 'Send the QR payload as text or as an image.', vi: 'Cần gửi nội dung mã QR hoặc ảnh chụp mã QR.' },
  CARD_INCONSISTENT: { status: 400, en: 'The card data is not consistent.', vi: 'Thông tin thẻ không nhất quán.' },
  INVALID_STATEMENT: { status: 400, en: 'The signed statement is not valid.', vi: 'Chuỗi xác thực không hợp lệ.' },
  CONSENT_REQUIRED: { status: 400, en: 'A required consent is missing from the application.', vi: 'Hồ sơ thiếu ý kiến đồng ý bắt buộc.' },
  CONSENT_INCOMPLETE: { status: 400, en: 'A consent does not say enough about who gave it.', vi: 'Ý kiến đồng ý chưa ghi đủ thông tin người đồng ý.' },
  CONSENT_FROM_WRONG_PERSON: { status: 400, en: 'A consent comes from someone other than the person who must give it.', vi: 'Ý kiến đồng ý không phải của người có quyền đồng ý.' },
  RELATIONSHIP_INVALID: { status: 400, en: 'The relationship to the household head is not possible here.', vi: 'Quan hệ với chủ hộ không hợp lệ.' },
  STAY_TOO_SHORT: { status: 400, en: 'Temporary registration is for stays of 30 days or more.', vi: 'Đăng ký tạm trú áp dụng cho thời gian từ 30 ngày trở lên.' },
  STAY_TOO_LONG: { status: 400, en: 'A stay of 30 days or more needs temporary registration, not a stay notice.', vi: 'Lưu trú từ 30 ngày trở lên phải đăng ký tạm trú.' },
  TEMPORARY_VALIDITY_TOO_LONG: { status: 400, en: 'A temporary registration is valid for at most 2 years.', vi: 'Thời hạn tạm trú tối đa là 02 năm.' },
  NEW_HEAD_NOT_LEAVING: { status: 400, en: 'The new head must be one of the members who leave.', vi: 'Chủ hộ mới phải là một trong những người tách hộ.' },
  DEREGISTRATION_REASON_NOT_APPLICABLE: { status: 400, en: 'This reason does not end this kind of registration.', vi: 'Lý do này không thuộc trường hợp xóa đăng ký cư trú này.' },
  AUTHORITY_CONSENT_REQUIRED: { status: 400, en: 'The written consent of the supervising authority is required.', vi: 'Cần văn bản đồng ý của cơ quan có thẩm quyền giám sát, quản lý.' },
  ADDRESS_NOT_A_COMMUNE: { status: 400, en: 'A residence address names a commune in force today, with its detail.', vi: 'Địa chỉ cư trú phải ghi đơn vị hành chính cấp xã hiện hành và địa chỉ chi tiết.' },
  REASONS_REQUIRED: { status: 400, en: 'Give the reasons (for a refusal) or the documents missing (for a request).', vi: 'Cần nêu rõ lý do từ chối hoặc giấy tờ cần bổ sung.' },
  RESIDENCE_NEEDS_PROCEDURE: { status: 400, en: 'Residence is changed through a residence procedure, not by editing the record.', vi: 'Thông tin cư trú chỉ thay đổi qua thủ tục cư trú.' },
  // 401 / 403
  UNAUTHENTICATED: { status: 401, en: 'A valid bearer token is required.', vi: 'Cần mã truy cập hợp lệ.' },
  FORBIDDEN: { status: 403, en: 'Your role may not do this.', vi: 'Vai trò của bạn không được phép thực hiện thao tác này.' },
  // 404
  NOT_FOUND: { status: 404, en: 'No such resource.', vi: 'Không tìm thấy tài nguyên.' },
  CITIZEN_NOT_FOUND: { status: 404, en: 'No citizen has this personal ID.', vi: 'Không có công dân với số định danh này.' },
  CITIZEN_NOT_YET_REGISTERED: {
    status: 404,
    en: 'The citizen was not yet registered at that instant.',
    vi: 'Tại thời điểm đó công dân chưa được đăng ký.',
  },
  PRINCIPAL_NOT_FOUND: { status: 404, en: 'No such principal.', vi: 'Không tìm thấy người dùng.' },
  CARD_NOT_FOUND: { status: 404, en: 'No such card.', vi: 'Không tìm thấy thẻ.' },
  CERTIFICATE_NOT_FOUND: { status: 404, en: 'No certificate has this number.', vi: 'Không có giấy tờ với số này.' },
  ADMIN_UNIT_NOT_FOUND: { status: 404, en: 'No such administrative unit.', vi: 'Không tìm thấy đơn vị hành chính.' },
  HOUSEHOLD_NOT_FOUND: { status: 404, en: 'No household has this residence file number.', vi: 'Không có hộ gia đình với số hồ sơ cư trú này.' },
  APPLICATION_NOT_FOUND: { status: 404, en: 'No residence application has this number.', vi: 'Không có hồ sơ cư trú với mã này.' },
  NOT_IN_A_HOUSEHOLD: { status: 404, en: 'The person belongs to no household.', vi: 'Công dân không thuộc hộ gia đình nào.' },
  // 409 / 412 / 428
  LEGACY_ID_IN_USE: { status: 409, en: 'This CMND number belongs to another person.', vi: 'Số CMND đã thuộc về người khác.' },
  PHONE_IN_USE: { status: 409, en: 'This mobile number is registered to another person.', vi: 'Số điện thoại đã được đăng ký cho người khác.' },
  CITIZEN_DECEASED: { status: 409, en: 'The citizen is recorded as deceased.', vi: 'Công dân đã được ghi nhận là đã mất.' },
  PERSONAL_ID_CANCELLED: { status: 409, en: 'This personal ID was cancelled.', vi: 'Số định danh này đã bị hủy.' },
  PERSONAL_ID_EXHAUSTED: {
    status: 409,
    en: 'No unused number remains for this prefix.',
    vi: 'Không còn số định danh chưa sử dụng cho tiền tố này.',
  },
  CARD_ALREADY_VALID: { status: 409, en: 'The citizen already holds a valid card; replace it instead.', vi: 'Công dân đang có thẻ còn hiệu lực; cần làm thủ tục cấp đổi.' },
  CARD_NOT_VALID: { status: 409, en: 'The card is not valid, so this operation does not apply.', vi: 'Thẻ không còn hiệu lực nên không thực hiện được thao tác này.' },
  NO_LEGACY_ID: { status: 409, en: 'No CMND number is recorded for this citizen.', vi: 'Không có số CMND được ghi nhận cho công dân này.' },
  SEED_STORE_NOT_EMPTY: {
    status: 409,
    en: 'The store already holds citizens from another source; seed an empty store.',
    vi: 'Kho dữ liệu đã có công dân từ nguồn khác; chỉ tạo dữ liệu mẫu trên kho trống.',
  },
  PERSONAL_ID_REISSUE_REQUIRED: {
    status: 409,
    en: 'This change alters what the personal ID encodes (sex, birth year or province of birth registration); cancel and re-issue the number instead.',
    vi: 'Thay đổi này ảnh hưởng đến số định danh (giới tính, năm sinh hoặc tỉnh đăng ký khai sinh); cần hủy và cấp lại số định danh.',
  },
  CITIZEN_ALREADY_MISSING: { status: 409, en: 'The citizen is already declared missing.', vi: 'Công dân đã được tuyên bố mất tích.' },
  CITIZEN_MISSING: { status: 409, en: 'The citizen is declared missing.', vi: 'Công dân đã bị tuyên bố mất tích.' },
  HOUSEHOLD_DISSOLVED: { status: 409, en: 'The household no longer exists.', vi: 'Hộ gia đình không còn tồn tại.' },
  HOUSEHOLD_HEAD_VACANT: { status: 409, en: 'The household has no head; name one by adjustment first.', vi: 'Hộ gia đình chưa có chủ hộ; cần điều chỉnh chủ hộ trước.' },
  ALREADY_REGISTERED_HERE: { status: 409, en: 'The person is already registered there.', vi: 'Công dân đã đăng ký cư trú tại nơi này.' },
  HEAD_MUST_BE_REPLACED: { status: 409, en: 'The household head leaves a household with other members: name its new head.', vi: 'Chủ hộ rời hộ còn thành viên khác: cần xác định chủ hộ mới.' },
  NOT_A_HOUSEHOLD_MEMBER: { status: 409, en: 'The person is not a member of the household.', vi: 'Công dân không phải thành viên của hộ.' },
  SAME_COMMUNE_AS_PERMANENT: { status: 409, en: 'Temporary registration is for living outside the commune of permanent residence.', vi: 'Đăng ký tạm trú áp dụng khi sinh sống ngoài xã nơi thường trú.' },
  NO_ACTIVE_TEMPORARY_RESIDENCE: { status: 409, en: 'There is no temporary registration in force.', vi: 'Không có đăng ký tạm trú còn thời hạn.' },
  EXTENSION_WINDOW_CLOSED: { status: 409, en: 'An extension is filed within the 15 days before the temporary residence expires.', vi: 'Gia hạn tạm trú phải thực hiện trong 15 ngày trước khi hết hạn.' },
  HEAD_CANNOT_SPLIT_OFF: { status: 409, en: 'The head stays in the household; the members who leave form the new one.', vi: 'Chủ hộ không tách hộ; người tách hộ lập hộ mới.' },
  SPLIT_LEAVES_NOBODY: { status: 409, en: 'Every member would leave: that is not a household split.', vi: 'Tất cả thành viên đều rời hộ: không phải tách hộ.' },
  NO_FULL_CIVIL_CAPACITY: { status: 409, en: 'Full civil capacity is required.', vi: 'Yêu cầu có năng lực hành vi dân sự đầy đủ.' },
  NOT_REGISTERED: { status: 409, en: 'There is no such residence registration.', vi: 'Không có đăng ký cư trú tương ứng.' },
  LIFE_EVENT_NOT_RECORDED: { status: 409, en: 'The death or declaration of missing is not recorded.', vi: 'Chưa ghi nhận việc chết hoặc tuyên bố mất tích.' },
  ABSENCE_TOO_SHORT: { status: 409, en: 'The absence is not yet long enough for deregistration.', vi: 'Thời gian vắng mặt chưa đủ để xóa đăng ký.' },
  APPLICATION_STATE_CONFLICT: { status: 409, en: 'The application is not in a state that allows this.', vi: 'Trạng thái hồ sơ không cho phép thao tác này.' },
  APPLICATION_ALREADY_OPEN: { status: 409, en: 'An application of this kind for this person is still being processed.', vi: 'Công dân đang có hồ sơ cùng loại chưa giải quyết xong.' },
  CONCURRENT_UPDATE: { status: 409, en: 'Another change to the same records was saved at the same moment; try again.', vi: 'Có thay đổi khác vừa được lưu cùng lúc; vui lòng thử lại.' },
  VERSION_MISMATCH: {
    status: 412,
    en: 'The record changed since you read it (stale version).',
    vi: 'Bản ghi đã thay đổi kể từ khi bạn đọc (phiên bản cũ).',
  },
  PRECONDITION_REQUIRED: {
    status: 428,
    en: 'Send If-Match with the version you read.',
    vi: 'Cần gửi If-Match với phiên bản đã đọc.',
  },
  // 5xx
  STORE_UNAVAILABLE: { status: 503, en: 'The store is not available.', vi: 'Kho dữ liệu không khả dụng.' },
  INTERNAL: { status: 500, en: 'Internal error.', vi: 'Lỗi hệ thống.' },
} as const satisfies Record<string, ErrorEntry>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;
