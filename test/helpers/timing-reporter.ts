/**
 * node:test reporter that prints, after the run, where the wall time went: the slowest
 * test files (from the start of their process to its exit) and how much of that was
 * spent outside their tests (process start, imports, hooks left waiting, handles that
 * kept the process alive). A slow suite then says which file to look at.
 */
import { relative } from 'node:path';

interface FileTime {
  file: string;
  /** Wall time of the file's process, as the runner saw it. */
  wallMs: number;
  /** Time the file's own root test reported. */
  testsMs: number;
}

interface ReporterEvent {
  readonly type: string;
  readonly data: {
    readonly file?: string;
    readonly name?: string;
    readonly nesting?: number;
    readonly duration_ms?: number;
    readonly details?: { readonly duration_ms?: number };
  };
}

const SHOWN = 12;

export default async function* timingReporter(source: AsyncIterable<ReporterEvent>): AsyncGenerator<string> {
  const files = new Map<string, FileTime>();
  const entry = (file: string): FileTime => {
    let e = files.get(file);
    if (!e) files.set(file, (e = { file: relative(process.cwd(), file), wallMs: 0, testsMs: 0 }));
    return e;
  };
  for await (const { type, data } of source) {
    if (data.file === undefined || (data.nesting ?? 0) !== 0) continue;
    if (type === 'test:summary') entry(data.file).testsMs = data.duration_ms ?? 0;
    // the runner's own test for a file is named by the file's path
    if (type === 'test:complete' && data.name !== undefined && data.file.endsWith(data.name)) entry(data.file).wallMs = data.details?.duration_ms ?? 0;
  }
  const slowest = [...files.values()].sort((a, b) => b.wallMs - a.wallMs).slice(0, SHOWN);
  const total = [...files.values()].reduce((sum, f) => sum + f.wallMs, 0);
  yield `\nslowest test files (wall s / in tests s), of ${files.size} files taking ${(total / 1000).toFixed(0)} s in all:\n`;
  for (const f of slowest) yield `  ${(f.wallMs / 1000).toFixed(1).padStart(7)} / ${(f.testsMs / 1000).toFixed(1).padStart(6)}  ${f.file}\n`;
}
