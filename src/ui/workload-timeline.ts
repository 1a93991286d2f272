/**
 * `<workload-timeline>`: a workload's device memory over its one clock, stacked by job
 * (each job a colour, the device budget as a dashed line), with each lane's own row
 * below it holding only that lane's jobs against the lane's cap. Each job's bytes are
 * what the device ledger counts for it: a job that holds memory until its worker exits
 * stays up after it ends. Each pixel column shows the jobs at the instant in it where
 * their sum was highest, so a stack's height is a total that really happened.
 */
import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { stackedStepBuckets } from '../core/step-buckets.ts';
import { formatBytes, formatDuration } from '../core/units.ts';
import type { JobMemory } from '../worker/simulator-api.ts';
import { kArrayColours } from './array-colours.ts';

/** A lane as the timeline draws its row. */
export interface TimelineLane {
  name: string;
  capBytes: number;
}

const kDeviceHeight = 160;
const kLaneHeight = 56;

@customElement('workload-timeline')
export class WorkloadTimeline extends LitElement {
  static override styles = css`
    :host { display: block; }
    h3 { font-size: 0.95rem; margin: 0.6rem 0 0.25rem; }
    .row { margin: 0 0 0.4rem; }
    .row-head { display: flex; justify-content: space-between; gap: 0.5rem; flex-wrap: wrap; font-size: 0.85rem; color: var(--cs-muted); }
    .row-head strong { color: var(--cs-fg); }
    canvas { display: block; width: 100%; border: 1px solid var(--cs-border); border-radius: 4px; background: var(--cs-bg); }
    ul { list-style: none; display: flex; flex-wrap: wrap; gap: 0.2rem 1rem; padding: 0; margin: 0.3rem 0; font-size: 0.85rem; }
    li { display: flex; align-items: center; gap: 0.35rem; overflow-wrap: anywhere; }
    .swatch { width: 0.9rem; height: 0.9rem; border-radius: 2px; flex: none; }
    .axis { display: flex; justify-content: space-between; font-size: 0.8rem; color: var(--cs-muted); }
  `;

  /** Each job that ran: its bytes over the workload's clock. */
  @property({ attribute: false }) memory: JobMemory[] = [];
  @property({ attribute: false }) lanes: TimelineLane[] = [];
  @property({ type: Number }) budgetBytes = 0;

  #resize = new ResizeObserver(() => this.#draw());

  override connectedCallback(): void {
    super.connectedCallback();
    this.#resize.observe(this);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#resize.disconnect();
  }

  /** A job's colour: by its place among the jobs that ran, the arrays' palette. */
  #colour(i: number): string {
    return kArrayColours[i % kArrayColours.length];
  }

  #tEnd(): number {
    return this.memory.reduce((end, m) => Math.max(end, m.end, m.t[m.t.length - 1] ?? 0), 0);
  }

  override render() {
    const tEnd = this.#tEnd();
    return html`
      <ul data-testid="timeline-jobs" aria-label="jobs, stacked bottom first">
        ${this.memory.map((m, i) => html`<li data-testid="timeline-job" data-job=${m.name} data-lane=${m.lane}>
          <span class="swatch" style="background:${this.#colour(i)}"></span>${m.name} <span style="color:var(--cs-muted)">(lane ${m.lane}, most ${formatBytes(peakOf(m))})</span></li>`)}
      </ul>
      <div class="row" data-testid="device-row">
        <div class="row-head"><strong>Device, stacked by job</strong><span>budget ${formatBytes(this.budgetBytes)} (dashed)</span></div>
        <canvas data-testid="device-canvas" height=${kDeviceHeight} aria-label="device bytes stacked by job over the workload's time"></canvas>
      </div>
      ${this.lanes.map((lane) => {
        const jobs = this.memory.filter((m) => m.lane === lane.name).map((m) => m.name);
        return html`<div class="row" data-testid="lane-row" data-lane=${lane.name} data-jobs=${jobs.join(',')}>
          <div class="row-head"><strong>lane ${lane.name}</strong><span>${jobs.length ? jobs.join(', ') : 'no job ran'} · cap ${formatBytes(lane.capBytes)}</span></div>
          <canvas height=${kLaneHeight} aria-label="lane ${lane.name}: its jobs' device bytes"></canvas>
        </div>`;
      })}
      <div class="axis"><span>0</span><span>${formatDuration(tEnd)}</span></div>
    `;
  }

  override updated(): void {
    this.#draw();
  }

  #draw(): void {
    const canvases = [...this.renderRoot.querySelectorAll('canvas')];
    if (canvases.length === 0) return;
    const tEnd = this.#tEnd();
    const [device, ...laneCanvases] = canvases;
    const all = this.memory.map((_, i) => i);
    this.#drawStack(device, all, Math.max(this.budgetBytes, 1), tEnd);
    this.lanes.forEach((lane, l) => {
      const canvas = laneCanvases[l];
      if (!canvas) return;
      const mine = all.filter((i) => this.memory[i].lane === lane.name);
      this.#drawStack(canvas, mine, Math.max(lane.capBytes, this.#laneMost(mine), 1), tEnd, lane.capBytes);
    });
  }

  /** The most a lane's jobs reach together: a job over its lane's cap (its own budget) must still fit the row. */
  #laneMost(jobs: number[]): number {
    return jobs.reduce((sum, i) => sum + peakOf(this.memory[i]), 0);
  }

  /** Stacks `jobs` bottom first on `canvas`, `top` bytes high, with a dashed line at `line` bytes (the budget by default). */
  #drawStack(canvas: HTMLCanvasElement, jobs: number[], top: number, tEnd: number, line = this.budgetBytes): void {
    const width = Math.max(1, Math.round(canvas.getBoundingClientRect().width));
    if (canvas.width !== width) canvas.width = width;
    const height = canvas.height;
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    ctx.clearRect(0, 0, width, height);
    const scale = (height - 4) / Math.max(top, line);
    const base = new Float64Array(width);
    const stacked = stackedStepBuckets(jobs.map((i) => ({ t: this.memory[i].t, values: this.memory[i].device })), 0, Math.max(tEnd, 1e-9), width);
    jobs.forEach((i, row) => {
      const bytes = stacked[row];
      ctx.fillStyle = this.#colour(i);
      ctx.globalAlpha = 0.8;
      ctx.beginPath();
      for (let x = 0; x < width; x++) {
        if (bytes[x] <= 0) continue;
        const y0 = height - base[x] * scale;
        const h = bytes[x] * scale;
        ctx.rect(x, y0 - h, 1, h);
        base[x] += bytes[x];
      }
      ctx.fill();
    });
    ctx.globalAlpha = 1;
    ctx.strokeStyle = getComputedStyle(this).getPropertyValue('--cs-danger').trim() || '#c00';
    ctx.setLineDash([5, 3]);
    ctx.lineWidth = 1.5;
    const y = Math.max(1, height - line * scale);
    ctx.beginPath();
    ctx.moveTo(0, y);
    ctx.lineTo(width, y);
    ctx.stroke();
    ctx.setLineDash([]);
  }
}

/** The most bytes a job reached. */
function peakOf(m: JobMemory): number {
  return m.device.reduce((most, b) => Math.max(most, b), 0);
}

declare global {
  interface HTMLElementTagNameMap {
    'workload-timeline': WorkloadTimeline;
  }
}
