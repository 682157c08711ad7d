// The bench's pages, as HTML strings served at /bench/<name>.html by server.mjs, and the probe every page
// gets before its own scripts run (puppeteer's evaluateOnNewDocument). The store-like kolkit page of the
// long-task run is the demo's own /demo/store.html.

/** Same box for every video, so decoding and compositing cost the same. */
const STYLE = `<style>body{margin:0;font:14px system-ui}video,kol-live-player{display:block;width:640px;aspect-ratio:16/9}</style>`;
const KOLKIT = '<script type="module" src="/dist/cdn/kolkit.js"></script>';
const attr = (value) => String(value).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
const page = (title, body) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>${title}</title>${STYLE}</head><body>${body}</body></html>`;

/**
 * Installed in every page before any of its scripts: long tasks (buffered, from navigation start) and the
 * first video frame, measured the same way for kolkit and bare hls.js: navigation start → the first
 * requestVideoFrameCallback of the page's <video> (found in kol-live-player's shadow root too).
 */
export function probe() {
  const state = (window.__probe = {longTasks: [], firstFrame: null});
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) state.longTasks.push({start: e.startTime, duration: e.duration});
    }).observe({type: 'longtask', buffered: true});
  } catch {
    state.longTasks = null;
  }
  const find = () => document.querySelector('video') ?? document.querySelector('kol-live-player')?.shadowRoot?.querySelector('video');
  const look = () => {
    const video = find();
    if (!video) return requestAnimationFrame(look);
    video.requestVideoFrameCallback((now) => (state.firstFrame ??= now));
  };
  requestAnimationFrame(look);
}

const pages = {
  /**
   * Pin skew: <kol-show> (SSE with events=1) and its player on `src`; every kol-show-event is recorded with
   * show.programTime at that moment. naive=1 also opens its own EventSource on /events and records the
   * program time at each arrival (the show-on-arrival baseline).
   */
  skew(params) {
    const src = params.get('src') ?? '/live/index.m3u8';
    const events = params.get('events') === '1' ? ' events="/v1/shows/demo/events"' : '';
    return page('bench: pin skew', `${KOLKIT}
<kol-show id="show"${events}><kol-live-player src="${attr(src)}" muted autoplay></kol-live-player></kol-show>
<script type="module">
  const show = document.getElementById('show');
  const bench = (window.__bench = {released: [], arrivals: []});
  const now = () => show.programTime?.getTime() ?? null;
  // wall: the host's clock at the release (server and browser share this machine's), for behind-host.
  show.addEventListener('kol-show-event', ({detail: {event}}) => bench.released.push({id: event.id, at: event.at, time: now(), wall: Date.now()}));
  if (${params.get('naive') === '1'}) {
    new EventSource('/v1/shows/demo/events').onmessage = (message) => {
      const event = JSON.parse(message.data);
      bench.arrivals.push({id: event.id, at: event.at, time: now()});
    };
  }
</script>`);
  },

  /** <kol-live-player> alone on `src`: the kolkit side of time to first frame. */
  player(params) {
    return page('bench: kolkit player', `${KOLKIT}
<kol-live-player src="${attr(params.get('src') ?? '/live/index.m3u8')}" muted autoplay></kol-live-player>`);
  },

  /** The bare hls.js page: its ESM build, defaults, muted autoplay on the same stream. */
  bare(params) {
    const src = JSON.stringify(params.get('src') ?? '/live/index.m3u8');
    return page('bench: bare hls.js', `<video muted autoplay playsinline></video>
<script type="module">
  import Hls from '/node_modules/hls.js/dist/hls.min.mjs';
  const video = document.querySelector('video');
  const hls = (window.__hls = new Hls());
  hls.loadSource(${src.replace(/</g, '\\u003c')});
  hls.attachMedia(video);
  video.play().catch(() => {});
</script>`);
  },

  /**
   * The long show's baseline: bare hls.js on `src` at `rate`, with the settings kolkit gives it for long
   * live shows (bounded buffers, catch-up, the same off-main-thread worker), and no show, pin or events:
   * what any page playing this stream for this long keeps in its heap.
   */
  'bare-long'(params) {
    const src = JSON.stringify(params.get('src') ?? '/live/index.m3u8');
    const rate = Number(params.get('rate') ?? 1);
    return page('bench: bare hls.js, long show', `<video muted autoplay playsinline></video>
<script type="module">
  import Hls from '/node_modules/hls.js/dist/hls.min.mjs';
  const video = document.querySelector('video');
  const bench = (window.__bench = {rateWrites: 0});
  const native = Object.getOwnPropertyDescriptor(HTMLMediaElement.prototype, 'playbackRate');
  Object.defineProperty(video, 'playbackRate', {configurable: true, get() { return native.get.call(this); }, set() { bench.rateWrites++; }});
  video.defaultPlaybackRate = ${rate};
  native.set.call(video, ${rate});
  const hls = (window.__hls = new Hls({backBufferLength: 30, maxBufferLength: 30, liveDurationInfinity: true, lowLatencyMode: true,
    maxLiveSyncPlaybackRate: 1.1, startFragPrefetch: true, enableWorker: true, workerPath: '/dist/cdn/hls.worker.js'}));
  hls.loadSource(${src.replace(/</g, '\\u003c')});
  hls.attachMedia(video);
  video.play().catch(() => {});
