/** Every control on the page, through every shadow root, that has no accessible name or is out of the tab order. */
import type { Page } from '@playwright/test';

export function unlabelledControls(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const visit = (root: Document | ShadowRoot) => {
      for (const el of root.querySelectorAll<HTMLElement>('input, select, button, textarea, [role="slider"]')) {
        const control = el as HTMLInputElement;
        const name = el.getAttribute('aria-label') || [...(control.labels ?? [])].map((l) => l.textContent).join(' ').trim() ||
          (el.tagName === 'BUTTON' ? el.textContent?.trim() : '') || (el.getAttribute('aria-labelledby') ? 'labelledby' : '');
        const what = `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.dataset.testid ? `[${el.dataset.testid}]` : ''}`;
        if (!name) problems.push(`${what} has no label`);
        if (el.tabIndex < 0) problems.push(`${what} is out of the tab order`);
      }
      for (const host of root.querySelectorAll('*')) if (host.shadowRoot) visit(host.shadowRoot);
    };
    visit(document);
    return problems;
  });
}
