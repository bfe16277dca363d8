// "Copy link at this moment": the page's own address with ?t= set to the current time, copied
// to the clipboard when allowed and always shown in a read-only field to copy by hand.
import { el } from './dom';

export function linkAt(ms: number): string {
  return `${location.origin}${location.pathname}?t=${Math.round(ms)}`;
}

export function createLinkBar(currentTime: () => number): HTMLElement {
  const field = el('input', {
    className: 'moment-link',
    attrs: {
      type: 'text',
      readonly: '',
      'aria-label': 'Link at this moment',
      placeholder: 'Link at this moment',
    },
  });
  const status = el('span', { className: 'copy-status', attrs: { role: 'status' } });
  const button = el('button', {
    className: 'copy-link',
    text: 'Copy link at this moment',
    attrs: { type: 'button' },
  });
  button.addEventListener('click', () => {
    field.value = linkAt(currentTime());
    field.select();
    status.textContent = '';
    const clipboard = navigator.clipboard as Clipboard | undefined;
    if (!clipboard) {
      status.textContent = 'Select the link to copy it.';
      return;
    }
    clipboard.writeText(field.value).then(
      () => (status.textContent = 'Copied.'),
      () => (status.textContent = 'Select the link to copy it.'),
    );
  });
  return el('div', { className: 'link-bar' }, [button, field, status]);
}
