/**
 * Reads a JSON file (or standard input for `-`) and validates it as a scenario, for every command.
 */
import { readFile } from 'node:fs/promises';
import { parseScenario, type Scenario, type ScenarioIssue } from '../core/scenario.ts';

/** A scenario read from disk, or why it could not be. */
export type LoadedScenario =
  | { ok: true; scenario: Scenario }
  | { ok: false; message: string; issues: ScenarioIssue[] };

/** Loads and validates the scenario at `source` (`-` for standard input). */
export async function loadScenario(source: string): Promise<LoadedScenario> {
  const read = await readSource(source);
  if (!read.ok) return { ok: false, message: read.message, issues: [] };
  const parsed = parseScenario(read.json);
  if (parsed.ok) return parsed;
  return { ok: false, message: `${source} is not a valid scenario`, issues: parsed.issues };
}

/** Reads and parses the JSON at `source` (`-` for standard input), or says why it could not. */
export async function readSource(source: string): Promise<{ ok: true; json: unknown } | { ok: false; message: string }> {
  let text: string;
  try {
    text = source === '-' ? await readStdin() : await readFile(source, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message;
    return { ok: false, message: `cannot read ${source}: ${reason}` };
  }
  try {
    return { ok: true, json: JSON.parse(text) };
  } catch (err) {
    return { ok: false, message: `${source} is not valid JSON: ${(err as Error).message}` };
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
