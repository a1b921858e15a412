/** Error codes of the certification tools (bulk renewal). */
export const CERTIFICATION_ERROR_CODES = [
  /** Bulk renewal refused, nothing renewed. params: authorizations (member and machine, comma separated) */
  'RENEWAL_REFUSED',
] as const;
