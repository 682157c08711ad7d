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
    const events = params.get('events') === '1' ? ' events="/events"' : '';
    return page('bench: pin skew', `${KOLKIT}
<kol-show id="show"${events}><kol-live-player src="${attr(src)}" muted autoplay></kol-live-player></kol-show>
<script type="module">
  const show = document.getElementById('show');
  const bench = (window.__bench = {released: [], arrivals: []});
  const now = () => show.programTime?.getTime() ?? null;
  show.addEventListener('kol-show-event', ({detail: {event}}) => bench.released.push({id: event.id, at: event.at, time: now()}));
  if (${params.get('naive') === '1'}) {
    new EventSource('/events').onmessage = (message) => {
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
   * The long show: a store-like page (show with the memory adapter and catalog, player, pin, deal, cart
   * button) on the long VOD. The page feeds the timeline to show.push() progressively, each event
   * `lead` ms of program time before it is due (as SSE events arrive ahead of a viewer's video), so the
   * show holds what a live viewer's would after that much show. The bench sets the playback rate.
   * controls=0 sets the player's no-controls (no seek bar, no replay chapters: closer to a live page).
   */
  long(params) {
    const lead = Number(params.get('lead') ?? 10000);
    const controls = params.get('controls') === '0' ? ' no-controls' : '';
    return page('bench: long show', `${KOLKIT}
<kol-cart-button show="show"></kol-cart-button>
<kol-show id="show" adapter="memory" products="/demo/catalog.json">
  <kol-live-player src="/bench/long/index.m3u8" muted autoplay${controls}></kol-live-player>
  <kol-product-pin></kol-product-pin>
  <kol-countdown-deal></kol-countdown-deal>
</kol-show>
<script type="module">
  const show = document.getElementById('show');
  const bench = (window.__bench = {pushed: 0, released: 0, errors: {}});
  show.addEventListener('kol-show-event', () => bench.released++);
  document.addEventListener('kol-error', ({detail}) => (bench.errors[detail.code] = (bench.errors[detail.code] ?? 0) + 1));
  // Held for the whole run (bench.timeline), so the page's own copy weighs the same at start and end.
  const timeline = (bench.timeline = await (await fetch('/bench/long/timeline.json')).json());
  const times = timeline.map((e) => Date.parse(e.at));
  bench.total = timeline.length;
  const feed = () => {
    const time = show.programTime?.getTime();
    if (time !== undefined) {
      const start = bench.pushed;
      while (bench.pushed < timeline.length && times[bench.pushed] <= time + ${lead}) bench.pushed++;
      if (bench.pushed > start) show.push(timeline.slice(start, bench.pushed));
    }
    if (bench.pushed < timeline.length) setTimeout(feed, 100);
  };
  feed();
</script>`);
  },
};

/** The HTML of bench page `name` for the query `params`, or null for an unknown name. */
export function renderPage(name, params) {
  return Object.hasOwn(pages, name) ? pages[name](params) : null;
}
