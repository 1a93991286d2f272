/** Small scenario builders shared by the core and CLI tests. */
import { parseScenario, type Scenario, type ScenarioInput } from '../../src/core/scenario.ts';

/** Parses `input` as a scenario and fails loudly if it is not one. */
export function scenarioOf(input: Partial<ScenarioInput> & Pick<ScenarioInput, 'runs' | 'arrays'>): Scenario {
  const parsed = parseScenario({ version: 1, ...input });
  if (!parsed.ok) throw new Error(`fixture is not a valid scenario: ${JSON.stringify(parsed.issues)}`);
  return parsed.scenario;
}

/** A chunked f32 array `[elements, "runs"]`. */
export function chunkedF32(name: string, elements: number): ScenarioInput['arrays'][number] {
  return { name, role: 'input', dtype: 'f32', shape: [elements, 'runs'] };
}
