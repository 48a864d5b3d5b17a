'use strict';
// Paddock's dashboard. It reads the routes of the node that served it (/paddock/ensemble,
// /paddock/status, /paddock/tree, /metrics) and nothing else: no library, no other origin.
// Everything a node sends is shown through textContent and attributes, never parsed as HTML.
(function () {
  const ENSEMBLE_EVERY_MS = 1500;
  const METRICS_EVERY_MS = 1000;
  const ZNODE_EVERY_MS = 2000;
  const TIMEOUT_MS = 5000;
  const WINDOW_MS = 5 * 60 * 1000;
  const PAGE = 100;
  const SVG = 'http://www.w3.org/2000/svg';

  const $ = (id) => document.getElementById(id);

  /** An element with attributes (null ones left out) and children (strings become text nodes). */
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v !== null && v !== undefined) {
        e.setAttribute(k, String(v));
      }
    }
    e.append(...children.flat().filter((c) => c !== null && c !== undefined).map((c) => (c instanceof Node ? c : String(c))));
    return e;
  }

  function svg(tag, attrs, text) {
    const e = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs)) {
      e.setAttribute(k, String(v));
    }
    if (text !== undefined) {
      e.textContent = text;
    }
    return e;
  }

  /** GET a path relative to the page: JSON, or text with {text: true}; an error names the route's answer. */
  async function get(path, opts) {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), TIMEOUT_MS);
    try {
      const r = await fetch(path, { signal: abort.signal, cache: 'no-store' });
      const body = await r.text();
      if (!r.ok) {
        let reason = body;
        try {
          reason = JSON.parse(body).error || body;
        } catch (ignored) { /* not JSON: the text itself */ }
        throw new Error(r.status + ': ' + reason);
      }
      return opts && opts.text ? body : JSON.parse(body);
    } catch (e) {
      throw e.name === 'AbortError' ? new Error('no answer within ' + TIMEOUT_MS / 1000 + ' s') : e;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Runs task now and again ms after each run ends, so that a slow answer never piles requests up. */
  function every(ms, task) {
    const run = () => task().catch((e) => console.error(e)).finally(() => setTimeout(run, ms));
    run();
  }

  const time = (d) => d.toLocaleTimeString();
  const dash = (v) => (v === null || v === undefined ? '—' : String(v));
  const yesNo = (b) => (b ? 'yes' : 'no');

  // ---- the ensemble ----------------------------------------------------------------------------

  /** serverId -> {server, at}: each server's last answer, shown (as stale) while it does not answer. */
  const lastSeen = new Map();

  function notice(text) {
    $('notice').hidden = text === null;
    $('notice').textContent = text || '';
  }

  function showLeader(id, epoch) {
    $('leader').dataset.leaderId = id === null ? '' : String(id);
    $('leader').textContent = id === null ? 'none known' : String(id);
    $('epoch').textContent = id === null ? '' : '(epoch ' + epoch + ')';
  }

  async function refreshEnsemble() {
    let view;
    let status;
    try {
      [view, status] = await Promise.all([get('paddock/ensemble'), get('paddock/status')]);
    } catch (e) {
      // this node is gone or starting: keep what was shown, marked stale
      showLeader(null);
      for (const tr of $('ensemble').tBodies[0].rows) {
        tr.classList.add('stale');
        tr.dataset.stale = 'true';
      }
      notice('This node does not answer (' + e.message + '); the table shows its last answer.');
      return;
    }
    const now = new Date();
    showLeader(view.leader, view.epoch);
    $('self').textContent = 'server ' + status.serverId + ', ' + status.role + ' (' + status.zabPhase + '), '
      + status.sessions + ' sessions, ' + status.znodes + ' znodes, ' + status.watches + ' watches';
    $('updated').textContent = 'updated ' + time(now);
    notice(view.leader === null
      ? 'No leader known: an election is running or there is no quorum. Servers that do not answer show their last answer.'
      : null);
    const rows = view.servers.map((s) => {
      if (s.reachable) {
        lastSeen.set(s.serverId, { server: s, at: now });
      }
      return serverRow(s, lastSeen.get(s.serverId), view.leader, status.serverId);
    });
    $('ensemble').tBodies[0].replaceChildren(...rows);
  }

  /** One server's row: its answer, or while it does not answer its last one, marked stale. */
  function serverRow(s, seen, leader, self) {
    const stale = !s.reachable && seen !== undefined;
    const shown = stale ? seen.server : s;
    const isLeader = leader !== null && s.serverId === leader;
    const tr = el('tr', {
      'data-server-id': s.serverId,
      'data-role': s.role || '',
      'data-reachable': s.reachable,
      'data-leader': isLeader,
      'data-stale': stale,
      class: [isLeader ? 'leader' : '', s.reachable ? '' : 'unreachable', stale ? 'stale' : ''].join(' ').trim(),
    });
    const role = shown.role === null ? '—' : shown.role + (stale ? ' (last seen ' + time(seen.at) + ')' : '');
    tr.append(
      el('td', {}, String(s.serverId), isLeader ? el('span', { class: 'badge' }, 'leader') : null,
        s.serverId === self ? el('span', { class: 'badge self' }, 'this node') : null),
      el('td', {}, s.type),
      el('td', {}, role),
      el('td', {}, yesNo(s.serving)),
      el('td', {}, yesNo(s.reachable)),
      el('td', {}, dash(shown.leader)),
      el('td', { class: 'num' }, dash(shown.lastCommittedZxid)),
      el('td', { class: 'num' + (s.lag > 0 ? ' lagging' : '') }, dash(s.lag)),
      el('td', {}, dash(shown.clientAddress)));
    return tr;
  }

  // ---- the charts ------------------------------------------------------------------------------

  const RATE_LINES = [
    { key: 'all', name: 'all requests' },
    { key: 'reads', name: 'reads' },
    { key: 'writes', name: 'writes' },
  ];
  const LATENCY_LINES = [
    { key: 'mean', name: 'mean, all requests' },
    { key: 'readP99', name: 'reads p99' },
    { key: 'writeP99', name: 'writes p99' },
  ];
  /** {t, all, reads, writes, mean, readP99, writeP99} per scrape, for the last WINDOW_MS. */
  const samples = [];
  let previous = null;

  /** Prometheus' text format: "name{labels} value" lines into a Map (labels stay part of the key). */
  function parseMetrics(text) {
    const m = new Map();
    for (const line of text.split('\n')) {
      if (line !== '' && !line.startsWith('#')) {
        const space = line.lastIndexOf(' ');
        m.set(line.slice(0, space), Number(line.slice(space + 1)));
      }
    }
    return m;
  }

  function totals(m, t) {
    let count = 0;
    let sum = 0;
    for (const [k, v] of m) {
      if (k.startsWith('paddock_request_duration_seconds_count{')) {
        count += v;
      } else if (k.startsWith('paddock_request_duration_seconds_sum{')) {
        sum += v;
      }
    }
    return {
      t, count, sum,
      reads: m.get('readlatency_count') || 0,
      writes: m.get('updatelatency_count') || 0,
      readP99: m.get('readlatency{quantile="0.99"}'),
      writeP99: m.get('updatelatency{quantile="0.99"}'),
    };
  }

  async function refreshMetrics() {
    const now = totals(parseMetrics(await get('metrics', { text: true })), Date.now());
    const p = previous;
    previous = now;
    if (p === null || now.count < p.count) {
      return; // the first scrape, or the node restarted: no rate yet
    }
    const seconds = (now.t - p.t) / 1000;
    const done = now.count - p.count;
    samples.push({
      t: now.t,
      all: done / seconds,
      reads: (now.reads - p.reads) / seconds,
      writes: (now.writes - p.writes) / seconds,
      mean: done > 0 ? ((now.sum - p.sum) / done) * 1000 : null,
      readP99: now.readP99,
      writeP99: now.writeP99,
    });
    while (samples.length > 0 && samples[0].t < now.t - WINDOW_MS) {
      samples.shift();
    }
    drawChart($('rate-chart'), $('rate-legend'), RATE_LINES, now.t, '/s');
    drawChart($('latency-chart'), $('latency-legend'), LATENCY_LINES, now.t, ' ms');
  }

  /** The smallest 1, 2 or 5 times a power of ten that is at least v. */
  function niceCeil(v) {
    const p = Math.pow(10, Math.floor(Math.log10(v)));
    return [1, 2, 5, 10].map((f) => f * p).find((c) => c >= v);
  }

  function format(v) {
    return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2);
  }

  /** A line per series over the last WINDOW_MS up to now (a gap where a value is unknown), and a legend. */
  function drawChart(chart, legend, lines, now, unit) {
    const W = 600;
    const H = 180;
    const left = 48;
    const right = 8;
    const top = 8;
    const bottom = 20;
    let max = 0;
    for (const s of samples) {
      for (const l of lines) {
        if (Number.isFinite(s[l.key])) {
          max = Math.max(max, s[l.key]);
        }
      }
    }
    const ceiling = max > 0 ? niceCeil(max) : 1;
    const x = (t) => left + (W - left - right) * (1 - (now - t) / WINDOW_MS);
    const y = (v) => top + (H - top - bottom) * (1 - v / ceiling);
    const parts = [];
    for (const f of [0, 0.5, 1]) {
      parts.push(svg('line', { class: 'grid', x1: left, x2: W - right, y1: y(ceiling * f), y2: y(ceiling * f) }));
      parts.push(svg('text', { class: 'axis', x: left - 4, y: y(ceiling * f) + 4, 'text-anchor': 'end' }, format(ceiling * f)));
    }
    parts.push(svg('text', { class: 'axis', x: left, y: H - 4 }, '−5 min'));
    parts.push(svg('text', { class: 'axis', x: W - right, y: H - 4, 'text-anchor': 'end' }, 'now'));
    const items = [];
    lines.forEach((l, i) => {
      let d = '';
      let pen = false;
      let last = null;
      for (const s of samples) {
        const v = s[l.key];
        if (Number.isFinite(v)) {
          d += (pen ? 'L' : 'M') + x(s.t).toFixed(1) + ' ' + y(v).toFixed(1);
          last = v;
        }
        pen = Number.isFinite(v);
      }
      parts.push(svg('path', { class: 'series s' + i, d: d || 'M0 0' }));
      items.push(el('li', {}, el('span', { class: 'swatch s' + i }), l.name + ': ',
        last === null ? '—' : format(last) + unit));
    });
    chart.replaceChildren(...parts);
    legend.replaceChildren(...items);
  }

  // ---- the znode tree --------------------------------------------------------------------------

  let selected = null;
  let selectedJson = null;

  const treeUrl = (path, offset, limit) =>
    'paddock/tree?path=' + encodeURIComponent(path) + '&offset=' + offset + '&limit=' + limit;
  const childPath = (parent, name) => (parent === '/' ? '/' : parent + '/') + name;

  /** A znode in the tree: a toggle that loads its children, and its name, which selects it. */
  function treeItem(path, name) {
    const toggle = el('button', { type: 'button', class: 'toggle', 'aria-expanded': 'false', title: 'children' }, '▸');
    const label = el('button', { type: 'button', class: 'name' }, name);
    const item = el('li', { 'data-path': path }, toggle, label, el('ul', { hidden: '' }));
    toggle.addEventListener('click', () => setOpen(item, toggle.getAttribute('aria-expanded') !== 'true'));
    label.addEventListener('click', () => select(path));
    return item;
  }

  /** Opens a tree item (loading the first page of its children) or closes it. */
  function setOpen(item, open) {
    const [toggle, , children] = item.children;
    toggle.setAttribute('aria-expanded', String(open));
    toggle.textContent = open ? '▾' : '▸';
    children.hidden = !open;
    children.replaceChildren();
    return open ? loadChildren(item.dataset.path, children, 0) : Promise.resolve();
  }

  /** One page of path's children into list, with "more" when there is a next page. */
  async function loadChildren(path, list, offset) {
    let page;
    try {
      page = await get(treeUrl(path, offset, PAGE));
    } catch (e) {
      list.append(el('li', { class: 'error' }, e.message));
      return;
    }
    if (!page.readable) {
      list.append(el('li', { class: 'note' }, 'children hidden by ACL'));
    } else if (offset === 0 && page.children.length === 0) {
      list.append(el('li', { class: 'note' }, 'no children'));
    }
    list.append(...page.children.map((name) => treeItem(childPath(path, name), name)));
    if (page.nextOffset !== null) {
      const more = el('button', { type: 'button', class: 'more' }, 'more…');
      const item = el('li', {}, more);
      more.addEventListener('click', () => {
        item.remove();
        loadChildren(path, list, page.nextOffset);
      });
      list.append(item);
    }
  }

  const itemOf = (path) => [...document.querySelectorAll('#tree li')].find((li) => li.dataset.path === path);

  /** Shows path's details; the page's address ends in #path, so that it can be bookmarked. */
  function select(path) {
    for (const e of document.querySelectorAll('#tree .selected')) {
      e.classList.remove('selected');
    }
    const item = itemOf(path);
    if (item) {
      item.children[1].classList.add('selected');
    }
    selected = path;
    selectedJson = null;
    history.replaceState(null, '', '#' + encodeURI(path));
    return showZnode();
  }

  /** Opens the tree down to path, as far as the first pages of children go, and selects it. */
  async function reveal(path) {
    let item = itemOf('/');
    for (const name of path.split('/').filter((n) => n !== '')) {
      await setOpen(item, true);
      const next = itemOf(childPath(item.dataset.path, name));
      if (!next) {
        break;
      }
      item = next;
    }
    return select(path);
  }

  /** The selected znode's stat and data; redrawn only when they changed, so that a reader's selection stays. */
  async function showZnode() {
    if (selected === null) {
      return;
    }
    const path = selected;
    let content;
    let json;
    try {
      const n = await get(treeUrl(path, 0, 1));
      json = JSON.stringify(n);
      content = znodeDetails(n);
    } catch (e) {
      json = e.message;
      content = [el('p', { class: 'error' }, e.message)];
    }
    if (path === selected && json !== selectedJson) {
      selectedJson = json;
      $('znode').replaceChildren(el('h3', {}, path), ...content);
    }
  }

  function znodeDetails(n) {
    const rows = Object.entries(n.stat).map(([k, v]) => el('tr', {}, el('th', {}, k),
      el('td', {}, (k === 'ctime' || k === 'mtime') && v > 0 ? v + ' (' + new Date(v).toISOString() + ')' : String(v))));
    let data;
    if (!n.readable) {
      data = el('p', { class: 'note' }, 'data hidden by ACL (the admin port reads as a client without credentials)');
    } else if (n.data === null || n.data === '') {
      data = el('p', { class: 'note' }, 'no data');
    } else {
      data = el('div', {}, el('p', { class: 'note' }, n.dataEncoding === 'utf8' ? 'data (text)' : 'data (binary, base64)'),
        el('pre', { class: 'data' }, n.data));
    }
    return [el('table', { class: 'stat' }, rows), data];
  }

  // ---- start -----------------------------------------------------------------------------------

  const linked = () => {
    try {
      return decodeURIComponent(location.hash.slice(1)) || '/';
    } catch (malformed) {
      return location.hash.slice(1);
    }
  };
  $('tree').append(treeItem('/', '/'));
  reveal(linked());
  window.addEventListener('hashchange', () => reveal(linked()));
  every(ENSEMBLE_EVERY_MS, refreshEnsemble);
  every(METRICS_EVERY_MS, refreshMetrics);
  setTimeout(() => every(ZNODE_EVERY_MS, showZnode), ZNODE_EVERY_MS);
}());
