import * as Y from 'yjs';
import { Awareness } from 'y-protocols/awareness';
import { yCollab, yUndoManagerKeymap } from 'y-codemirror.next';
import { EditorState } from '@codemirror/state';
import { EditorView, drawSelection, highlightActiveLine, keymap, placeholder } from '@codemirror/view';
import { defaultKeymap } from '@codemirror/commands';
import { RoomConnection, type ConnectionState } from '../protocol/connection';
import { Role, roleName, type ReadableError } from '../protocol/envelope';
import type { AiJobEvent, Roster, Suggestion, Welcome } from '../gen/roomtone/v1/room_pb';
import { Suggestion_Status } from '../gen/roomtone/v1/room_pb';
import { elementAt, readOnly, screenplay, setHighlights, suggestionHighlights } from '../editor/screenplay';
import { scenes, type LineKind } from '../fountain';
import { clear, closeDialog, copyButton, h, toast } from '../dom';
import { forgetToken, rememberToken, tokenFor, tokenRefused } from '../session';
import { createInvite, ApiError, EXPORT_FORMATS, exportScript, fileNameFor, renameMember, renameRoom, listMembers, listInvites,
  changeRole, removeMember, revokeInvite, type ApiMemberEntry, type OpenInvite } from '../api';
import { colorFor, initials } from './colors';
import { applyAccepted, applyJobEvent, applyRefusal, dismiss, dismissible, type Job } from './jobs';
import { ROLES, connectionsText, expiryText, joinedText, reentryInvite, usesText } from './people';
import { approvalMode, approveLabel, ordered, outcome, shownText, splitAlternatives } from './suggestions';

/** The name of the shared text in the room's document, as the server and every client use it. */
export const SCRIPT = 'script';

const STATE_TEXT: Record<ConnectionState, string> = {
  connecting: 'Connecting…',
  handshake: 'Joining…',
  syncing: 'Syncing…',
  live: 'Live',
  offline: 'Offline',
  closed: 'Disconnected',
};

/** The server's screenwriting tasks (multimodal ScreenwritingTask); outline → scenes → dialogue is Dramatron's chain. */
const TASKS: { id: string; label: string }[] = [
  { id: 'alternatives', label: 'Alternatives for this line' },
  { id: 'punch_up', label: 'Punch up dialogue' },
  { id: 'continue_scene', label: 'Continue the scene' },
  { id: 'rewrite', label: 'Rewrite the selection (say how)' },
  { id: 'summarise', label: 'Summarise' },
  { id: 'logline', label: 'Logline' },
  { id: 'beat_sheet', label: 'Beat sheet from an outline' },
  { id: 'outline', label: 'Outline from a logline' },
  { id: 'scenes', label: 'Scenes from an outline' },
  { id: 'dialogue', label: 'Write a scene from its description' },
  { id: 'storyboard_frame', label: 'Storyboard frame' },
];

/** The element the cursor's line is, as the indicator under the page names it. */
const ELEMENT_NAME: Partial<Record<LineKind, string>> = {
  blank: 'Action', action: 'Action', scene: 'Scene heading', character: 'Character', dialogue: 'Dialogue',
  parenthetical: 'Parenthetical', transition: 'Transition', centered: 'Centred', section: 'Section',
  synopsis: 'Synopsis', note: 'Note', boneyard: 'Boneyard', pagebreak: 'Page break', lyric: 'Lyric',
};

const PLACEHOLDER = 'FADE IN:\n\nINT. WRITERS\u2019 ROOM - NIGHT\n\nStart typing. Tab cycles the element; Enter moves on the way a screenplay does.';