</script>`);
  },

  /**
   * The long show: a store-like page (show with the memory adapter and catalog, player, pin, deal, cart
   * button) on `src`: the demo's accelerated live stream (`/live/index.m3u8?speed=…`), or the long VOD for
   * the replay variant. The page feeds the timeline (/bench/long/timeline.json) to show.push() progressively, each event `lead` ms of
   * program time before it is due (as SSE events arrive ahead of a viewer's video), so the show holds what
   * a viewer's would after that much show. The video plays at `rate` from the start. controls=0 sets the
   * player's no-controls (no seek bar, no replay chapters).
   */
  long(params) {
    const lead = Number(params.get('lead') ?? 10000);
    const rate = Number(params.get('rate') ?? 1);
    const src = params.get('src') ?? '/bench/long/index.m3u8';
    const controls = params.get('controls') === '0' ? ' no-controls' : '';
    return page('bench: long show', `${KOLKIT}
<kol-cart-button show="show"></kol-cart-button>
<kol-show id="show" adapter="memory" products="/demo/catalog.json">
  <kol-live-player src="${attr(src)}" muted autoplay${controls}></kol-live-player>
  <kol-product-pin></kol-product-pin>
  <kol-countdown-deal></kol-countdown-deal>
</kol-show>
<script type="module">
  const show = document.getElementById('show');
  const player = show.querySelector('kol-live-player');
  const bench = (window.__bench = {pushed: 0, released: 0, repeats: 0, errors: {}, rateWrites: 0});
  // The timeline's ids grow with its times: an id not above the highest seen is an event released again
  // (after a jump back in program time).
  let highest = '';
  show.addEventListener('kol-show-event', ({detail: {event}}) => {
    if (event.id > highest) {
      highest = event.id;
      bench.released++;
    } else bench.repeats++;
  });
  document.addEventListener('kol-error', ({detail}) => (bench.errors[detail.code] = (bench.errors[detail.code] ?? 0) + 1));
  // The playback rate is the page's, held at ${rate}: on a live stream hls.js's catch-up (lowLatencyMode,
  // maxLiveSyncPlaybackRate) writes video.playbackRate back to 1–1.1 on every timeupdate. The bench, not
  // the SDK, ignores those writes; defaultPlaybackRate covers a MediaSource rebuilt by a recovery.
  await customElements.whenDefined('kol-live-player');
  await player.updateComplete;
  const video = player.shadowRoot.querySelector('video');
  const native = Object.getOwnPropertyDescriptor(HTMLMediaElement.prototype, 'playbackRate');
  Object.defineProperty(video, 'playbackRate', {configurable: true, get() { return native.get.call(this); }, set() { bench.rateWrites++; }});
  video.defaultPlaybackRate = ${rate};
  native.set.call(video, ${rate});
  // The timeline comes in chunks of 200 events, fetched as the queue runs low, so the page's own share of
  // the heap stays small and the same from start to end whatever the show's length.
  const queue = [];
  let next = 0;
  const refill = async () => {
    const {total, events} = await (await fetch('/bench/long/timeline.json?count=200&from=' + next)).json();
    bench.total = total;
    next += events.length;
    queue.push(...events);
  };
  await refill();
  const feed = async () => {
    const time = show.programTime?.getTime();
    if (time !== undefined) {
      const due = [];
      while (queue.length && Date.parse(queue[0].at) <= time + ${lead}) due.push(queue.shift());
      if (due.length) {
        bench.pushed += due.length;
        show.push(due);
      }
    }
    if (queue.length < 100 && next < bench.total) await refill();
    if (queue.length) setTimeout(feed, 100);
  };
  feed();
