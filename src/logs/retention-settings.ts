/** Log groups' retention (PutRetentionPolicy): the values CloudWatch Logs accepts; the log store keeps each group's. */

/** The values CloudWatch Logs accepts for `retentionInDays`. */
export const RETENTION_DAYS: readonly number[] = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

export const MS_PER_DAY = 24 * 60 * 60 * 1000;
