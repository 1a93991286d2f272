/**
 * The app's look, defined once: colours, spacing and the button, as `--cs-…` custom
 * properties set on `<chunkscope-app>` and inherited by every element inside it (custom
 * properties cross shadow roots). A dark theme is the same properties under
 * `prefers-color-scheme: dark`. Elements use them through `var()`, never a hex literal.
 *
 * Properties the timeline and event log read for step-through:
 *   --cs-step-highlight      the fill of chunk k's band / the background of its rows
 *   --cs-step-outline        the outline drawn round chunk k
 */
import { css } from 'lit';

/** The custom properties, light and dark; applied to the app's `:host`. */
export const kThemeProperties = css`
  :host {
    color-scheme: light;
    --cs-fg: #1b1f24;
    --cs-fg-strong: #24292f;
    --cs-muted: #57606a;
    --cs-subtle: #3d444d;
    --cs-page: #f6f7f9;
    --cs-bg: #ffffff;
    --cs-surface: #f6f8fa;
    --cs-surface-strong: #eaeef2;
    --cs-border: #d0d7de;
    --cs-border-strong: #8c959f;
    --cs-accent: #0969da;
    --cs-accent-fg: #0a3069;
    --cs-accent-bg: #ddf4ff;
    --cs-ok: #1a7f37;
    --cs-ok-strong: #1f883d;
    --cs-ok-bg: #f0fff4;
    --cs-danger: #cf222e;
    --cs-danger-strong: #a40e26;
    --cs-danger-bg: #fff0f0;
    --cs-warn: #953800;
    --cs-warn-strong: #b35900;
    --cs-warn-text: #8a4b00;
    --cs-warn-bg: #fff7ed;
    --cs-dangling: #f5a623;
    --cs-attention-bg: #fff8c5;
    --cs-replay: #8250df;
    --cs-replay-strong: #6639ba;
    --cs-replay-bg: #fbefff;
    --cs-stale-opacity: 0.55;
    --cs-step-highlight: rgb(255 196 0 / 0.45);
    --cs-step-outline: #bf8700;
    --cs-radius: 6px;
    --cs-gap: 1rem;
    --cs-focus: 2px solid var(--cs-accent);
  }
  @media (prefers-color-scheme: dark) {
    :host {
      color-scheme: dark;
      --cs-fg: #e6edf3;
      --cs-fg-strong: #f0f6fc;
      --cs-muted: #9198a1;
      --cs-subtle: #b7bdc8;
      --cs-page: #010409;
      --cs-bg: #0d1117;
      --cs-surface: #151b23;
      --cs-surface-strong: #212830;
      --cs-border: #3d444d;
      --cs-border-strong: #656c76;
      --cs-accent: #4493f8;
      --cs-accent-fg: #cae8ff;
      --cs-accent-bg: #0c2d6b;
      --cs-ok: #3fb950;
      --cs-ok-strong: #238636;
      --cs-ok-bg: #0f2a18;
      --cs-danger: #f85149;
      --cs-danger-strong: #ff7b72;
      --cs-danger-bg: #2d1214;
      --cs-warn: #f0883e;
      --cs-warn-strong: #db6d28;
      --cs-warn-text: #f0b072;
      --cs-warn-bg: #2b1a0b;
      --cs-dangling: #d18616;
      --cs-attention-bg: #3b2e00;
      --cs-replay: #ab7df8;
      --cs-replay-strong: #d2a8ff;
      --cs-replay-bg: #231536;
      --cs-step-highlight: rgb(210 153 34 / 0.45);
      --cs-step-outline: #e3b341;
    }
  }
`;

/** The one button look: plain, primary (`.primary`) and danger (`.danger`), with a visible focus ring. */
export const kButtonStyles = css`
  button, .button {
    font: inherit; font-size: 0.9rem; padding: 0.2rem 0.6rem; border: 1px solid var(--cs-border-strong);
    border-radius: 4px; background: var(--cs-surface); color: var(--cs-fg); cursor: pointer;
  }
  button:disabled { opacity: 0.6; cursor: not-allowed; }
  button:focus-visible, .button:focus-within, select:focus-visible, input:focus-visible { outline: var(--cs-focus); outline-offset: 1px; }
  button.primary { font-weight: 600; padding: 0.35rem 1.2rem; border-radius: var(--cs-radius); border-color: var(--cs-ok); background: var(--cs-ok-strong); color: #fff; }
  button.primary:disabled { background: var(--cs-surface-strong); border-color: var(--cs-border); color: var(--cs-muted); }
  button.danger { border-color: var(--cs-danger); background: var(--cs-bg); color: var(--cs-danger); }
  select { font: inherit; font-size: 0.9rem; padding: 0.15rem 0.3rem; border: 1px solid var(--cs-border-strong); border-radius: 4px; background: var(--cs-bg); color: var(--cs-fg); }
`;

/**
 * The figures list of a report (`<dl>` of names and figures): two columns, one under the
 * other in a narrow container. The host must be a size container (`container-type: inline-size`).
 */
export const kFigureListStyles = css`
  dl { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 0.3rem 1rem; margin: 0; }
  dt { color: var(--cs-muted); }
  dd { margin: 0; font-variant-numeric: tabular-nums; overflow-wrap: anywhere; }
  @container (max-width: 420px) {
    dl { grid-template-columns: minmax(0, 1fr); gap: 0; }
    dd { margin: 0 0 0.45rem 0.75rem; }
  }
`;
