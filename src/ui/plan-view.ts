/**
 * `<plan-view>`: the plan of a scenario, or why there is none.
 *
 * Shows the runs cut into chunks (the dangling final chunk marked), which constraint
 * bound chunkLength and how far the others are from binding, and the bytes each array
 * occupies against the budget. Everything comes from the planner's plan; nothing is
 * recomputed here except what a person needs to see it (shares, ranges of the host array).
 *
 * @slot stepper - a control that steps through the chunks, drawn under the chunk strip
 */
import { LitElement, css, html, nothing, svg } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { consume } from '@lit/context';
import { kStepContext } from './step-context.ts';
import { shapeAt, type Plan, type PlanConstraint, type PlannedArray } from '../core/planner.ts';
import { formatBytes, formatBytesExact, formatCount, formatRatio } from '../core/units.ts';
import type { PlanReply } from '../worker/simulator-api.ts';
import { arrayColour } from './array-colours.ts';

/** Chunks drawn one by one up to this count; beyond it the full chunks are drawn as one striped band. */
const kChunksDrawn = 48;

/** `part / whole` as a percentage with two decimals at most, exact in bigint until the end. */
function percent(part: bigint, whole: bigint): number {
  return whole === 0n ? 0 : Number((part * 10_000n) / whole) / 100;
}

/** Bytes of all buffers of an array at chunkLength. */
function heldBytes(array: PlannedArray): bigint {
  return BigInt(array.bytes) * BigInt(array.buffers);
}

/**
 * How a chunk of this array lies in the host array: `outer` separate ranges of
 * `inner × chunkLength` elements. One range when the chunk axis comes first.
 */
function hostRanges(array: PlannedArray, chunkLength: number): { ranges: number; rangeBytes: bigint } | undefined {
  const axis = array.shape.indexOf('runs');
  if (axis < 0) return undefined;
  const product = (dims: readonly (number | string)[]) => dims.reduce<number>((n, d) => n * (typeof d === 'number' ? d : 1), 1);
  const ranges = product(array.shape.slice(0, axis));
  // runBytes is the whole slice of one run; one range holds 1/ranges of it for each run of the chunk.
  return { ranges, rangeBytes: (BigInt(array.runBytes) / BigInt(ranges)) * BigInt(chunkLength) };
}

const kBoundWords: Record<PlanConstraint['bound'], string> = {
  budget: 'the budget',
  maxBufferSize: 'maxBufferSize',
  maxStorageBufferBindingSize: 'maxStorageBufferBindingSize',
  maxComputeWorkgroupsPerDimension: 'maxComputeWorkgroupsPerDimension',
};

