// The cxpm dashboard: polls /api/processes for the table and the charts, and follows the
// daemon's events and one app's log lines over server-sent events. No framework and no
// build step: the daemon serves this file as it is. Every text that comes from the daemon
// goes into the page through textContent, never as HTML, because app names, log lines and
// event messages are whatever the apps make them.
'use strict';

const POLL_MS = 2000;
const HISTORY_MS = 5 * 60 * 1000; // the longest the charts show
const MIN_SPAN_MS = 60 * 1000; // the shortest, so a fresh page's first samples are not a dot
const MAX_EVENTS = 100;
const MAX_LOG_LINES = 300;
const TOKEN_KEY = 'cxpm-token'; // sessionStorage: forgotten with the tab, never on disk

const $ = (selector) => document.querySelector(selector);
const samplesById = new Map(); // pm_id -> [{time, cpu, memory, restarts}], oldest first
let pollTimer = 0;
let polling = false; // a fetch of /api/processes is under way
let pollAgain = false; // and an event asked for a fresher one meanwhile

// ---- formatting -------------------------------------------------------------------------

function formatBytes(bytes) {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = Number(bytes) || 0;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(unit === 0 || value >= 100 ? 0 : 1)} ${units[unit]}`;
}

function formatPercent(value) {
  const number = Number(value) || 0;
  return `${number.toFixed(number < 10 ? 1 : 0)}%`;
}

// As pm2 prints uptime: the largest unit only.
function formatDuration(ms) {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86400)}d`;
}

// A clock time, 24-hour, in the reader's zone. Events carry unix ms; log lines carry unix ms,
// an ISO string (as `cxpm logs --json` prints them) or nothing; a string that is not a
// date is shown as it is.
function formatTime(time) {
  if (time === null || time === undefined || time === '') return '';
  const date = new Date(typeof time === 'number' ? time : Date.parse(time));
  if (Number.isNaN(date.getTime())) return String(time);
  return date.toLocaleTimeString([], { hour12: false });
}

function element(tag, attributes = {}, text) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

// ---- the process table ------------------------------------------------------------------

// The cells of one row, in the table's column order after the name.
function cellsOf(proc, now) {
  const env = proc.pm2_env || {};
  const online = env.status === 'online';
  const monit = proc.monit || { cpu: 0, memory: 0 };
  return {
    id: String(proc.pm_id),
    status: env.status || 'unknown',
    pid: proc.pid ? String(proc.pid) : '–',
    cpu: online ? formatPercent(monit.cpu) : '–',
    memory: online ? formatBytes(monit.memory) : '–',
    restarts: String(env.restart_time || 0),
    uptime: online && env.pm_uptime ? formatDuration(now - env.pm_uptime) : '–',
  };
}

function newRow(proc) {
  const row = element('tr', { 'data-name': proc.name, 'data-id': proc.pm_id });
  row.append(element('th', { scope: 'row', class: 'name' }, proc.name));
  for (const column of ['id', 'status', 'pid', 'cpu', 'memory', 'restarts', 'uptime']) {
    row.append(element('td', { class: column === 'status' ? column : `number ${column}` }));
  }
  const actions = element('td', { class: 'actions' });
  for (const action of ['restart', 'reload', 'stop']) {
    actions.append(element('button', {
      type: 'button', 'data-action': action, 'data-name': proc.name, 'aria-label': `${action} ${proc.name}`,
    }, action));
  }
  actions.append(element('button', {
    type: 'button', 'data-logs': proc.name, 'aria-label': `show the logs of ${proc.name}`,
  }, 'logs'));
  row.append(actions);
  return row;
}

// Rows are updated in place, not rebuilt, so a button that has the keyboard's focus keeps
// it across polls.
function renderTable(processes, now) {
  const body = $('#processes tbody');
  const rows = new Map([...body.querySelectorAll('tr[data-id]')].map((row) => [row.dataset.id, row]));
  const ordered = processes.map((proc) => {
    const key = String(proc.pm_id);
    let row = rows.get(key);
    if (!row || row.dataset.name !== proc.name) row = newRow(proc);
    rows.delete(key);
    const cells = cellsOf(proc, now);
    row.dataset.status = cells.status;
    for (const [column, text] of Object.entries(cells)) {
      const cell = row.querySelector(`.${column}`);
      if (cell.textContent !== text) cell.textContent = text;
    }
    return row;
  });
  if (ordered.length === 0) {
    const row = element('tr');
    row.append(element('td', { colspan: '9', class: 'empty' }, 'No processes: start one with cxpm start.'));
    ordered.push(row);
  }
  // Appending a row already in place moves nothing, and keeps its focus.
  const same = ordered.length === body.children.length && ordered.every((row, i) => body.children[i] === row);
  if (!same) body.replaceChildren(...ordered);
}

// ---- charts -----------------------------------------------------------------------------

