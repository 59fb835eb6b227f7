/**
 * Weighted alias routing, as a pure choice: an alias sends a share `weight` of
 * its invocations to the additional version and the rest to its primary version.
 */
export interface AliasRouting {
  /** The primary version (`$LATEST` or a number). */
  readonly functionVersion: string;
  /** The one additional version and its weight (0 <= weight < 1), if any. */
  readonly additional?: { readonly version: string; readonly weight: number } | undefined;
}

/**
 * The version one invocation runs. Pre: `random` is uniform in [0, 1) (an
 * injectable source, so tests can pin the choice). A draw below the weight picks
 * the additional version.
 */
export function chooseAliasVersion(alias: AliasRouting, random: number): string {
  const extra = alias.additional;
  return extra !== undefined && random < extra.weight ? extra.version : alias.functionVersion;
}
