// The host's studio (DESIGN.md §10): the demo's host page grown into a tool on the real API. This module
// finds the token and the show, then lays out the panels; each panel is a module that gets the studio
// context (send a host event, the catalog, the live state and events) and returns its element.
import {createApi} from './api.js';
import {el} from './dom.js';
import {activityPanel} from './panel-activity.js';
import {auctionsPanel} from './panel-auctions.js';
import {chatPanel} from './panel-chat.js';
import {requestsPanel} from './panel-requests.js';
import {dealsPanel} from './panel-deals.js';
import {giveawaysPanel} from './panel-giveaways.js';
import {groupsPanel} from './panel-groups.js';
import {pollsPanel} from './panel-polls.js';
import {previewPanel} from './panel-preview.js';
import {productsPanel} from './panel-products.js';
import {showPanel} from './panel-show.js';
import {schedulePanel} from './panel-schedule.js';

/** The panels, in reading order. */
const PANELS = [showPanel, schedulePanel, previewPanel, productsPanel, dealsPanel, auctionsPanel, groupsPanel, pollsPanel, giveawaysPanel, chatPanel, requestsPanel, activityPanel];

/** Where the token is kept for this tab only, once taken out of the link (a reload still works). */
const TOKEN_KEY = 'kolkit-studio-token';

/**
 * The host token: from the link's fragment (`#token=`, never sent to any server) or query (`?token=`), then
 * taken out of the address bar so a shared screen or a copied URL does not show it; else this tab's.
 */
function takeToken() {
  const url = new URL(location.href);
  const fromHash = new URLSearchParams(url.hash.slice(1)).get('token');
  const fromQuery = url.searchParams.get('token');
  const token = fromHash || fromQuery;
  if (token) {
    sessionStorage.setItem(TOKEN_KEY, token);
    url.hash = '';
    url.searchParams.delete('token');
    history.replaceState(null, '', url.pathname + url.search);
    return token;
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

/** Replaces the page with a refusal that says why and what to do. */
function refuse(title, message) {
  document.body.classList.add('studio--refused');
  // The page's main landmark holding an alert (an alert role on <main> would hide the landmark).
  document.body.replaceChildren(el('main', {className: 'refusal'}, el('div', {role: 'alert'}, el('h1', {textContent: title}), el('p', {textContent: message}))));
}

/** Asks for the show id when the server names none. */
function askShow() {
  const input = el('input', {name: 'show', required: true, pattern: '[A-Za-z0-9_\\-]{1,64}', placeholder: 'e.g. spring-launch'});
  const form = el('form', {className: 'ask'}, el('h1', {textContent: 'Which show?'}), el('label', {}, 'Show id ', input), el('button', {textContent: 'Open'}));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const url = new URL(location.href);
    url.searchParams.set('show', input.value);
    location.assign(url.pathname + url.search);
  });
  document.body.replaceChildren(form);
}

/** Catalog products by id (empty without a catalog: the host types product ids). */
async function loadCatalog(url) {
  if (!url) return [];
  const res = await fetch(url);
  if (!res.ok) throw new Error(`the catalog ${url} answered ${res.status}`);
  const products = await res.json();
  return Array.isArray(products) ? products : [];
}

/** Events that change nothing the panels show from the state: no state read after them. */
const CONVERSATION = new Set(['chat.message', 'chat.remove', 'reactions.update', 'requests.update']);

/** The studio's shared context: what panels read and call. */
function createContext(api, products, data) {
  const stateListeners = new Set();
  const eventListeners = new Set();
  const outcomeListeners = new Set();
  const catalog = new Map(products.map((p) => [p.id, p]));
  const context = {
    api,
    products,
    catalog,
    stream: data.stream,
    sdk: data.sdk,
    state: null,
    title: (id) => catalog.get(id)?.title ?? id,
    /** Posts a host event; every outcome (the stamped event, or the refusal and its message) goes to the activity panel. */
    async send(body) {
      try {
        const event = await api.post(body);
        for (const fn of outcomeListeners) fn({ok: true, body, event});
        refreshSoon();
        return event;
      } catch (error) {
        for (const fn of outcomeListeners) fn({ok: false, body, error});
        return null;
      }
    },
    /**
     * A moderation action (remove, ban, slow mode, blocked words); its outcome goes to the activity panel like
     * a send's. Answers the settings after it, or null when refused.
     */
    async moderate(body) {
      const outcome = {body: {...body, type: `moderation ${body.action}`}};
      try {
        const settings = await api.moderate(body);
        for (const fn of outcomeListeners) fn({...outcome, ok: true, event: {type: outcome.body.type, at: new Date().toISOString()}});
        return settings;
      } catch (error) {
        for (const fn of outcomeListeners) fn({...outcome, ok: false, error});
        return null;
      }
    },
    onState: (fn) => stateListeners.add(fn),
    onEvent: (fn) => eventListeners.add(fn),
    onOutcome: (fn) => outcomeListeners.add(fn),
    /** Shows a refusal that came from somewhere other than a send (the stream, the state). */
    report: (error, what) => {
      for (const fn of outcomeListeners) fn({ok: false, body: {type: what}, error});
    },
  };

  // The state is the server's (its reducer is the SDK's): read again after each change, once per burst.
  let timer = null;
  async function refresh() {
    timer = null;
    try {
      context.state = await api.state();
      for (const fn of stateListeners) fn(context.state);
    } catch (error) {
      context.report(error, 'state');
    }
  }
  function refreshSoon() {
    timer ??= setTimeout(refresh, 100);
  }
  context.receive = (event) => {
    for (const fn of eventListeners) fn(event);
    // Conversation events do not change what the panels show from the state.
    if (!CONVERSATION.has(event.type)) refreshSoon();
  };
  return context;
}

async function main() {
  const data = document.body.dataset;
  if (document.body.classList.contains('studio--refused')) return; // the server already said why
  const token = takeToken();
  if (!token) {
    return refuse(
      'The studio needs a host token',
      'Open the studio link the server printed when it started (…/studio#token=…). A host token is signed with KOLKIT_HOST_SECRET; without one, the studio cannot act for the show.',
    );
  }
  const show = new URL(location.href).searchParams.get('show') || data.show;
  if (!show) return askShow();

  const api = createApi({show, token});
  const products = await loadCatalog(data.catalog).catch((error) => {
    console.warn('kolkit studio:', error.message);
    return [];
  });
  const context = createContext(api, products, data);
  const header = el('header', {className: 'bar'},
    el('h1', {}, 'kolkit studio ', el('span', {textContent: show})),
    el('p', {className: 'connection', id: 'connection', textContent: 'connecting…'}),
  );
  const grid = el('main', {className: 'studio-grid'}, ...PANELS.map((make) => make(context)).filter(Boolean));

  const abort = new AbortController();
  let shown = false;
  await api.follow({
    signal: abort.signal,
    onEvent: (event) => context.receive(event),
    onStatus(status, detail) {
      if (status === 'refused') {
        sessionStorage.removeItem(TOKEN_KEY);
        abort.abort();
        return refuse('The studio refused this token', `${detail.message}. Open the studio link the server printed, or ask for a new host token.`);
      }
      if (status === 'open' && !shown) {
        shown = true;
        document.body.replaceChildren(...[header, context.notice, grid].filter(Boolean));
      }
      const connection = document.getElementById('connection');
      if (connection) {
        connection.textContent = status === 'open' ? 'connected' : 'reconnecting…';
        connection.dataset.status = status;
      }
    },
  });
}

main().catch((error) => refuse('The studio could not start', error.message));
