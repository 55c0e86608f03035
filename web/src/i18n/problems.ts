/**
 * The portal's own words for problems a browser meets (the server's messages cover every code it
 * sends; these are the codes the client makes itself, and those worth a plainer sentence).
 */
import type { ProblemTexts } from './messages.js';

export const PROBLEM_TEXTS: ProblemTexts = {
  NETWORK_ERROR: { vi: 'Không kết nối được với máy chủ. Vui lòng kiểm tra mạng và thử lại.', en: 'The server could not be reached. Check the connection and try again.' },
  SERVER_ERROR: { vi: 'Máy chủ đang gặp sự cố. Vui lòng thử lại sau.', en: 'The server had a problem. Please try again later.' },
  BAD_RESPONSE: { vi: 'Máy chủ trả lời không như mong đợi. Vui lòng thử lại.', en: 'The server gave an unexpected answer. Please try again.' },
  UNAUTHENTICATED: { vi: 'Bạn cần đăng nhập để xem trang này.', en: 'Please sign in to see this page.' },
  FORBIDDEN: { vi: 'Tài khoản của bạn không có quyền thực hiện việc này.', en: 'Your account may not do this.' },
  RATE_LIMITED: { vi: 'Bạn đã thử quá nhiều lần. Vui lòng đợi một lát rồi thử lại.', en: 'Too many attempts. Please wait a moment and try again.' },
};
