/**
 * `node bench/install-peer.ts`: installs the benchmark peer ahead of time (scripts/test.sh
 * runs it before the tests, so test/bench does not download it while other tests run).
 * Exits 0 either way: a run without the peer reports why it has no peer figures.
 */
import { Progress } from './lib/progress.ts';
import { ensurePeerInstalled } from './targets/peer-install.ts';

const progress = new Progress();
const result = await ensurePeerInstalled(progress);
progress.step(result.ok ? `peer ready: ${result.versions}` : `peer not installed: ${result.reason}`);
