/**
 * How an access entry reads to the citizen it concerns (decision 0032): the kind of requester, and
 * the one-line "action" of Estonia's Data Tracker (what was done and why). Pure.
 */

export const USAGE_KINDS = ['exchange', 'officer', 'inspector', 'system', 'citizen'] as const;
export type UsageKind = (typeof USAGE_KINDS)[number];

export interface EntryWho {
  callerKind: string;
  role?: string | undefined;
  channel: string;
}

/** An agency's system, a registry officer (or admin), an inspector, a job or the CLI, or a citizen (a representative, or themself by SMS). */
export function usageKindOf(e: EntryWho): UsageKind {
  if (e.callerKind === 'connection' || e.channel === 'exchange') return 'exchange';
  if (e.callerKind === 'system' || e.channel === 'cli' || e.channel === 'job') return 'system';
  if (e.role === 'inspector') return 'inspector';
  if (e.role === 'citizen') return 'citizen';
  return 'officer';
}

/** Vietnamese names of the commonest actions; others are shown by their operation or service code. */
const ACTION_NAMES: Record<string, string> = {
  getCitizen: 'Tra cứu thông tin công dân',
  searchCitizens: 'Tìm kiếm công dân',
  updateCitizen: 'Cập nhật thông tin công dân',
  getCitizenHistory: 'Tra cứu lịch sử thay đổi thông tin',
  getCitizenAsOf: 'Tra cứu thông tin tại một thời điểm',
  registerBirth: 'Đăng ký khai sinh',
  recordDeath: 'Ghi nhận khai tử',
  findUsage: 'Xem nhật ký sử dụng dữ liệu (người đại diện)',
  listMyUsage: 'Xem nhật ký sử dụng dữ liệu (người đại diện)',
  // A representative acting on the person's consent requests (decision 0044); one's own is no entry.
  listMyConsents: 'Xem các yêu cầu xin ý kiến đồng ý (người đại diện)',
  getMyConsent: 'Xem yêu cầu xin ý kiến đồng ý (người đại diện)',
  approveMyConsent: 'Đồng ý yêu cầu của tổ chức (người đại diện)',
  refuseMyConsent: 'Từ chối yêu cầu của tổ chức (người đại diện)',
  withdrawMyConsent: 'Rút lại sự đồng ý (người đại diện)',
  'sms:consent': 'Trả lời yêu cầu xin ý kiến đồng ý qua SMS (người đại diện)',
  // The citizen's own requests by SMS (issue 14; services/sms/citizen-sms.ts).
  'sms:identity': 'Tự tra cứu thông tin cá nhân qua SMS',
  'sms:residence': 'Tự tra cứu thông tin cư trú qua SMS',
  'sms:permanent': 'Tự tra cứu nơi thường trú qua SMS',
  'sms:temporary': 'Tự tra cứu nơi tạm trú qua SMS',
  'sms:current': 'Tự tra cứu nơi ở hiện tại qua SMS',
  'sms:household': 'Tự tra cứu thông tin hộ gia đình qua SMS',
  'sms:card': 'Tự tra cứu tình trạng thẻ căn cước qua SMS',
  'sms:usage': 'Tự xem nhật ký sử dụng dữ liệu qua SMS',
};

export function actionName(action: string): string {
  return ACTION_NAMES[action] ?? action;
}

/** The Data Tracker's `action`: the procedure or purpose, then what was done. */
export function trackerAction(e: { action: string; purpose?: string | undefined }): string {
  const done = actionName(e.action);
  return e.purpose ? `${e.purpose}: ${done}` : done;
}

/** Estonia prefixes personal codes with the country ("EE…"); dancu accepts "VN" the same way. */
export function personalIdOfUserCode(userCode: string): string | undefined {
  const m = /^(?:VN)?(\d{12})$/.exec(userCode);
  return m?.[1];
}