function remember(processes, now) {
  const seen = new Set();
  for (const proc of processes) {
    seen.add(proc.pm_id);
    const samples = samplesById.get(proc.pm_id) || [];
    const online = proc.pm2_env && proc.pm2_env.status === 'online';
    samples.push({
      time: now,
      cpu: online && proc.monit ? proc.monit.cpu : 0,
      memory: online && proc.monit ? proc.monit.memory : 0,
      restarts: (proc.pm2_env && proc.pm2_env.restart_time) || 0,
    });
    while (samples.length && samples[0].time < now - HISTORY_MS) samples.shift();
    samplesById.set(proc.pm_id, samples);
  }
  // A deleted process's history would only grow stale.
  for (const id of samplesById.keys()) if (!seen.has(id)) samplesById.delete(id);
}

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 300;
const HEIGHT = 60;

function svgElement(tag, attributes) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  return node;
}

// One line chart of FIELD over the window ending NOW, scaled to its largest value so a
// small app's memory is as readable as a big one's; the label says the scale.
function chart(samples, field, now, title, format) {
  const values = samples.map((sample) => sample[field]);
  const top = Math.max(...values, field === 'cpu' ? 1 : 1024) * 1.15;
  // The time axis spans what this page has seen, from one minute up to HISTORY_MS.
  const span = Math.min(HISTORY_MS, Math.max(MIN_SPAN_MS, samples.length ? now - samples[0].time : 0));
  const x = (time) => ((time - (now - span)) / span) * WIDTH;
  const y = (value) => HEIGHT - (value / top) * HEIGHT;
  const latest = values[values.length - 1];
  const figure = element('figure', { class: `chart ${field}` });
  const svg = svgElement('svg', {
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`, preserveAspectRatio: 'none', role: 'img',
    'aria-label': `${title}: now ${format(latest)}, at most ${format(Math.max(...values))}`,
  });
  samples.forEach((sample, index) => {
    if (index > 0 && sample.restarts > samples[index - 1].restarts) {
      svg.append(svgElement('line', {
        class: 'restart', x1: x(sample.time), x2: x(sample.time), y1: 0, y2: HEIGHT,
      }));
    }
  });
  svg.append(svgElement('polyline', {
    points: samples.map((sample) => `${x(sample.time).toFixed(1)},${y(sample[field]).toFixed(1)}`).join(' '),
  }));
  const caption = element('figcaption');
  caption.append(element('span', {}, title), element('span', { class: 'value' }, format(latest)));
  figure.append(caption, svg);
  return figure;
}

function renderCharts(processes, now) {
  const cards = processes.map((proc) => {
    const samples = samplesById.get(proc.pm_id) || [];
    const card = element('article', { class: 'card', 'data-id': proc.pm_id });
    card.append(element('h3', {}, `${proc.name} (${proc.pm_id})`),
      chart(samples, 'cpu', now, 'CPU', formatPercent),
      chart(samples, 'memory', now, 'Memory', formatBytes));
    return card;
  });
  $('#charts').replaceChildren(...cards);
}

// ---- polling ----------------------------------------------------------------------------

function setConnection(state, text) {
  const node = $('#connection');
  node.dataset.state = state;
  node.textContent = text;
}

function renderLogChoices(processes) {
  const select = $('#log-app');
  const names = [...new Set(processes.map((proc) => proc.name))];
  const current = [...select.options].map((option) => option.value);
  if (names.join('\n') === current.join('\n')) return; // keep the focus and the choice
  const chosen = select.value;
  select.replaceChildren(...names.map((name) => element('option', { value: name }, name)));
  if (names.includes(chosen)) select.value = chosen;
  if (select.value !== chosen) followLogs(select.value);
}

async function poll() {
  if (polling) {
    pollAgain = true;
    return;
  }
  polling = true;
  clearTimeout(pollTimer);
  try {
    const response = await fetch('api/processes', { cache: 'no-store' });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const processes = await response.json();
    const now = Date.now();
    remember(processes, now);
    renderTable(processes, now);
    renderCharts(processes, now);
    renderLogChoices(processes);
    setConnection('online', `Daemon reachable · ${processes.length} processes · updated ${formatTime(now)}`);
  } catch (error) {
    setConnection('offline', `Daemon unreachable (${error.message}); retrying`);
  }
  polling = false;
  // The next poll is timed from the end of this one, so a slow daemon is never asked twice.
  pollTimer = setTimeout(poll, pollAgain ? 0 : POLL_MS);
  pollAgain = false;
}

// ---- events -----------------------------------------------------------------------------

// Kinds that change a process's row: the table is refreshed at once rather than at the
// next poll, so a restart shows while it is news.
const ROW_CHANGING = new Set(['crash', 'restart', 'errored', 'unhealthy', 'memory_limit', 'cron_restart']);

function showEvent(event) {
  const item = element('li', { 'data-kind': event.event, 'data-app': event.app });
  item.append(
    element('time', {}, formatTime(event.time)),
    element('span', { class: 'kind' }, event.event),
    element('span', { class: 'who' }, `${event.app}:${event.instance}`),
    element('span', { class: 'message' }, event.message));
  const list = $('#events');
  list.prepend(item);
  while (list.children.length > MAX_EVENTS) list.lastElementChild.remove();
  // A restart is two events: the crash, then "started (pid N)", an info event, when the new
  // process runs; the row is fetched again at both.
  if (ROW_CHANGING.has(event.event) || /^(started|stopped)\b/.test(event.message)) poll();
}

function followEvents() {
  const source = new EventSource('api/events/stream');
  // Each connection starts with the latest events again: a reconnection must not show
  // them twice.
  source.onopen = () => $('#events').replaceChildren();
  source.onmessage = (message) => {
    try {
      showEvent(JSON.parse(message.data));
    } catch (error) {
      console.error('dashboard: an event that is not JSON:', message.data);
    }
  };
  // EventSource reconnects by itself; the poll's status line says whether the daemon is up.
}

// ---- logs -------------------------------------------------------------------------------

let logSource = null;

function showLogLine(line) {
  const list = $('#logs');
  // Keep following the tail only when the reader is already at the bottom.
  const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 8;
  const item = element('li', { 'data-stream': line.stream });
  item.append(
    element('time', {}, formatTime(line.time)),
    element('span', { class: 'who' }, line.instance === null || line.instance === undefined
      ? line.app : `${line.app}:${line.instance}`),
    element('span', { class: 'message' }, line.message));
  list.append(item);
  while (list.children.length > MAX_LOG_LINES) list.firstElementChild.remove();
  if (atBottom) list.scrollTop = list.scrollHeight;
}

// A line of a `log_type: json` file says itself whose it is and when it was written.
function fromJsonLine(event, text) {
  try {
    const line = JSON.parse(text);
    if (line && typeof line === 'object' && 'message' in line) return { ...event, ...line };
  } catch (error) {
    // Not JSON after all: shown as it is.
  }
  return { ...event, message: text };
}

function followLogs(app) {
  if (logSource) logSource.close();
  logSource = null;
  $('#logs').replaceChildren();
  if (!app) return;
  logSource = new EventSource(`api/logs/stream?app=${encodeURIComponent(app)}`);
  // Likewise, each connection starts with the tail of the app's files again.
  logSource.onopen = () => $('#logs').replaceChildren();
  logSource.onmessage = (message) => {
    let data;
    try {
      data = JSON.parse(message.data);
    } catch (error) {
      console.error('dashboard: a log line that is not JSON:', message.data);
      return;
    }
    // The daemon's log events: a batch of lines read back from a file ("tail") or just
    // written ("live"), sharing app, instance and stream; or one line as `cxpm logs --json`
    // prints it.
    if (!Array.isArray(data.lines)) return showLogLine(data);
    for (const text of data.lines) showLogLine(data.json ? fromJsonLine(data, text) : { ...data, message: text });
  };
}

// ---- actions ----------------------------------------------------------------------------

// askToken opens the token dialog and resolves with the token typed, or null on cancel.
function askToken(why) {
  const dialog = $('#token-dialog');
  $('#token-why').textContent = why;
  $('#token').value = '';
  dialog.returnValue = '';
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => {
      resolve(dialog.returnValue === 'ok' && $('#token').value ? $('#token').value : null);
    }, { once: true });
    dialog.showModal();
  });
}

async function act(action, name) {
  const result = $('#action-result');
  result.textContent = `${action} ${name}…`;
  for (;;) {
    const token = sessionStorage.getItem(TOKEN_KEY);
    const headers = token ? { Authorization: `Bearer ${token}` } : {};
    let response;
    try {
      response = await fetch(`api/processes/${encodeURIComponent(name)}/${action}`, { method: 'POST', headers });
    } catch (error) {
      result.textContent = `${action} ${name}: the daemon did not answer (${error.message})`;
      return;
    }
    // 403 is no token matter: the server took the request for another site's (its Origin
    // is not the server's, as behind a proxy that rewrites Host); its message says so.
    if (response.status === 401) {
      // The server wants a token, or refused the one kept: ask, and try once more with it.
      sessionStorage.removeItem(TOKEN_KEY);
      const typed = await askToken(token
        ? `The token was refused. ${action} ${name} needs the bearer token cxpm web was given.`
        : `${action} ${name} needs the bearer token cxpm web was given.`);
      if (!typed) {
        result.textContent = `${action} ${name}: cancelled (no token)`;
        return;
      }
      sessionStorage.setItem(TOKEN_KEY, typed);
      continue;
    }
    const body = await response.text();
    result.textContent = response.ok
      ? `${action} ${name}: done`
      : `${action} ${name} failed: ${body.trim() || `HTTP ${response.status}`}`;
    poll();
    return;
  }
}

// ---- start ------------------------------------------------------------------------------

document.addEventListener('DOMContentLoaded', () => {
  // One listener for every row's buttons: the rows are rebuilt at each poll.
  $('#processes').addEventListener('click', (click) => {
    const button = click.target.closest('button');
    if (!button) return;
    if (button.dataset.action) act(button.dataset.action, button.dataset.name);
    if (button.dataset.logs) {
      $('#log-app').value = button.dataset.logs;
      followLogs(button.dataset.logs);
      $('#logs-title').scrollIntoView({ behavior: 'smooth', block: 'start' });
    }
  });
  $('#log-app').addEventListener('change', (change) => followLogs(change.target.value));
  followEvents();
  poll();
});
