type Child = Node | string | null | undefined | false;

/** Builds an element: h('button.primary', { onclick }, 'Save'). Text is always set as text, never HTML. */
type TagOf<S extends string> = S extends `${infer T}.${string}` ? TagOf<T> : S extends `${infer T}#${string}` ? T : S;
type ElementOf<S extends string> = TagOf<S> extends keyof HTMLElementTagNameMap ? HTMLElementTagNameMap[TagOf<S>] : HTMLElement;

export function h<S extends string>(
  tag: S,
  props: Partial<Record<string, unknown>> = {},
  ...children: Child[]
): ElementOf<S> {
  const [base, ...rest] = tag.split(/(?=[.#])/);
  const el = document.createElement(base);
  for (const part of rest) {
    if (part.startsWith('.')) el.classList.add(part.slice(1));
    else el.id = part.slice(1);
  }
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    // a textarea ignores a value attribute, and a select takes one only once its options exist
    if (key === 'value') continue;
    if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2), value as EventListener);
    } else if (key === 'dataset') {
      Object.assign(el.dataset, value);
    } else if (key in el && typeof value !== 'string') {
      (el as unknown as Record<string, unknown>)[key] = value;
    } else {
      el.setAttribute(key, value === true ? '' : String(value));
    }
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(c);
  if (props.value !== undefined && props.value !== null && props.value !== false) {
    (el as unknown as { value: string }).value = String(props.value);
  }
  return el as ElementOf<S>;
}

export function clear(el: Element): void {
  while (el.firstChild) el.firstChild.remove();
}

/** Error and notice toasts; errors stay until dismissed so none is missed. */
export function toast(kind: 'error' | 'info', title: string, detail = ''): void {
  let host = document.querySelector<HTMLElement>('#toasts');
  if (!host) {
    host = h('div#toasts', { role: 'region', 'aria-live': 'assertive', 'aria-label': 'Messages' });
  }
  // a modal dialog makes the rest of the page inert: its errors are shown, and dismissed, over it
  const parent = openModal() ?? document.body;
  if (host.parentElement !== parent) parent.append(host);
  // the same message again (e.g. a viewer typing) is not stacked, the existing one comes forward
  const key = `${kind}|${title}|${detail}`;
  const same = [...host.children].find((c) => (c as HTMLElement).dataset.key === key);
  if (same) {
    host.append(same);
    return;
  }
  const item = h('div.toast', { dataset: { kind, key } },
    h('div.toast-body', {}, h('strong', {}, title), detail ? h('span', {}, detail) : null),
    h('button.toast-close', { 'aria-label': 'Dismiss', onclick: () => item.remove() }, '×'));
  host.append(item);
  if (kind === 'info') setTimeout(() => item.remove(), 4000);
  while (host.children.length > 4) host.firstElementChild?.remove();
}

function openModal(): HTMLDialogElement | null {
  try {
    return document.querySelector<HTMLDialogElement>('dialog:modal');
  } catch {
    return null; // a browser without :modal
  }
}

/** Closes a dialog and takes it out of the page; its toasts move back to the page. */
export function closeDialog(dialog: HTMLDialogElement): void {
  const host = dialog.querySelector('#toasts');
  if (host) document.body.append(host);
  if (dialog.open) dialog.close();
  dialog.remove();
}

/**
 * A Copy button for a text the user must keep (a link): copies it and says so on the button
 * itself; where the browser refuses the clipboard (plain http on a LAN) it selects the field
 * and asks for Ctrl+C instead.
 */
export function copyButton(text: () => string, field?: HTMLInputElement, label = 'Copy'): HTMLButtonElement {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const button: HTMLButtonElement = h('button.ghost.small.copy', {
    type: 'button',
    onclick: async () => {
      let copied = false;
      try {
        if (navigator.clipboard) {
          await navigator.clipboard.writeText(text());
          copied = true;
        }
      } catch {
        // refused (no permission, not a secure context): fall back to the selection below
      }
      if (!copied && field) {
        field.focus();
        field.select();
        copied = document.execCommand?.('copy') ?? false;
      }
      button.textContent = copied ? 'Copied \u2713' : 'Press Ctrl+C to copy';
      button.dataset.copied = copied ? 'yes' : 'no';
      clearTimeout(timer);
      timer = setTimeout(() => { button.textContent = label; delete button.dataset.copied; }, 2500);
    },
  }, label);
  button.setAttribute('aria-live', 'polite');
  return button;
}
