/**
 * The memory a worker host may give to sandboxes when no budget is configured: the
 * machine's memory less a reserve for the OS, Flint and the pool of pre-started cells,
 * max(1 GiB, 10 % of the machine), never under 128 MB.
 */
export function defaultMemoryBudgetMb(totalBytes: number): number {
  const totalMb = Math.floor(totalBytes / (1024 * 1024));
  const reserveMb = Math.max(1024, Math.ceil(totalMb * 0.1));
  return Math.max(128, totalMb - reserveMb);
}
