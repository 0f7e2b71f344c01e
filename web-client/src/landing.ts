import { ApiError, createRoom, inviteCode, join, previewInvite, type RoomCreated } from './api';
import { copyButton, h } from './dom';
import { describeHealth, describeUnreachable, type HealthView } from './health';
import { rememberToken } from './session';

function field(label: string, input: HTMLInputElement): HTMLLabelElement {
  return h('label.field', {}, h('span', {}, label), input);
}

function errorLine(): HTMLParagraphElement {
  return h('p.form-error', { role: 'alert', hidden: true });
}

function showError(el: HTMLElement, e: unknown): void {
  el.hidden = false;
  el.textContent = e instanceof ApiError ? e.message : `Something went wrong: ${String(e)}`;
}

function busy(button: HTMLButtonElement, on: boolean, label: string): void {
  button.disabled = on;
  button.textContent = on ? 'Working…' : label;
}

async function checkHealth(): Promise<HealthView> {
  try {
    const response = await fetch('/api/health', { headers: { Accept: 'application/json' } });
    if (!response.ok) return describeUnreachable(`HTTP ${response.status}`);
    return describeHealth(await response.json());
  } catch (error) {
    return describeUnreachable(error instanceof Error ? error.message : String(error));
  }
}

function goToRoom(roomId: string, token: string): void {
  rememberToken(roomId, token);
  location.assign(`/rooms/${encodeURIComponent(roomId)}`);
}

function joinForm(initialCode: string): HTMLFormElement {
  const code = h('input', { name: 'code', required: true, placeholder: 'Paste the invite link', value: initialCode, autocomplete: 'off' });
  const name = h('input', { name: 'displayName', required: true, maxlength: 80, placeholder: 'How the room sees you', autocomplete: 'nickname' });
  const error = errorLine();
  const submit = h('button.primary', { type: 'submit' }, 'Join the room');
  const hint = h('p.hint', {}, 'Use the invite link the showrunner sent you.');
  const form = h('form.card#join-form', {
    onsubmit: async (ev: Event) => {
      ev.preventDefault();
      error.hidden = true;
      busy(submit, true, 'Join the room');
      try {
        const joined = await join(inviteCode(code.value), name.value.trim());
        goToRoom(joined.roomId, joined.token);
      } catch (e) {
        showError(error, e);
        busy(submit, false, 'Join the room');
      }
    },
  },
  h('h2', {}, 'Join a room'),
  hint,
  initialCode ? null : field('Invite link or code', code),
  field('Your name', name), error, submit);
  if (initialCode) {
    // say where the link leads before asking for a name, and say at once if it no longer works
    previewInvite(inviteCode(initialCode)).then((p) => {
      hint.textContent = `You are invited to \u201c${p.roomName}\u201d as ${p.role === 'viewer' ? 'a viewer' : `a ${p.role}`}.`;
      hint.dataset.invite = 'valid';
    }, (e) => {
      showError(error, e);
      submit.disabled = true;
    });
  }
  return form;
}

/**
 * The showrunner's private link, shown once before entering the new room: this browser remembers
 * the sign-in, but another browser, another machine or a cleared browser needs the link.
 */
function savedLinkCard(created: RoomCreated): HTMLElement {
  const link = h('input', { readOnly: true, value: created.link, 'aria-label': 'Your private showrunner link', name: 'showrunner-link' });
  const enter = h('button.primary#enter-room', { type: 'button', onclick: () => location.assign(`/rooms/${encodeURIComponent(created.roomId)}`) },
    'Enter the room');
  const card = h('section.card.saved-link#room-created', { 'aria-labelledby': 'room-created-title' },
    h('h2#room-created-title', {}, `\u201c${created.name}\u201d is ready`),
    h('p.save-note', {}, h('strong', {}, 'Save this link \u2014 it is how you get back in.'),
      ' This browser remembers you, but on another computer, in another browser or after clearing this one, only this link signs you in as the showrunner. Keep it private: anyone who has it is you in this room.'),
    h('div.link-row', {}, link, copyButton(() => created.link, link)),
    h('div.actions', {}, enter));
  setTimeout(() => link.select());
  return card;
}

function createForm(onCreated: (created: RoomCreated) => void): HTMLFormElement {
  // the server's limit for names (RoomNames.MAX_LENGTH)
  const room = h('input', { name: 'name', required: true, maxlength: 80, placeholder: 'e.g. Harbour Lights — Ep. 101' });
  const name = h('input', { name: 'showrunnerName', required: true, maxlength: 80, placeholder: 'Your name', autocomplete: 'nickname' });
  const error = errorLine();
  const submit = h('button.primary', { type: 'submit' }, 'Create the room');
  return h('form.card#create-form', {
    onsubmit: async (ev: Event) => {
      ev.preventDefault();
      error.hidden = true;
      busy(submit, true, 'Create the room');
      try {
        const created = await createRoom(room.value.trim(), name.value.trim());
        rememberToken(created.roomId, created.token);
        onCreated(created);
      } catch (e) {
        showError(error, e);
        busy(submit, false, 'Create the room');
      }
    },
  },
  h('h2', {}, 'Start a writers\u2019 room'),
  h('p.hint', {}, 'You become its showrunner: you invite the room and approve every AI suggestion.'),
  field('Room name', room), field('Your name', name), error, submit);
}

/** The landing page (`/`) and the join page (`/join#code=…`). */
export function renderLanding(root: HTMLElement, joinCode: string | null): void {
  const health = h('p.health#health', { dataset: { state: 'checking' }, role: 'status', 'aria-live': 'polite' },
    h('span.health-dot', { 'aria-hidden': 'true' }), h('span.health-text', {}, 'Checking the server…'));
  const cards = h('div.landing-cards', {});
  const showLink = (created: RoomCreated) => {
    cards.replaceChildren(savedLinkCard(created));
  };
  if (joinCode) cards.append(joinForm(joinCode));
  else cards.append(createForm(showLink), joinForm(''));
  root.append(h('main.landing', {},
    h('header.landing-head', {},
      h('h1.wordmark', {}, 'Roomtone'),
      h('p.tagline', {}, 'Your writers\u2019 room, live, on your own machines.')),
    cards,
    health));
  void checkHealth().then((view) => {
    health.dataset.state = view.state;
    health.querySelector('.health-text')!.textContent = view.text;
  });
}
