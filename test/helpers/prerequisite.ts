/**
 * One rule for tests that need something from the machine (root, bubblewrap, cgroups,
 * iptables, the AWS CLI, the benchmark peer, the namespace driver): on a developer's
 * machine a missing prerequisite skips the test with a reason; in CI (`CI` set, as every
 * CI service does) it fails the test, so a green CI run cannot hide tests that never ran.
 */

/** Thrown instead of skipping when CI must not skip. */
export class PrerequisiteMissingError extends Error {
  override readonly name = 'PrerequisiteMissingError';
}

/** True when `CI` is set to anything but an empty string, "0" or "false". */
export function isCi(env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  const ci = env.CI?.trim().toLowerCase();
  return ci !== undefined && ci !== '' && ci !== '0' && ci !== 'false';
}

/**
 * Returns false when `available`; otherwise the skip reason `"<name> is missing: <why>"`,
 * or, under CI, throws PrerequisiteMissingError with that reason. Use it as a suite's or a
 * test's `skip` option, or inside a test: `const skip = requirePrerequisite(...); if (skip) return t.skip(skip);`.
 */
export function requirePrerequisite(
  name: string,
  available: boolean,
  why = '',
  env: Readonly<Record<string, string | undefined>> = process.env,
): string | false {
  if (available) return false;
  const reason = `${name} is missing${why === '' ? '' : `: ${why}`}`;
  if (isCi(env)) throw new PrerequisiteMissingError(`${reason} (CI is set, so a missing prerequisite fails instead of skipping)`);
  return reason;
}
