/**
 * What a failed store call means for a caller (409 CONCURRENT_UPDATE, 503 STORE_UNAVAILABLE). The
 * classification reads each dialect's error codes, so it stays in the store (src/store/failures.ts);
 * the HTTP layer reaches it here (DESIGN §4: http → services → store).
 */
export { storeFailureOf } from '../store/failures.js';