@customElement('plan-view')
export class PlanView extends LitElement {
  static override styles = css`
    :host { display: block; container-type: inline-size; }
    h2 { font-size: 1.1rem; margin: 0 0 0.5rem; display: flex; gap: 0.5rem; align-items: baseline; }
    h3 { font-size: 0.95rem; margin: 1rem 0 0.4rem; }
    .updating { color: var(--cs-muted); font-weight: normal; font-size: 0.85rem; font-style: italic; }
    .headline { display: grid; grid-template-columns: repeat(auto-fit, minmax(13rem, 1fr)); gap: 0.5rem; margin: 0 0 0.5rem; }
    .stat { border: 1px solid var(--cs-border); border-radius: 6px; padding: 0.4rem 0.6rem; background: var(--cs-surface); }
    .stat .label { display: block; font-size: 0.8rem; color: var(--cs-muted); }
    .stat .value { display: block; font-size: 1.05rem; font-weight: 600; font-variant-numeric: tabular-nums; }
    .stat .note { display: block; font-size: 0.8rem; color: var(--cs-subtle); overflow-wrap: anywhere; }
    .stat.dangling { border-color: var(--cs-warn-strong); background: var(--cs-warn-bg); }
    p { margin: 0.3rem 0; }
    .error { border-left: 4px solid var(--cs-danger); padding: 0.5rem 0.75rem; background: var(--cs-danger-bg); }
    .error .code { font-family: ui-monospace, monospace; font-weight: 700; }
    .chunks svg, .budget svg { display: block; width: 100%; height: auto; }
    .chunks rect.chunk { fill: var(--cs-accent); opacity: 0.75; }
    .chunks rect.gap { fill: var(--cs-bg); }
    .chunks rect.hatch-light { fill: var(--cs-dangling); }
    .chunks rect.hatch-dark { fill: var(--cs-warn-strong); }
    .chunks rect.step { fill: var(--cs-step-highlight); stroke: var(--cs-step-outline); stroke-width: 4; vector-effect: non-scaling-stroke; }
    ul.chunk-list li.stepped { background: var(--cs-step-highlight); }
    .budget rect.free, .swatch.free { fill: var(--cs-surface-strong); background: var(--cs-surface-strong); }
    .budget rect.headroom, .swatch.headroom { fill: var(--cs-border-strong); opacity: 0.5; background: var(--cs-border-strong); }
    .axis { display: flex; justify-content: space-between; font-size: 0.8rem; color: var(--cs-muted); font-variant-numeric: tabular-nums; }
    ul.chunk-list { list-style: none; margin: 0.3rem 0 0; padding-left: 0; font-size: 0.85rem; font-variant-numeric: tabular-nums; }
    ul.chunk-list li.dangling { color: var(--cs-warn-text); font-weight: 600; }
    .legend { list-style: none; padding: 0; margin: 0.4rem 0 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(15rem, 1fr)); gap: 0.2rem 1rem; font-size: 0.85rem; }
    .legend li { display: flex; gap: 0.4rem; align-items: baseline; font-variant-numeric: tabular-nums; }
    .swatch { width: 0.8rem; height: 0.8rem; border-radius: 2px; flex: none; align-self: center; border: 1px solid rgb(0 0 0 / 0.2); }
    .table-wrap { overflow-x: auto; }
    table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; font-size: 0.9rem; }
    th, td { text-align: left; padding: 0.25rem 0.5rem; border-bottom: 1px solid var(--cs-border); vertical-align: top; }
    th { font-weight: 600; color: var(--cs-subtle); }
    td.num { white-space: nowrap; }
    .unbounded { white-space: normal; color: var(--cs-muted); }
    td.num, th.num { text-align: right; }
    tr.binding td { background: var(--cs-warn-bg); font-weight: 600; }
    .muted { color: var(--cs-muted); }
    code { font-size: 0.85em; }
    @container (max-width: 560px) {
      /* Each cell says what it is (data-label), so the header row can go. */
      table.cards thead { display: none; }
      table.cards, table.cards tbody, table.cards tr, table.cards td { display: block; }
      table.cards tr { border: 1px solid var(--cs-border); border-radius: 6px; margin-bottom: 0.5rem; padding: 0.25rem 0; }
      table.cards td { border: 0; display: grid; grid-template-columns: 8.5rem minmax(0, 1fr); overflow-wrap: anywhere; gap: 0.5rem; text-align: left; padding: 0.1rem 0.5rem; }
      table.cards td.num { text-align: left; white-space: normal; }
      table.cards td::before { content: attr(data-label); color: var(--cs-muted); font-weight: normal; }
    }
  `;

  /** The worker's answer for the scenario shown; undefined before the first one. */
  @property({ attribute: false }) reply: PlanReply | undefined;

  /** True while a newer scenario is being planned: the plan shown is about to change. */
  @property({ type: Boolean }) pending = false;

  /** The chunk being stepped through (0-based, as the trace counts), drawn highlighted in the strip and the list; from {@link kStepContext}. */
  @consume({ context: kStepContext, subscribe: true })
  @property({ attribute: false })
  highlightChunk: number | undefined;

  override render() {
    const reply = this.reply;
    if (!reply) return html`<h2>Plan</h2><p class="muted" role="status">Planning in the worker…</p>`;
    return html`
      <h2>Plan <span class="updating" role="status">${this.pending ? 'updating…' : ''}</span></h2>
      ${reply.ok ? this.#renderPlan(reply.plan) : this.#renderError(reply)}
    `;
  }