export function renderRoom(root: HTMLElement, roomId: string): void {
  const token = tokenFor(roomId);
  if (!token) {
    root.append(h('main.landing', {}, h('h1.wordmark', {}, 'Roomtone'),
      h('div.card', {}, h('h2', {}, 'You are not in this room yet'),
        h('p.hint', {}, 'Open the invite link the showrunner sent you, or the link printed when the room was created.'),
        h('a.button', { href: '/' }, 'Go to the start page'))));
    return;
  }

  const doc = new Y.Doc();
  const ytext = doc.getText(SCRIPT);
  const awareness = new Awareness(doc);
  const undoManager = new Y.UndoManager(ytext);

  let me: Welcome['member'] | null = null;
  // while the member edits their name, the roster is left alone: it is redrawn on every cursor move
  // (declared up here: the roster is first drawn while the page is still being set up)
  let renaming = false;
  // until Welcome says otherwise: a server with no model says so before anyone asks
  let aiAvailable = true;
  let roster: Roster['present'] = [];
  const jobs: Job[] = [];
  const suggestions = new Map<string, Suggestion>();
  // the showrunner's edits of proposals, by suggestion, kept while the list re-renders
  const drafts = new Map<string, string>();

  // ---- layout
  const statePill = h('span.conn', { dataset: { state: 'connecting' }, role: 'status', 'aria-live': 'polite' },
    h('span.conn-dot', { 'aria-hidden': 'true' }), h('span.conn-text', {}, STATE_TEXT.connecting));
  const saveState = h('span.save-state', { role: 'status' }, '');
  const roomName = h('span.room-name', {}, '');
  const rosterEl = h('ul.roster', { 'aria-label': 'In the room' });
  const roleBadge = h('span.role-badge', {}, '');
  const inviteButton = h('button.ghost#invite-button', { hidden: true, onclick: () => openInvite() }, 'Invite');
  const peopleButton = h('button.ghost#people-button', { hidden: true, title: 'Roles, removals and open invites', onclick: () => openPeople() }, 'People');
  const exportMenu = h('details.export-menu', {},
    h('summary.button.ghost#export-button', { title: 'Download the script' }, 'Download'),
    h('div.menu', { role: 'menu' }, ...EXPORT_FORMATS.map((f) =>
      h('button.ghost', { role: 'menuitem', dataset: { format: f.format }, onclick: () => download(f.format) }, f.label))));
  // not a live region: it changes with every cursor move
  const elementKind = h('span.element-kind#element-kind', { title: 'The element of the line the cursor is on' }, 'Action');
  const elementBar = h('div.element-bar', {}, elementKind, h('span.element-hint', {}, 'Tab on an empty line changes the element'));
  const banner = h('div.banner', { hidden: true, role: 'note' });
  const sceneList = h('ol.scene-list', { 'aria-label': 'Scenes' });
  const page = h('div.page');
  const aiPanel = h('section.panel.ai-panel', { 'aria-label': 'AI assistant' });
  const suggestionPanel = h('section.panel.suggestion-panel', { 'aria-label': 'Suggestions' });
  const fatal = h('div.fatal', { hidden: true, role: 'alert' });

  root.append(h('div.room', {},
    h('header.topbar', {},
      h('a.wordmark.small', { href: '/' }, 'Roomtone'),
      h('span.divider', {}),
      roomName, statePill, saveState,
      h('span.spacer', {}),
      rosterEl, roleBadge, exportMenu, peopleButton, inviteButton),
    banner,
    h('div.workspace', {},
      h('nav.sidebar', { 'aria-label': 'Scene navigator' }, h('h2.panel-title', {}, 'Scenes'), sceneList),
      h('div.desk', {}, page, elementBar),
      h('aside.rightbar', {}, aiPanel, suggestionPanel)),
    fatal));

  // ---- editor
  let view: EditorView;
  const makeEditor = (viewer: boolean) => {
    view?.destroy();
    clear(page);
    view = new EditorView({
      parent: page,
      state: EditorState.create({
        doc: ytext.toString(),
        extensions: [
          // undo and redo touch only this member's own edits (Y.UndoManager tracks local origins)
          keymap.of(yUndoManagerKeymap),
          keymap.of(defaultKeymap),
          drawSelection(),
          highlightActiveLine(),
          placeholder(PLACEHOLDER),
          screenplay(),
          suggestionHighlights,
          yCollab(ytext, awareness, { undoManager }),
          viewer ? readOnly(() => toast('info', 'Read-only', 'You are a viewer in this room: you can read and follow along, but not change the script.')) : [],
          EditorView.contentAttributes.of({ 'aria-label': 'Screenplay', spellcheck: 'true' }),
          EditorView.updateListener.of((u) => {
            if (u.selectionSet || u.docChanged) markCurrentScene();
            // also on Tab over an empty line, which changes the element without changing the text
            showElement();
            if (u.selectionSet) renderAi();
          }),
        ],
      }),
    });
  };
  makeEditor(false);

  function showElement(): void {
    const kind = elementAt(view.state);
    elementKind.textContent = ELEMENT_NAME[kind] ?? 'Action';
    elementKind.dataset.kind = kind;
  }
  showElement();

  // ---- connection
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/rooms/${encodeURIComponent(roomId)}/ws`;
  const conn = new RoomConnection({
    url,
    token,
    doc,
    awareness,
    createSocket: (u) => new WebSocket(u) as unknown as import('../protocol/connection').SocketLike,
    events: {
      state: (s) => {
        statePill.dataset.state = s;
        statePill.querySelector('.conn-text')!.textContent = STATE_TEXT[s];
        document.body.dataset.connection = s;
        // who is present is the server's knowledge; offline we only know about ourselves
        if (s === 'offline' || s === 'closed') roster = [];
        showSaveState();
        renderRoster();
      },
      pending: () => showSaveState(),
      welcome: (w) => {
        // accepted: this browser signs the member in from now on, in any tab, without the link
        rememberToken(roomId, token);
        me = w.member ?? null;
        aiAvailable = w.aiAvailable;
        showRoomName(w.roomName);
        applyRole(me?.role ?? Role.UNSPECIFIED);
      },
      roster: (r) => {
        if (r.roomName) showRoomName(r.roomName);
        // a showrunner may change this member's role while they are here: the page follows at once
        const mine = r.present.find((p) => p.member?.memberId === me?.memberId)?.member;
        if (me && mine && mine.role !== me.role) {
          me.role = mine.role;
          applyRole(mine.role);
          toast('info', 'Your role changed', `You are now ${mine.role === Role.VIEWER ? 'a viewer' : `a ${roleName(mine.role)}`} in this room.`);
        }
        roster = r.present;
        renderRoster();
      },
      error: (e, requestId) => onServerError(e, requestId),
      aiJob: (e, requestId) => onAiJob(e, requestId),
      jobAccepted: (jobId, requestId) => {
        if (applyAccepted(jobs, jobId, requestId)) renderAi();
      },
      suggestion: (s) => {
        suggestions.set(s.suggestionId, s);
        if (s.status !== Suggestion_Status.PENDING) drafts.delete(s.suggestionId);
        renderSuggestions();
        // the card of the request it came from follows its fate
        if (jobs.some((j) => j.suggestionId === s.suggestionId)) renderAi();
      },
    },
  });
  conn.connect();
  addEventListener('offline', () => conn.pause());
  addEventListener('online', () => conn.resume());
  addEventListener('pagehide', () => conn.destroy());
  // closing or reloading the page now would lose edits only this browser holds
  addEventListener('beforeunload', (ev) => {
    if (!conn.hasUnconfirmedEdits) return;
    ev.preventDefault();
    ev.returnValue = '';
  });

  function showSaveState(): void {
    const s = conn.state;
    saveState.textContent = s === 'live' ? (conn.hasUnconfirmedEdits ? 'Saving…' : 'All changes saved')
      : conn.hasUnconfirmedEdits ? 'Your edits are kept here and sync when back' : '';
    saveState.dataset.unsaved = conn.hasUnconfirmedEdits ? 'yes' : 'no';
  }

  function onServerError(e: ReadableError, requestId: bigint): void {
    if (applyRefusal(jobs, e, requestId)) {
      renderAi();
      return;
    }
    if (e.fatal) {
      // a token that will never work again is not offered to the next visit
      if (tokenRefused(e.code)) forgetToken(roomId, token!);
      fatal.hidden = false;
      clear(fatal);
      fatal.append(h('div.card', {}, h('h2', {}, e.title), h('p', {}, e.detail),
        h('a.button', { href: '/' }, 'Back to the start page')));
      return;
    }
    toast('error', e.title, e.detail);
  }

  // ---- typing indicator: a flag in our awareness state while keys are pressed
  let typingTimer: ReturnType<typeof setTimeout> | null = null;
  doc.on('update', (_u: Uint8Array, origin: unknown) => {
    if (origin === conn) return;
    showSaveState();
    if (!awareness.getLocalState()?.typing) awareness.setLocalStateField('typing', true);
    if (typingTimer) clearTimeout(typingTimer);
    typingTimer = setTimeout(() => awareness.setLocalStateField('typing', false), 1500);
  });
  awareness.on('change', () => renderRoster());

  function renderRoster(): void {
    if (renaming) return;
    clear(rosterEl);
    const typing = new Set<string>();
    const present = new Set<string>();
    awareness.getStates().forEach((state, clientId) => {
      const user = state.user as { memberId?: string } | undefined;
      if (!user?.memberId) return;
      present.add(user.memberId);
      if (state.typing && clientId !== doc.clientID) typing.add(user.memberId);
    });
    const members = roster.map((p) => p.member!).filter(Boolean);
    if (me && conn.state !== 'live' && !members.some((m) => m.memberId === me!.memberId)) members.unshift(me);
    for (const m of members) {
      const { color } = colorFor(m.memberId);
      const self = m.memberId === me?.memberId;
      rosterEl.append(h('li.person', { dataset: { member: m.memberId, role: roleName(m.role), typing: typing.has(m.memberId) ? 'yes' : 'no' }, title: `${m.displayName} · ${roleName(m.role)}${self ? ' (you)' : ''}` },
        h('span.avatar', { style: `--c:${color}` }, initials(m.displayName)),
        h('span.person-text', {},
          self
            ? h('button.person-name.rename', { type: 'button', title: 'Change your name in this room', onclick: () => renameSelf(m.displayName) },
              m.displayName + ' (you)')
            : h('span.person-name', {}, m.displayName),
          h('span.person-role', {}, typing.has(m.memberId) ? 'typing…' : roleName(m.role)))));
    }
  }

  /** Swaps the member's own name in the roster for a field: Enter saves, Escape or leaving it cancels. */
  function renameSelf(current: string): void {
    const button = rosterEl.querySelector<HTMLElement>('button.rename');
    if (!button || !me || !token) return;
    renaming = true;
    const input = h('input.rename-input', { value: current, maxlength: 80, 'aria-label': 'Your name in this room' }) as HTMLInputElement;
    const done = () => {
      renaming = false;
      renderRoster();
    };
    input.addEventListener('keydown', async (e) => {
      if (e.key === 'Escape') done();
      if (e.key !== 'Enter') return;
      e.preventDefault();
      const name = input.value.trim();
      if (!name || name === current) return done();
      input.disabled = true;
      try {
        const renamed = await renameMember(roomId, token!, me!.memberId, name);
        me!.displayName = renamed.displayName;
        awareness.setLocalStateField('user', { ...(awareness.getLocalState()?.user as object), name: renamed.displayName });
      } catch (err) {
        toast('error', 'Your name was not changed', err instanceof ApiError ? err.message : String(err));
      }
      done();
    });
    input.addEventListener('blur', () => { if (!input.disabled) done(); });
    button.replaceWith(input);
    input.focus();
    input.select();
  }

  /** Everything on the page that depends on the member's role; the editor is rebuilt only when editing is gained or lost. */
  function applyRole(role: Role): void {
    const viewer = role === Role.VIEWER;
    // the editor starts editable: it is rebuilt when the role it was built for differs
    if (viewer !== (roleBadge.dataset.role === 'viewer')) makeEditor(viewer);
    roomName.classList.toggle('renamable', role === Role.SHOWRUNNER);
    roomName.title = role === Role.SHOWRUNNER ? 'Rename the room' : '';
    roleBadge.textContent = roleName(role);
    roleBadge.dataset.role = roleName(role);
    inviteButton.hidden = role !== Role.SHOWRUNNER;
    peopleButton.hidden = role !== Role.SHOWRUNNER;
    banner.hidden = !viewer;
    elementBar.hidden = viewer;
    banner.textContent = viewer ? 'You are a viewer: you can read the script and follow the room live, but not edit it or ask the AI.' : '';
    if (me) {
      const { color, light } = colorFor(me.memberId);
      awareness.setLocalStateField('user', { name: me.displayName, color, colorLight: light, memberId: me.memberId, role: roleName(role) });
    }
    renderAi();
    renderSuggestions();
  }

  function showRoomName(name: string): void {
    if (roomName.querySelector('input')) return; // the showrunner is editing it
    roomName.textContent = name || 'Untitled room';
    document.title = `${name || 'Room'} · Roomtone`;
  }

  // the showrunner renames the room in place: Enter saves, Escape or leaving it cancels
  roomName.addEventListener('click', () => {
    if (me?.role !== Role.SHOWRUNNER || !token || roomName.querySelector('input')) return;
    const current = roomName.textContent ?? '';
    const input = h('input.rename-input.room-rename', { value: current, maxlength: 80, 'aria-label': 'Room name' }) as HTMLInputElement;
    const done = (name: string) => {
      roomName.textContent = '';
      showRoomName(name);
    };
    input.addEventListener('keydown', async (e) => {
      if (e.key === 'Escape') done(current);
      if (e.key !== 'Enter') return;
      e.preventDefault();
      const name = input.value.trim();
      if (!name || name === current) return done(current);
      input.disabled = true;
      try {
        done((await renameRoom(roomId, token!, name)).name);
      } catch (err) {
        toast('error', 'The room was not renamed', err instanceof ApiError ? err.message : String(err));
        done(current);
      }
    });
    input.addEventListener('blur', () => { if (!input.disabled) done(current); });
    roomName.replaceChildren(input);
    input.focus();
    input.select();
  });

  // ---- storyboard frames: fetched with the member's token in a header, as the export is; a token
  // in an image's address would reach proxy logs and the browser's history
  const frames = new Map<string, Promise<string>>();
  function frameImage(asset: string, alt: string): HTMLElement {
    const img = h('img', { alt }) as HTMLImageElement;
    let url = frames.get(asset);
    if (!url) {
      url = fetch(`/api/rooms/${encodeURIComponent(roomId)}/assets/${encodeURIComponent(asset)}`,
        { headers: { Authorization: `Bearer ${token ?? ''}` } })
        .then((r) => (r.ok ? r.blob() : Promise.reject(new Error(`HTTP ${r.status}`))))
        .then((b) => URL.createObjectURL(b));
      url.catch(() => frames.delete(asset)); // tried again on the next render
      frames.set(asset, url);
    }
    url.then((u) => { img.src = u; }, () => { img.alt = `${alt}: the image could not be loaded`; });
    return img;
  }

  // ---- scene navigator
  let sceneFrame = 0;
  let sceneStarts: number[] = [];
  const renderScenes = () => {
    sceneFrame = 0;
    const lines = ytext.toString().split('\n');
    const list = scenes(lines);
    clear(sceneList);
    sceneStarts = [];
    if (!list.length) sceneList.append(h('li.empty', {}, 'Scene headings appear here as you write them (INT. / EXT.).'));
    for (const s of list) {
      const lineNo = s.line + 1;
      sceneList.append(h('li', {}, h('button.scene', {
        dataset: { line: String(lineNo) },
        onclick: () => {
          if (lineNo > view.state.doc.lines) return;
          const pos = view.state.doc.line(lineNo).from;
          view.dispatch({ selection: { anchor: pos }, effects: EditorView.scrollIntoView(pos, { y: 'start', yMargin: 48 }) });
          view.focus();
        },
      }, h('span.scene-no', {}, s.number), h('span.scene-title', {}, s.title))));
      sceneStarts.push(lineNo);
    }
    markCurrentScene();
  };
  function markCurrentScene(): void {
    if (!view) return;
    const line = view.state.doc.lineAt(view.state.selection.main.head).number;
    let current = -1;
    sceneStarts.forEach((start, i) => { if (start <= line) current = i; });
    sceneList.querySelectorAll('button.scene').forEach((b, i) => b.classList.toggle('current', i === current));
  }
  ytext.observe(() => {
    // after CodeMirror has finished the update this change came from
    if (!sceneFrame) sceneFrame = requestAnimationFrame(() => { renderScenes(); if (suggestions.size) refreshHighlights(); });
  });
  renderScenes();

  // ---- AI panel
  const taskSelect = h('select#ai-task', { 'aria-label': 'Task' }, ...TASKS.map((t) => h('option', { value: t.id }, t.label)));
  const instruction = h('textarea#ai-instruction', { rows: 2, placeholder: 'Instruction (optional), e.g. \u201cmake her colder\u201d', maxlength: 500 });
  const selectionInfo = h('p.hint.selection-info', {}, '');
  const askButton = h('button.primary#ai-ask', { type: 'submit' }, 'Ask');
  const jobList = h('ol.jobs', { 'aria-label': 'Requests' });
  aiPanel.append(h('h2.panel-title', {}, 'Assistant'),
    h('form.ai-form', { onsubmit: (ev: Event) => { ev.preventDefault(); ask(); } },
      selectionInfo, taskSelect, instruction, askButton),
    jobList);

  /**
   * The selection without the line breaks around it: a triple-click selects a line with its
   * newline, and a suggestion written over that would join the line to the next element.
   */
  function selectionRange(): { from: number; to: number } {
    const sel = view.state.selection.main;
    const text = view.state.doc.sliceString(sel.from, sel.to);
    const lead = text.length - text.replace(/^\n+/, '').length;
    const trail = text.length - text.replace(/\n+$/, '').length;
    return lead + trail >= text.length ? { from: sel.from, to: sel.from } : { from: sel.from + lead, to: sel.to - trail };
  }

  function ask(): void {
    const { from, to } = selectionRange();
    if (from === to) {
      toast('info', 'Select some text first', 'The assistant works on the lines you select.');
      return;
    }
    const anchorStart = Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(ytext, from));
    const anchorEnd = Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(ytext, to, -1));
    const task = taskSelect.value;
    const requestId = conn.requestAi({ task, anchorStart, anchorEnd, instruction: instruction.value.trim(), model: '', variants: task === 'alternatives' ? 3 : 1 });
    if (requestId === 0n) {
      toast('error', 'Not connected', 'The request was not sent; try again when the room is live.');
      return;
    }
    const excerpt = view.state.sliceDoc(from, to);
    jobs.unshift({ requestId, jobId: '', task, instruction: instruction.value.trim(), excerpt: excerpt.length > 140 ? excerpt.slice(0, 140) + '…' : excerpt,
      requester: me?.memberId ?? '', status: 'sending', position: 0, text: '', detail: '', model: '', cancelledBy: '', suggestionId: '' });
    instruction.value = '';
    renderAi();
  }

  function onAiJob(e: AiJobEvent, requestId: bigint): void {
    const job = applyJobEvent(jobs, e, requestId);
    if (job.status === 'cancelled') job.detail = `Cancelled by ${nameOf(job.cancelledBy)}.`;
    renderAi();
  }

  function nameOf(memberId: string): string {
    if (memberId === me?.memberId) return 'you';
    return roster.find((p) => p.member?.memberId === memberId)?.member?.displayName ?? 'a member';
  }

  const JOB_STATUS: Record<Job['status'], string> = {
    sending: 'Sending…', queued: 'Queued', running: 'Writing…', finished: 'Finished', failed: 'Failed', cancelled: 'Cancelled', refused: 'Refused',
  };

  function renderAi(): void {
    const viewer = me?.role === Role.VIEWER;
    const { from, to } = view ? selectionRange() : { from: 0, to: 0 };
    askButton.disabled = viewer || !aiAvailable || from === to;
    taskSelect.disabled = instruction.disabled = viewer || !aiAvailable;
    selectionInfo.textContent = !aiAvailable ? 'AI assistance is not configured on this server; ask the operator to set up a model.'
      : viewer ? 'Viewers can follow requests but not make them.'
        : from === to ? 'Select lines in the script to ask about them.'
          : `${to - from} characters selected.`;
    clear(jobList);
    for (const job of jobs) {
      const task = job.task || suggestions.get(job.suggestionId)?.task || '';
      const label = TASKS.find((t) => t.id === task)?.label ?? task;
      const mine = job.requester === me?.memberId;
      const detail = job.status === 'finished' ? outcome(suggestions.get(job.suggestionId), nameOf) : job.detail;
      jobList.append(h('li.job', { dataset: { status: job.status, task } },
        h('div.job-head', {},
          h('span.job-task', {}, label || 'Request'),
          h('span.job-status', {}, job.status === 'queued' ? (job.position === 0 ? 'Next to run' : `Queued · ${job.position} ahead`) : JOB_STATUS[job.status])),
        job.excerpt ? h('blockquote.job-excerpt', {}, job.excerpt) : null,
        job.instruction ? h('p.job-instruction', {}, `\u201c${job.instruction}\u201d`) : null,
        !mine && job.requester ? h('p.hint', {}, `Asked by ${nameOf(job.requester)}`) : null,
        job.text ? h('pre.job-stream', { 'aria-live': 'polite' }, job.text) : null,
        detail ? h('p.job-detail', { role: job.status === 'refused' || job.status === 'failed' ? 'alert' : undefined }, detail) : null,
        (job.status === 'queued' || job.status === 'running') && job.jobId && (mine || me?.role === Role.SHOWRUNNER)
          ? h('button.ghost.small', { onclick: () => { if (conn.cancelAi(job.jobId) === 0n) toast('error', 'Not connected', 'Cancel was not sent.'); } }, 'Cancel')
          : null,
        // only this browser's list: the room keeps no record of failed requests to clear
        dismissible(job) ? h('button.ghost.small.dismiss', { onclick: () => { dismiss(jobs, job); renderAi(); } }, 'Dismiss') : null));
    }
  }
  renderAi();

  // ---- suggestions
  function refreshHighlights(): void {
    if (!view) return;
    const ranges: { from: number; to: number; id: string }[] = [];
    for (const s of suggestions.values()) {
      if (s.status !== Suggestion_Status.PENDING) continue;
      const range = absolute(s);
      if (range) ranges.push({ ...range, id: s.suggestionId });
    }
    view.dispatch({ effects: setHighlights.of(ranges) });
  }

  function absolute(s: Suggestion): { from: number; to: number } | null {
    try {
      const a = Y.createAbsolutePositionFromRelativePosition(Y.decodeRelativePosition(s.anchorStart), doc);
      const b = Y.createAbsolutePositionFromRelativePosition(Y.decodeRelativePosition(s.anchorEnd), doc);
      return a && b ? { from: a.index, to: b.index } : null;
    } catch {
      return null;
    }
  }

  const STATUS_TEXT: Record<number, string> = {
    [Suggestion_Status.PENDING]: 'Pending', [Suggestion_Status.APPROVED]: 'Approved',
    [Suggestion_Status.REJECTED]: 'Rejected', [Suggestion_Status.STALE]: 'Stale — the text changed',
  };

  function decide(s: Suggestion, approve: boolean, edited = ''): void {
    if (conn.decide(s.suggestionId, approve, edited) === 0n) toast('error', 'Not connected', 'The decision was not sent.');
  }

  /** Edit & approve: the proposal (or one alternative) in a textarea, kept across re-renders. */
  function editor(s: Suggestion, confirmLabel: string): HTMLElement {
    const text = h('textarea.edit-proposal', { rows: 4, 'aria-label': 'Edit before approving', value: drafts.get(s.suggestionId) ?? '',
      oninput: () => drafts.set(s.suggestionId, text.value) });
    return h('div.edit', { hidden: !drafts.has(s.suggestionId) }, text,
      h('div.actions', {},
        h('button.primary.small.confirm-edit', {
          onclick: () => {
            // an empty edited_text means "as proposed" to the server: not what an emptied box means
            if (text.value.trim() === '') toast('info', 'Nothing to approve', 'Write the text to approve, or reject the suggestion.');
            else decide(s, true, text.value);
          },
        }, confirmLabel),
        h('button.ghost.small', { onclick: () => { drafts.delete(s.suggestionId); renderSuggestions(); } }, 'Cancel edit')));
  }

  function openEditor(s: Suggestion, text: string): void {
    drafts.set(s.suggestionId, text);
    renderSuggestions();
    suggestionPanel.querySelector<HTMLTextAreaElement>(`article.suggestion[data-id="${CSS.escape(s.suggestionId)}"] textarea.edit-proposal`)?.focus();
  }

  /** The showrunner's choices for a pending suggestion; the buttons say what approving does. */
  function decisionControls(s: Suggestion): (HTMLElement | null)[] {
    const label = approveLabel(s.task);
    const reject = h('button.ghost.small.danger', { onclick: () => decide(s, false) }, 'Reject');
    if (s.task === 'alternatives') {
      // the server takes an alternative only as the chosen text: one button per alternative, no plain approve
      const alternatives = splitAlternatives(s.proposedText);
      if (!alternatives.length) {
        return [editor(s, label), h('div.actions', {},
          h('button.ghost.small', { onclick: () => openEditor(s, s.proposedText) }, 'Edit & approve'), reject)];
      }
      return [
        h('ol.alternatives', {}, ...alternatives.map((alt) => h('li.alternative', {},
          h('pre.proposal', {}, alt),
          h('div.actions', {},
            h('button.primary.small.use-alternative', { onclick: () => decide(s, true, alt), title: `${label} with this alternative` }, 'Use this one'),
            h('button.ghost.small', { onclick: () => openEditor(s, alt) }, 'Edit'))))),
        editor(s, label),
        h('div.actions', {}, reject),
      ];
    }
    return [
      editor(s, label),
      // while the proposal is being edited, the editor's own button approves; not the proposal as is
      h('div.actions', { hidden: drafts.has(s.suggestionId) },
        h('button.primary.small.approve', { onclick: () => decide(s, true) }, label),
        h('button.ghost.small', { onclick: () => openEditor(s, s.proposedText) }, 'Edit & approve'),
        reject),
    ];
  }

  function renderSuggestions(): void {
    clear(suggestionPanel);
    suggestionPanel.append(h('h2.panel-title', {}, 'Suggestions'));
    const list = ordered(suggestions.values());
    const images = list.filter((s) => s.imageAsset);
    if (images.length) {
      suggestionPanel.append(h('div.storyboard', { 'aria-label': 'Storyboard' }, ...images.map((s) =>
        h('figure', {}, frameImage(s.imageAsset, `Storyboard frame (${STATUS_TEXT[s.status] ?? ''})`)))));
    }
    if (!list.length) {
      suggestionPanel.append(h('p.hint', {}, 'AI suggestions wait here for the showrunner\u2019s decision. Nothing pending.'));
    }
    const showrunner = me?.role === Role.SHOWRUNNER;
    for (const s of list) {
      const pending = s.status === Suggestion_Status.PENDING;
      const choosing = showrunner && pending && s.task === 'alternatives';
      const shown = shownText(s);
      const edited = s.status === Suggestion_Status.APPROVED && s.appliedText !== '' && s.appliedText !== s.proposedText;
      suggestionPanel.append(h('article.suggestion', { dataset: { status: String(s.status), id: s.suggestionId, task: s.task } },
        h('div.job-head', {}, h('span.job-task', {}, TASKS.find((t) => t.id === s.task)?.label ?? s.task),
          h('span.job-status', {}, STATUS_TEXT[s.status] ?? 'Unknown')),
        h('p.hint', {}, `Asked by ${nameOf(s.requesterMemberId)}${s.model ? ` · ${s.model}` : ''}`),
        // the alternatives are listed one by one below, each with its button
        shown && !choosing ? h('pre.proposal', { dataset: { text: edited ? 'applied' : 'proposed' } }, shown) : null,
        edited ? h('details.original', {}, h('summary', {}, 'What the model proposed'), h('pre.proposal', {}, s.proposedText)) : null,
        s.decidedByMemberId ? h('p.hint', {}, `${s.status === Suggestion_Status.APPROVED && approvalMode(s.task) === 'note' ? 'Noted' : 'Decided'} by ${nameOf(s.decidedByMemberId)}`) : null,
        ...(showrunner && pending ? decisionControls(s) : [])));
    }
    refreshHighlights();
  }
  renderSuggestions();

  // ---- export: the script as a file, fetched with the member's token (a plain link would need it in the URL)
  async function download(format: string): Promise<void> {
    exportMenu.open = false;
    const name = roomName.textContent || 'script';
    try {
      const file = await exportScript(roomId, token!, format, fileNameFor(name, format));
      const url = URL.createObjectURL(file.blob);
      const a = h('a', { href: url, download: file.filename, hidden: true });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (e) {
      toast('error', 'Could not download the script', e instanceof ApiError ? e.message : String(e));
    }
  }

  // ---- invites (showrunner)
  function openInvite(): void {
    const role = h('select', { 'aria-label': 'Role' },
      h('option', { value: 'writer' }, 'Writer — edits and asks the AI'),
      h('option', { value: 'viewer' }, 'Viewer — reads along'),
      h('option', { value: 'showrunner' }, 'Showrunner — approves and manages'));
    const out = h('div.invite-out');
    const dialog = h('dialog.invite-dialog', { onclose: () => closeDialog(dialog) },
      h('h2', {}, 'Invite to the room'),
      h('label.field', {}, h('span', {}, 'Role'), role),
      out,
      h('div.actions', {},
        h('button.primary', {
          onclick: async () => {
            try {
              const inv = await createInvite(roomId, token!, role.value);
              clear(out);
              const link = h('input', { readOnly: true, value: inv.link });
              out.append(h('label.field', {}, h('span', {}, 'Send this link'), link), copyButton(() => inv.link, link));
              link.select();
            } catch (e) {
              toast('error', 'Could not create the invite', e instanceof ApiError ? e.message : String(e));
            }
          },
        }, 'Create link'),
        h('button.ghost', { onclick: () => closeDialog(dialog) }, 'Close')));
    document.body.append(dialog);
    dialog.showModal();
  }
  // ---- people (showrunner): roles, removals and open invites, always as the server last answered
  function openPeople(): void {
    const memberList = h('ul.people-list.members', { 'aria-label': 'Members' });
    const inviteList = h('ul.people-list.invites', { 'aria-label': 'Open invites' });
    // busy while a change or a reload is under way: the lists are not clickable, and tests wait on it
    const dialog = h('dialog.invite-dialog.people-dialog', { dataset: { busy: 'yes' }, onclose: () => closeDialog(dialog) },
      h('h2', {}, 'People in the room'),
      h('h3.people-title', {}, 'Members'),
      memberList,
      h('h3.people-title', {}, 'Open invites'),
      h('p.hint', {}, 'Removing a member does not end the invite they joined with: revoke it to keep them out.'),
      inviteList,
      h('div.actions', {}, h('button.ghost', { onclick: () => closeDialog(dialog) }, 'Close')));
    let members: ApiMemberEntry[] = [];
    let invites: OpenInvite[] = [];

    const failed = (what: string) => (e: unknown) =>
      toast('error', what, e instanceof ApiError ? e.message : String(e));

    async function refresh(): Promise<void> {
      try {
        [members, invites] = await Promise.all([listMembers(roomId, token!), listInvites(roomId, token!)]);
      } catch (e) {
        failed('Could not load the room\u2019s people')(e);
      }
      render();
      delete dialog.dataset.busy;
    }

    /** Runs one change, says why it failed if it did, and shows the lists as the server has them now. */
    async function act(what: string, change: () => Promise<unknown>): Promise<void> {
      dialog.dataset.busy = 'yes';
      try {
        await change();
      } catch (e) {
        failed(what)(e);
      }
      await refresh();
    }

    function render(): void {
      clear(memberList);
      clear(inviteList);
      const now = Date.now();
      for (const m of members) memberList.append(memberRow(m, now));
      if (!invites.length) inviteList.append(h('li.hint', {}, 'No open invites. Invite makes one.'));
      for (const i of invites) {
        inviteList.append(h('li.person-row.invite', { dataset: { invite: i.inviteId, role: i.role } },
          h('span.row-main', {}, h('strong', {}, ROLES.find((r) => r.role === i.role)?.label ?? i.role),
            h('span.hint', {}, `${expiryText(i.expiresAt, now)} \u00b7 ${usesText(i.uses, i.maxUses)}`),
            h('span.hint.joined', {}, joinedText(i, members))),
          h('button.ghost.small.danger.revoke', {
            onclick: () => act('Could not revoke the invite', () => revokeInvite(roomId, token!, i.inviteId)),
          }, 'Revoke')));
      }
    }

    function memberRow(m: ApiMemberEntry, now: number): HTMLElement {
      const self = m.memberId === me?.memberId;
      const role = h('select.role-select', {
        'aria-label': `Role of ${m.displayName}`,
        value: m.role,
        onchange: () => act(`Could not make ${m.displayName} ${role.value}`, () => changeRole(roomId, token!, m.memberId, role.value)),
      }, ...ROLES.map((r) => h('option', { value: r.role }, r.label)));
      const actions = h('span.row-actions', {}, role,
        h('button.ghost.small.danger.remove', { onclick: () => confirmRemove() }, 'Remove'));
      const row = h('li.person-row.member', { dataset: { member: m.memberId, role: m.role } },
        h('span.row-main', {}, h('strong.member-name', {}, m.displayName + (self ? ' (you)' : '')),
          h('span.hint', {}, connectionsText(m.connections))),
        actions);

      function confirmRemove(): void {
        const invite = reentryInvite(m.memberId, invites, now);
        const revoke = h('input.revoke-too', { type: 'checkbox', checked: true });
        const confirm = h('div.confirm-remove', {},
          h('p', {}, `Remove ${m.displayName}? Their connections close and their sign-in stops working.`),
          invite ? h('label.check', {}, revoke,
            h('span', {}, `Also revoke the invite they joined with (${invite.role}, ${expiryText(invite.expiresAt, now)}), so it cannot bring them back`)) : null,
          h('div.actions', {},
            h('button.primary.small.danger.confirm', {
              onclick: () => act(`Could not remove ${m.displayName}`, async () => {
                await removeMember(roomId, token!, m.memberId);
                if (invite && revoke.checked) await revokeInvite(roomId, token!, invite.inviteId);
              }),
            }, `Remove ${m.displayName}`),
            h('button.ghost.small', { onclick: () => render() }, 'Cancel')));
        actions.hidden = true;
        row.append(confirm);
      }
      return row;
    }

    document.body.append(dialog);
    dialog.showModal();
    void refresh();
  }
}
