// Shows on the page itself what a developer would otherwise look for in the console: Content-Security-Policy
// and Trusted Types violations, warnings (kolkit's double-include warning among them) and uncaught errors.
// A classic script placed before kolkit's, so it sees everything from the start. Text nodes only.
(() => {
  /** @type {{kind: string, text: string}[]} */
  const entries = [];

  const render = () => {
    const list = document.getElementById('report');
    if (!list) return; // still parsing <head>: rendered at DOMContentLoaded
    list.replaceChildren(
      ...entries.map(({kind, text}) => {
        const item = document.createElement('li');
        item.dataset.kind = kind;
        item.textContent = `${kind}: ${text}`;
        return item;
      }),
    );
    const empty = document.getElementById('report-empty');
    if (empty) empty.hidden = entries.length > 0;
  };
  const add = (kind, text) => {
    entries.push({kind, text});
    render();
  };

  document.addEventListener('securitypolicyviolation', (event) => {
    add('violation', `${event.effectiveDirective} blocked ${event.blockedURI || 'inline code'} ${event.sample}`.trim());
  }, true);
  const warn = console.warn;
  console.warn = (...args) => {
    warn.apply(console, args);
    add('warning', args.map(String).join(' '));
  };
  window.addEventListener('error', (event) => add('error', event.message));
  window.addEventListener('unhandledrejection', (event) => add('error', String(event.reason)));
  document.addEventListener('DOMContentLoaded', render);
})();