  #renderError(reply: Extract<PlanReply, { ok: false }>) {
    const { error } = reply;
    return html`
      <div class="error" role="alert" data-testid="plan-error">
        <p>No plan: <span class="code" data-testid="plan-error-code">${error.code}</span></p>
        <p data-testid="plan-error-message">${error.path && !reply.issues ? html`<code>${error.path}</code>: ` : nothing}${error.message}</p>
        ${reply.issues
          ? html`<ul>${reply.issues.map((i) => html`<li><code>${i.path || '(scenario)'}</code>: ${i.message}</li>`)}</ul>`
          : nothing}
      </div>
    `;
  }

  #renderPlan(plan: Plan) {
    const dangling = plan.finalChunkLength !== plan.chunkLength;
    return html`
      <div class="headline" data-testid="plan-summary">
        <div class="stat">
          <span class="label">chunks</span>
          <span class="value" data-testid="plan-chunks">${formatCount(plan.numChunks)} ${plan.numChunks === 1 ? 'chunk' : 'chunks'} of ${formatCount(plan.chunkLength)} runs</span>
          <span class="note">chunkLength ${formatCount(plan.chunkLength)} · ${formatCount(plan.runs)} runs in all</span>
        </div>
        <div class="stat ${dangling ? 'dangling' : ''}">
          <span class="label">final chunk</span>
          <span class="value" data-testid="plan-final-chunk">${formatCount(plan.finalChunkLength)} runs ${dangling ? '(dangling)' : '(no dangling chunk)'}</span>
          <span class="note">${dangling ? `${formatCount(plan.chunkLength - plan.finalChunkLength)} short of a full chunk` : 'every chunk is full'}</span>
        </div>
        <div class="stat">
          <span class="label">bound by</span>
          <span class="value" data-testid="plan-bound-by">${plan.boundBy}</span>
          <span class="note">${this.#boundNote(plan)}</span>
        </div>
        <div class="stat">
          <span class="label">predicted peak</span>
          <span class="value" data-testid="plan-peak">${formatBytes(plan.predictedPeakBytes)} of ${formatBytes(plan.budgetBytes)}</span>
          <span class="note">${percent(plan.predictedPeakBytes, plan.budgetBytes)}% of the budget</span>
        </div>
      </div>
      ${this.#renderChunks(plan)} ${this.#renderConstraints(plan)} ${this.#renderBudget(plan)} ${this.#renderArrays(plan)}
    `;
  }

  #boundNote(plan: Plan) {
    const others = plan.constraints.filter((c) => c.maxRuns !== null && c.bound !== plan.boundBy);
    if (plan.boundBy === 'fits') return 'every run fits in one chunk';
    const next = others.reduce<PlanConstraint | undefined>((a, c) => (!a || c.maxRuns! < a.maxRuns! ? c : a), undefined);
    if (!next) return 'no other constraint applies';
    return `next: ${next.bound} allows ${formatCount(next.maxRuns!)} runs (${formatRatio(next.maxRuns! / plan.chunkLength)})`;
  }

  #renderChunks(plan: Plan) {
    const width = 1000;
    const height = 44;
    const x = (run: number) => (run / plan.runs) * width;
    const dangling = plan.finalChunkLength !== plan.chunkLength;
    const fullEnd = (plan.numChunks - 1) * plan.chunkLength;
    const drawEach = plan.numChunks <= kChunksDrawn;
    // The final chunk is at least 6 units wide so a dangling chunk of 1 run in 10^9 is still seen.
    const finalWidth = Math.max(6, width - x(fullEnd));
    const finalX = width - finalWidth;
    const chunkWidth = x(plan.chunkLength);
    const label = `${formatCount(plan.runs)} runs in ${formatCount(plan.numChunks)} chunks of ${formatCount(plan.chunkLength)}` +
      (dangling ? `; the final chunk holds ${formatCount(plan.finalChunkLength)} runs` : '');
    return html`
      <h3>Runs cut into chunks</h3>
      <div class="chunks">
        <svg viewBox="0 0 ${width} ${height}" preserveAspectRatio="none" role="img" aria-label=${label} data-testid="chunk-strip">
          <defs>
            <pattern id="full" width=${Math.max(chunkWidth, 0.0001)} height=${height} patternUnits="userSpaceOnUse">
              <rect class="chunk" width=${chunkWidth} height=${height}></rect>
              ${chunkWidth >= 3 ? svg`<rect class="gap" x=${chunkWidth - 1} width="1" height=${height}></rect>` : nothing}
            </pattern>
            <pattern id="hatch" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
              <rect class="hatch-light" width="8" height="8"></rect>
              <rect class="hatch-dark" width="3" height="8"></rect>
            </pattern>
          </defs>
          ${plan.numChunks > 1
            ? drawEach
              ? Array.from({ length: plan.numChunks - 1 }, (_, i) => svg`<rect class="chunk" x=${x(i * plan.chunkLength)} width=${Math.max(chunkWidth - 2, 0.5)} height=${height}><title>chunk ${i}: runs ${formatCount(i * plan.chunkLength)} to ${formatCount((i + 1) * plan.chunkLength)}</title></rect>`)
              : svg`<rect width=${finalX} height=${height} fill="url(#full)"></rect>`
            : nothing}
          <rect class=${dangling ? 'dangling' : 'chunk'} x=${finalX} width=${finalWidth} height=${height} fill=${dangling ? 'url(#hatch)' : nothing}>
            <title>chunk ${plan.numChunks - 1}, the final chunk: ${formatCount(plan.finalChunkLength)} runs${dangling ? ' (dangling)' : ''}</title>
          </rect>
          ${this.#renderHighlight(plan, { x, finalX, finalWidth, height })}
        </svg>
        <div class="axis" aria-hidden="true"><span>run 0</span><span>run ${formatCount(plan.runs)}</span></div>
        ${this.#renderChunkList(plan)}
        <slot name="stepper"></slot>
      </div>
    `;
  }

  #renderChunkList(plan: Plan) {
    // The chunk list is a formula (DESIGN.md): list the first chunks and the last, never all of a huge plan.
    const chunk = (i: number) => ({ start: i * plan.chunkLength, end: Math.min(plan.runs, (i + 1) * plan.chunkLength) });
    const k = this.highlightChunk;
    const ends = plan.numChunks <= 4 ? [...Array(plan.numChunks).keys()] : [0, 1, plan.numChunks - 1];
    // The chunk stepped to is listed too, between the first and the last.
    const shown = k !== undefined && k < plan.numChunks && !ends.includes(k) ? [...ends, k].sort((a, b) => a - b) : ends;
    const dangling = plan.finalChunkLength !== plan.chunkLength;
    // Chunk numbers go past a list marker's width in huge plans: the number is part of the text.
    return html`<ul class="chunk-list" data-testid="chunk-list">
      ${shown.map((i, k) => {
        const { start, end } = chunk(i);
        const last = i === plan.numChunks - 1;
        const skipped = k > 0 ? i - shown[k - 1] - 1 : 0;
        return html`${skipped > 0 ? html`<li class="muted">… ${formatCount(skipped)} more full ${skipped === 1 ? 'chunk' : 'chunks'}</li>` : nothing}
          <li class="${last && dangling ? 'dangling' : ''} ${i === this.highlightChunk ? 'stepped' : ''}">chunk ${formatCount(i)}: runs [${formatCount(start)}, ${formatCount(end)}), ${formatCount(end - start)} runs${last && dangling ? ' — dangling final chunk' : ''}</li>`;
      })}
    </ul>`;
  }

  /** Chunk k drawn over the strip: outlined, at least 8 units wide so one chunk of thousands shows. */
  #renderHighlight(plan: Plan, at: { x: (run: number) => number; finalX: number; finalWidth: number; height: number }) {
    const k = this.highlightChunk;
    if (k === undefined || k < 0 || k >= plan.numChunks) return nothing;
    const last = k === plan.numChunks - 1;
    const start = at.x(k * plan.chunkLength);
    const w = last ? at.finalWidth : Math.max(8, at.x(plan.chunkLength));
    const x = last ? at.finalX : Math.min(start, 1000 - w);
    return svg`<rect class="step" data-testid="strip-highlight" data-chunk=${k} x=${x} width=${w} height=${at.height}><title>chunk ${k}: stepped to</title></rect>`;
  }

  #renderConstraints(plan: Plan) {
    return html`
      <h3>What bounds chunkLength</h3>
      <p data-testid="bound-sentence">${this.#boundSentence(plan)}</p>
      <div class="table-wrap">
        <table class="cards" data-testid="constraints">
          <thead><tr><th>constraint</th><th class="num">allows per chunk</th><th class="num">vs chunkLength</th></tr></thead>
          <tbody>
            ${plan.constraints.map((c) => {
              const binding = c.bound === plan.boundBy;
              return html`<tr class=${binding ? 'binding' : ''}>
                <td data-label="constraint"><div>${c.bound}${c.array ? html` <span class="muted">(array ${c.array})</span>` : nothing}${binding ? ' — binds' : ''}</div></td>
                <td data-label="allows" class="num"><div>${c.maxRuns === null ? this.#unbounded(c) : `${formatCount(c.maxRuns)} runs`}</div></td>
                <td data-label="vs chunkLength" class="num"><div>${c.maxRuns === null ? '—' : binding ? '1× (binds)' : formatRatio(c.maxRuns / plan.chunkLength)}</div></td>
              </tr>`;
            })}
          </tbody>
        </table>
      </div>
    `;
  }

  #unbounded(c: PlanConstraint) {
    // Wrapped in a span that may wrap: the numeric column otherwise stays on one line.
    return html`<span class="unbounded">${c.bound === 'maxComputeWorkgroupsPerDimension' ? 'no kernel known yet' : 'any number'}</span>`;
  }

  #boundSentence(plan: Plan) {
    const limited = plan.constraints.filter((c) => c.maxRuns !== null);
    if (plan.boundBy === 'fits') {
      const tightest = limited.reduce<PlanConstraint | undefined>((a, c) => (!a || c.maxRuns! < a.maxRuns! ? c : a), undefined);
      return html`All ${formatCount(plan.runs)} runs fit in one chunk${tightest ? html`; the tightest constraint, ${kBoundWords[tightest.bound]}, would allow ${formatCount(tightest.maxRuns!)}` : nothing}.`;
    }
    const binding = plan.constraints.find((c) => c.bound === plan.boundBy)!;
    const next = limited
      .filter((c) => c !== binding)
      .reduce<PlanConstraint | undefined>((a, c) => (!a || c.maxRuns! < a.maxRuns! ? c : a), undefined);
    const where = binding.array ? ` (array "${binding.array}")` : '';
    return html`<strong>${kBoundWords[binding.bound]}${where}</strong> holds chunkLength to ${formatCount(plan.chunkLength)} runs${
      next
        ? html`; the next constraint, ${kBoundWords[next.bound]}${next.array ? ` (array "${next.array}")` : ''}, would allow ${formatCount(next.maxRuns!)} runs, ${formatRatio(next.maxRuns! / plan.chunkLength)} as many`
        : nothing
    }.`;
  }

  #renderBudget(plan: Plan) {
    const width = 1000;
    const height = 36;
    const budget = plan.budgetBytes;
    const segments: { label: string; bytes: bigint; colour: string; note?: string }[] = [];
    plan.arrays.forEach((array) => {
      segments.push({
        label: array.name,
        bytes: heldBytes(array),
        colour: arrayColour(plan, array.name),
        note: array.chunked ? (array.buffers > 1 ? `${array.buffers} buffers of ${formatBytes(array.bytes)}` : 'chunked') : 'fixed',
      });
    });
    const free = plan.capBytes - plan.predictedPeakBytes;
    const headroom = plan.budgetBytes - plan.capBytes;
    let offset = 0;
    const scale = (bytes: bigint) => (budget === 0n ? 0 : Number((bytes * BigInt(width * 1000)) / budget) / 1000);
    return html`
      <h3>Bytes against the budget</h3>
      <p>
        fixed <strong>${formatBytesExact(plan.fixedBytes)}</strong> · per run <strong>${formatBytesExact(plan.perRunBytes)}</strong>${plan.bufferSets > 1 ? ` (${plan.bufferSets} buffer sets)` : ''}
        · per chunk <strong>${formatBytesExact(plan.predictedPeakBytes - plan.fixedBytes)}</strong>
        · peak <strong>${formatBytesExact(plan.predictedPeakBytes)}</strong> of ${formatBytesExact(plan.budgetBytes)}
        ${headroom > 0n ? html` · headroom keeps ${formatBytesExact(headroom)} free` : nothing}
      </p>
      <div class="budget">
        <svg viewBox="0 0 ${width} ${height}" preserveAspectRatio="none" role="img" data-testid="budget-bar"
          aria-label=${`predicted peak ${formatBytes(plan.predictedPeakBytes)} of a ${formatBytes(budget)} budget`}>
          <rect class="free" width=${width} height=${height}></rect>
          ${segments.map((s) => {
            const w = scale(s.bytes);
            const rect = svg`<rect x=${offset} width=${w} height=${height} fill=${s.colour}><title>${s.label}: ${formatBytesExact(s.bytes)}</title></rect>`;
            offset += w;
            return rect;
          })}
          ${headroom > 0n ? svg`<rect class="headroom" x=${scale(plan.capBytes)} width=${scale(headroom)} height=${height}><title>headroom: ${formatBytesExact(headroom)}</title></rect>` : nothing}
        </svg>
        <div class="axis" aria-hidden="true"><span>0 B</span><span>budget ${formatBytes(budget)}</span></div>
        <ul class="legend">
          ${segments.map((s) => html`<li><span class="swatch" style="background:${s.colour}"></span><span>${s.label}: ${formatBytes(s.bytes)} (${percent(s.bytes, budget)}%) <span class="muted">${s.note}</span></span></li>`)}
          <li><span class="swatch free"></span><span>free: ${formatBytes(free)} (${percent(free, budget)}%)</span></li>
          ${headroom > 0n ? html`<li><span class="swatch headroom"></span><span>headroom: ${formatBytes(headroom)} (${percent(headroom, budget)}%)</span></li>` : nothing}
        </ul>
      </div>
    `;
  }

  #renderArrays(plan: Plan) {
    return html`
      <h3>Arrays at chunkLength ${formatCount(plan.chunkLength)}</h3>
      <div class="table-wrap">
        <table class="cards" data-testid="plan-arrays">
          <thead>
            <tr>
              <th>array</th><th>shape → chunk buffer</th><th class="num">per run</th><th class="num">bytes held</th><th>host ranges per chunk</th>
            </tr>
          </thead>
          <tbody>
            ${plan.arrays.map((a) => {
              const ranges = hostRanges(a, plan.chunkLength);
              return html`<tr>
                <td data-label="array"><div><strong>${a.name}</strong><br /><span class="muted">${a.role} · ${a.dtype}</span></div></td>
                <td data-label="shape → buffer"><div>[${a.shape.join(', ')}]<br />${a.chunked ? html`→ [${shapeAt(a.shape, plan.chunkLength).map((d) => formatCount(d)).join(', ')}]` : html`<span class="muted">fixed, whole</span>`}</div></td>
                <td data-label="per run" class="num"><div>${a.chunked ? formatBytes(a.runBytes) : '—'}</div></td>
                <td data-label="bytes held" class="num"><div>${formatBytes(heldBytes(a))}${a.buffers > 1 ? html`<br /><span class="muted">${a.buffers} × ${formatBytes(a.bytes)}</span>` : nothing}</div></td>
                <td data-label="host ranges" data-testid="host-ranges"><div>${a.role === 'scratch'
                  ? 'none (scratch stays on the device)'
                  : ranges
                  ? ranges.ranges === 1
                    ? 'one contiguous range'
                    : `${formatCount(ranges.ranges)} strided ranges of ${formatBytes(ranges.rangeBytes)}`
                  : 'allocated once, whole'}</div></td>
              </tr>`;
            })}
          </tbody>
        </table>
      </div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'plan-view': PlanView;
  }
}
