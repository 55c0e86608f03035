/** The telecom subscriber register (decision 0039): lookups for the SMS service, links from operators. */
export { findSubscriberOf, getSubscriberNumbers, subscriberNumbersOf, submitSubscriberLink, requireOperator, someLinkedNumber, recordedPhones, type SubscriberNumber } from './register.js';
export { importSubscriberLinks, importReport, importStatus, DEFAULT_SUBSCRIBER_UPLOAD, type SubscriberUploadLimits, IMPORT_BATCH_LINES, OFFLINE_IMPORT_BATCH_LINES, type ImportFormat, type ImportReport, type ImportOptions } from './import.js';
