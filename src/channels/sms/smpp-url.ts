/**
 * Where the gateway's SMSCs are (decision 0037): DANCU_SMPP_URL, one `smpp://` URL per SMSC, comma
 * separated, read into the endpoints the ESME sessions bind to. A system_id, password or system_type
 * longer than SMPP 3.4 allows is refused at start, naming the field and never its value.
 */
export interface SmscEndpoint {
  /** host:port — what logs and metrics name the SMSC by (never the password). */
  name: string;
  host: string;
  port: number;
  systemId: string;
  password: string;
  systemType: string;
}

/**
 * SMPP 3.4 §4.1.1: bind_transceiver's C-Octet Strings, maximum lengths with their terminating NUL —
 * so at most 15, 8 and 12 characters. A longer one cannot be bound with: refused at start.
 */
const BIND_FIELD_LIMITS = { system_id: 16, password: 9, system_type: 13 } as const;

/** A printable ASCII value short enough for its field, or a config error naming the field (never its value). */
function bindField(field: keyof typeof BIND_FIELD_LIMITS, value: string): string {
  const max = BIND_FIELD_LIMITS[field] - 1;
  if (!/^[\x20-\x7e]*$/.test(value)) throw new Error(`DANCU_SMPP_URL: the ${field} must be printable ASCII (SMPP 3.4 §4.1.1)`);
  if (value.length > max) throw new Error(`DANCU_SMPP_URL: the ${field} is ${value.length} characters long; SMPP 3.4 allows at most ${max}`);
  return value;
}

function decodeComponent(field: keyof typeof BIND_FIELD_LIMITS, text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new Error(`DANCU_SMPP_URL: the ${field} is not correctly percent-encoded`);
  }
}

/**
 * `smpp://system_id:password@host:2775[?system_type=…]`; throws on anything else, and on a system_id,
 * password or system_type longer than SMPP allows (the bind could never be sent).
 */
export function parseSmppUrl(url: string): SmscEndpoint {
  let u: URL;
  try {
    u = new URL(url.trim());
  } catch {
    throw new Error('DANCU_SMPP_URL: not a URL (smpp://system_id:password@host:2775)');
  }
  if (u.protocol !== 'smpp:') throw new Error('DANCU_SMPP_URL: the scheme must be smpp://');
  if (!u.hostname || !u.username) throw new Error('DANCU_SMPP_URL: host and system_id are required (smpp://system_id:password@host:2775)');
  const port = u.port ? Number(u.port) : 2775;
  return {
    name: `${u.hostname}:${port}`,
    host: u.hostname.replace(/^\[|\]$/g, ''),
    port,
    systemId: bindField('system_id', decodeComponent('system_id', u.username)),
    password: bindField('password', decodeComponent('password', u.password)),
    systemType: bindField('system_type', u.searchParams.get('system_type') ?? ''),
  };
}

export function parseSmppUrls(list: string | undefined): SmscEndpoint[] {
  return (list ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '').map(parseSmppUrl);
}
