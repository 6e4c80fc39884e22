/**
 * The one client script (progressive enhancement; every page works without it): listens on
 * `/events`, and on an `update` that concerns this page fetches the same URL again and swaps
 * `<main>` (keyboard focus and opened details kept), at most once per second; reconnects with backoff (1 s doubling to 30 s) after the
 * stream drops; `j`/`k` move focus between the rows of the page's tables. Served as a file with a
 * content hash, so the CSP can say `script-src 'self'`.
 */
export const UI_SCRIPT = `(() => {
  'use strict';
  const body = document.body;
  const kinds = (body.dataset.live || '').split(' ').filter(Boolean);
  const env = body.dataset.env;
  const status = document.getElementById('live-status');
  const say = (text) => { if (status) status.textContent = text; };
  // Where keyboard focus was inside <main> (its nearest data-testid owner and its place among the
  // owner's elements of its kind), so a swap puts it back instead of dropping it to <body>.
  const focusOf = (main) => {
    const el = document.activeElement;
    if (!el || el === main || !main.contains(el)) return null;
    const owner = el.closest('[data-testid]');
    const scope = owner && main.contains(owner) ? owner : main;
    const same = scope === el ? [el] : Array.from(scope.querySelectorAll(el.tagName));
    return { testid: scope === main ? null : scope.getAttribute('data-testid'), self: scope === el, tag: el.tagName, index: same.indexOf(el) };
  };
  const refocus = (main, kept) => {
    if (!kept) return;
    const scope = kept.testid === null ? main : Array.from(main.querySelectorAll('[data-testid]')).find((n) => n.getAttribute('data-testid') === kept.testid);
    if (!scope) return;
    const el = kept.self ? scope : scope.querySelectorAll(kept.tag)[kept.index];
    if (!el) return;
    if (kept.self) el.tabIndex = -1;
    el.focus({ preventScroll: true });
  };
  // Which <details> the reader opened (same keys: owner's data-testid, place in it), kept open.
  const detailsKey = (main, d) => {
    const owner = d.closest('[data-testid]');
    const scope = owner && main.contains(owner) ? owner : main;
    return (scope === main ? '' : scope.getAttribute('data-testid')) + '#' + Array.from(scope.querySelectorAll('details')).indexOf(d);
  };
  const openDetails = (main) => Array.from(main.querySelectorAll('details[open]')).map((d) => detailsKey(main, d));
  const reopen = (main, keys) => {
    if (keys.length === 0) return;
    for (const d of main.querySelectorAll('details')) if (keys.includes(detailsKey(main, d))) d.open = true;
  };
  let pending = false;
  let last = 0;
  const refresh = () => {
    if (pending) return;
    pending = true;
    const wait = Math.max(0, 1000 - (Date.now() - last));
    setTimeout(async () => {
      last = Date.now();
      try {
        const res = await fetch(location.href, { headers: { accept: 'text/html' }, cache: 'no-store' });
        if (res.ok) {
          const doc = new DOMParser().parseFromString(await res.text(), 'text/html');
          const next = doc.getElementById('main');
          const main = document.getElementById('main');
          if (next && main) {
            const kept = focusOf(main);
            const opened = openDetails(main);
            main.replaceChildren(...Array.from(next.childNodes).map((n) => document.importNode(n, true)));
            reopen(main, opened);
            refocus(main, kept);
            say('updated ' + new Date().toLocaleTimeString());
          }
        }
      } catch (err) {
        say('update failed; will retry on the next change');
      } finally {
        pending = false;
      }
    }, wait);
  };
  let delay = 1000;
  const connect = () => {
    if (kinds.length === 0 || typeof EventSource === 'undefined') return;
    const source = new EventSource('/events');
    source.addEventListener('open', () => { delay = 1000; say('live'); });
    source.addEventListener('update', (e) => {
      let data;
      try { data = JSON.parse(e.data); } catch { return; }
      if (!kinds.includes(data.kind)) return;
      if (env !== undefined && data.env !== env && data.env !== '*') return;
      refresh();
    });
    source.addEventListener('error', () => {
      source.close();
      say('reconnecting in ' + Math.round(delay / 1000) + ' s');
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 30000);
    });
  };
  connect();
  document.addEventListener('keydown', (e) => {
    if (e.key !== 'j' && e.key !== 'k') return;
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const t = e.target;
    if (t instanceof HTMLInputElement || t instanceof HTMLTextAreaElement || (t && t.isContentEditable)) return;
    const rows = Array.from(document.querySelectorAll('#main tbody tr[data-testid]'));
    if (rows.length === 0) return;
    const at = rows.indexOf(document.activeElement);
    const next = e.key === 'j' ? Math.min(rows.length - 1, at + 1) : Math.max(0, at - 1);
    const row = rows[at === -1 ? 0 : next];
    row.tabIndex = -1;
    row.focus();
    e.preventDefault();
  });
})();
`;
