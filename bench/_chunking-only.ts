import { chunkingSections } from './chunking.bench.ts';
import { sectionMarkdown } from './section.ts';
for (const s of await chunkingSections()) console.log(`${sectionMarkdown(s)}\n`);