</script>`);
  },
};

/**
 * Event handling: a store-like show (memory adapter, pin, deal, cart button) without a player, so events
 * release on the server clock as they are pushed. `window.__benchEvents(workload, n)` makes n events,
 * pushes them into a fresh show and answers the milliseconds from the push to every element rendered
 * (section 5 of run.mjs). Workloads: `deal-start` (n deal.start in one push, the review's case), `mix` (a
 * show's events in one push), `late` (one event per push, arriving up to 5 s out of order).
 */
export function eventsWorkload(workload, n, start) {
  const iso = (ms) => new Date(ms).toISOString();
  const products = ['p-cap', 'p-tee', 'p-mug', 'p-bag', 'p-socks'];
  const price = {amount: '9.90', currencyCode: 'EUR'};
  const events = [];
  for (let i = 0; i < n; i++) {
    const at = iso(start + i * 10);
    const id = `${workload}-${n}-${i}`;
    const product = products[i % products.length];
    const kind = workload === 'deal-start' ? 0 : i % 6;
    events.push(
      kind === 0 ? {v: 1, id, type: 'deal.start', at, dealId: `d${workload === 'deal-start' ? i : i % 40}`, productId: product, price, endsAt: iso(start + 3600_000)}
        : kind === 1 ? {v: 1, id, type: 'product.pin', at, productId: product, label: `#${i % 9}`}
        : kind === 2 ? {v: 1, id, type: 'stock.update', at, productId: product, available: i % 30}
        : kind === 3 ? {v: 1, id, type: 'viewers.update', at, count: 1000 + i}
        : kind === 4 ? {v: 1, id, type: 'chat.message', at, author: 'viewer', text: `try #${i % 9}`}
        : {v: 1, id, type: 'deal.end', at, dealId: `d${i % 40}`, reason: 'expired'},
    );
  }
  if (workload === 'late') {
    // Arrival order: each event swaps with one up to 500 places (5 s of program time) ahead.
    let seed = 7;
    for (let i = 0; i < events.length; i++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      const j = Math.min(events.length - 1, i + (seed % 500));
      [events[i], events[j]] = [events[j], events[i]];
    }
  }
  return events;
}

pages.events = () =>
  page('bench: event handling', `${KOLKIT}
<div id="root"></div>
<script type="module">
  const make = ${eventsWorkload.toString()};
  await customElements.whenDefined('kol-show');
  window.__benchEvents = async (workload, n) => {
    const root = document.getElementById('root');
    root.innerHTML = '<kol-cart-button show="show"></kol-cart-button><kol-show id="show" adapter="memory" products="/demo/catalog.json">' +
      '<kol-product-pin></kol-product-pin><kol-countdown-deal></kol-countdown-deal></kol-show>';
    const show = root.querySelector('kol-show');
    const elements = [...root.querySelectorAll('*')];
    await Promise.all(elements.map((el) => el.updateComplete));
    const events = make(workload, n, Date.now() - n * 10 - 1000);
    const t0 = performance.now();
    if (workload === 'late') for (const event of events) show.push(event);
    else show.push(events);
    await Promise.all(elements.map((el) => el.updateComplete));
    const ms = performance.now() - t0;
    const released = show.state.viewers ?? Object.keys(show.state.deals).length;
    root.innerHTML = '';
    return {ms, released};
  };
</script>`);

/**
 * A chat burst: a show (memory adapter, no player, so live chat releases on arrival) with `<kol-chat>`, or
 * without it (`chat=0`: the baseline, the same show and pushes). `window.__benchChat(n, authors, perTask)`
 * pushes n chat.message events from `authors` authors (one in 20 mentioning a product as `#N`), `perTask` per
 * task back to back, as an SSE stream's reads would hand them over; it answers once the last message is
 * rendered, with the milliseconds from the first push and the page's DOM nodes (shadow roots included).
 */
pages.chat = (params) =>
  page('bench: chat burst', `${KOLKIT}
<kol-show id="show" adapter="memory" products="/demo/catalog.json">${params.get('chat') === '0' ? '' : '<kol-chat></kol-chat>'}</kol-show>
<script type="module">
  await customElements.whenDefined('kol-show');
  const show = document.getElementById('show');
  const chat = show.querySelector('kol-chat');
  if (chat) await customElements.whenDefined('kol-chat');
  const products = ['p-cap', 'p-tee', 'p-mug', 'p-bag', 'p-socks'];
  const nodes = (node) => {
    let count = 1;
    for (let child = node.firstChild; child; child = child.nextSibling) count += nodes(child);
    if (node.shadowRoot) count += nodes(node.shadowRoot);
    return count;
  };
  const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));
  window.__benchChat = async (n, authors, perTask) => {
    const t0 = performance.now();
    for (let i = 0; i < n; i += perTask) {
      const batch = [];
      for (let j = i; j < Math.min(n, i + perTask); j++) {
        const mention = j % 20 === 0 ? {mentions: [{label: '#' + ((j / 20) % 5 + 1), productId: products[(j / 20) % 5]}]} : {};
        batch.push({v: 1, id: 'c' + j, type: 'chat.message', at: new Date().toISOString(), author: 'viewer ' + (j % authors),
          text: (mention.mentions ? 'try ' + mention.mentions[0].label + ' please ' : 'message ') + j, role: j % 500 === 0 ? 'host' : 'viewer', ...mention});
      }
      for (const event of batch) show.push(event);
      await nextTask();
    }
    if (chat) {
      while (chat.messages.at(-1)?.id !== 'c' + (n - 1)) await new Promise((resolve) => requestAnimationFrame(resolve));
      await chat.updateComplete;
    }
    const ms = performance.now() - t0;
    await new Promise((resolve) => setTimeout(resolve, 500));
    return {ms, t0, released: show.state.chat.length, nodes: nodes(document.documentElement)};
  };
</script>`);

/** The HTML of bench page `name` for the query `params`, or null for an unknown name. */
export function renderPage(name, params) {
  return Object.hasOwn(pages, name) ? pages[name](params) : null;
}
