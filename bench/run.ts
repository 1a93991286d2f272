/**
 * `npm run bench`: every benchmark section in one process, printed as Markdown and
 * written to bench/results.json. Not part of `npm test`: figures depend on the machine.
 */
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { allocatorSection } from './allocator.bench.ts';
import { chunkingSections } from './chunking.bench.ts';
import { pollingSection } from './dawn-polling.bench.ts';
import { engineSection } from './engine.bench.ts';
import { hostMemorySection } from './host-memory.bench.ts';
import { keptOutputsSection } from './kept-outputs.bench.ts';
import { plannerSection } from './planner.bench.ts';
import { sectionMarkdown, type BenchSection } from './section.ts';
import { soakSection } from './soak.bench.ts';
import { timelineSection } from './timeline.bench.ts';
import { workloadsSection } from './workloads.bench.ts';
import { browserSection } from './browser.bench.ts';

const kResults = fileURLToPath(new URL('./results.json', import.meta.url));

const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
const sections: BenchSection[] = [];
// CHUNKSCOPE_BENCH_ONLY=browser,timeline runs only the sections named (by their function's name, without "Section(s)").
const only = process.env.CHUNKSCOPE_BENCH_ONLY?.split(',').map((s) => s.trim().toLowerCase());
const all = [plannerSection, timelineSection, engineSection, chunkingSections, pollingSection, soakSection, workloadsSection, allocatorSection, browserSection, hostMemorySection, keptOutputsSection];
for (const run of all.filter((f) => !only || only.includes(f.name.replace(/Sections?$/, '').toLowerCase()))) {
  const produced = await run();
  for (const section of Array.isArray(produced) ? produced : [produced]) {
    sections.push(section);
    console.log(`${sectionMarkdown(section)}\n`);
  }
}
console.log(`machine: ${machine}`);
writeFileSync(kResults, `${JSON.stringify({ date: new Date().toISOString(), machine, sections }, null, 2)}\n`);
console.log(`wrote ${kResults}`);
