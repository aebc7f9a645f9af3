// The operators' console. Every value from the server is written with textContent, never as HTML: a CRM's
// message is text someone else wrote. The key lives in sessionStorage only, so it is gone with the tab.
'use strict';

const KEY = 'callbridge.console.key';

class Refused extends Error {}

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  Object.entries(attrs || {}).forEach(([k, v]) => {
    if (k === 'class') node.className = v; else if (k.startsWith('data-')) node.setAttribute(k, v); else node[k] = v;
  });
  children.flat().forEach(c => node.append(c instanceof Node ? c : document.createTextNode(c == null ? '' : String(c))));
  return node;
}

function state(value) {
  return el('span', { class: 'state state-' + value }, value);
}

function keyStatus(text, error) {
  const s = document.getElementById('key-status');
  s.textContent = text;
  s.classList.toggle('error', !!error);
}

async function api(path, options = {}) {
  const key = sessionStorage.getItem(KEY);
  if (!key) throw new Refused('No key: enter an admin key to see data.');
  const headers = Object.assign({ 'Authorization': 'Bearer ' + key, 'Accept': 'application/json' }, options.headers || {});
  const response = await fetch(path, Object.assign({}, options, { headers }));
  const text = await response.text();
  let body = null;
  try { body = text ? JSON.parse(text) : null; } catch (e) { body = { detail: text }; }
  if (response.status === 401) {
    sessionStorage.removeItem(KEY); // a wrong key is not tried again on the next load
    throw new Refused('Unknown API key: Callbridge does not know this key.');
  }
  if (response.status === 403) throw new Refused('This key may not use the console (an admin key is needed).');
  return { status: response.status, body };
}

async function loadHealth() {
  // readiness answers 503 with the same body when a CRM refuses the credentials: both are shown
  const { body } = await api('/observe/health/ready?data=true');
  const rows = document.querySelector('#health tbody');
  rows.replaceChildren();
  const crms = [];
  (body && body.checks || []).forEach(check => {
    const data = check.data || {};
    if (data.crm) crms.push(data.crm);
    // readiness also lists every route and consumer: only the CRMs, the broker and whatever is not up matter here
    if (!data.crm && check.name !== 'broker' && check.status === 'UP') return;
    const value = data.state || String(check.status || '').toLowerCase();
    rows.append(el('tr', { 'data-check': data.crm || check.name },
      el('td', {}, data.crm ? 'CRM ' + data.crm : check.name), el('td', { class: 'health-state' }, state(value)),
      el('td', { class: 'muted' }, check.message || '')));
  });
  return crms;
}

async function loadDeadLetters(crm) {
  const reveal = document.getElementById('reveal').checked;
  const { status, body } = await api('/v1/dlq/' + encodeURIComponent(crm) + (reveal ? '?reveal=true' : ''));
  let box = document.querySelector('#dlq [data-crm="' + crm + '"]');
  if (!box) {
    box = el('div', { 'data-crm': crm });
    document.getElementById('dlq').append(box);
  }
  if (status !== 200) {
    box.replaceChildren(el('h3', {}, crm), el('p', { class: 'error' }, (body && body.detail) || 'HTTP ' + status));
    return;
  }
  const open = body.filter(d => d.status === 'open').length;
  const all = el('button', { type: 'button', class: 'replay-all', disabled: open === 0 }, 'Replay all open (' + open + ')');
  all.addEventListener('click', () => replay(crm, null));
  const table = el('table', {}, el('thead', {}, el('tr', {}, ['id', 'command', 'reason', 'attempts', 'first failure',
    'last failure', 'status', ''].map(h => el('th', {}, h)))));
  const rows = el('tbody');
  body.forEach(d => {
    const button = el('button', { type: 'button', class: 'replay', disabled: d.status !== 'open' }, 'Replay');
    button.addEventListener('click', () => replay(crm, d.id));
    rows.append(el('tr', { 'data-id': d.id },
      el('td', { class: 'id' }, d.id), el('td', {}, d.action || '', el('br'), el('span', { class: 'muted' }, d.commandId || '')),
      el('td', { class: 'reason' }, [d.errorClass, d.httpStatus && 'HTTP ' + d.httpStatus].filter(Boolean).join(' · '),
        el('br'), el('span', { class: 'message' }, d.reason || '')),
      el('td', {}, d.attempts || ''), el('td', {}, d.firstFailure || ''), el('td', {}, d.lastFailure || ''),
      el('td', { class: 'status' }, state(d.status)), el('td', {}, button)));
  });
  table.append(rows);
  box.replaceChildren(el('h3', {}, crm + ' ', all), body.length ? table : el('p', { class: 'muted' }, 'No dead letters.'));
}

async function replay(crm, id) {
  const result = document.getElementById('replay-result');
  result.textContent = 'Replaying…';
  try {
    const { status, body } = await api('/v1/dlq/' + encodeURIComponent(crm) + '/replay', {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: id ? JSON.stringify({ ids: [id] }) : ''
    });
    if (status !== 200) {
      result.textContent = crm + ': replay refused: ' + ((body && body.detail) || 'HTTP ' + status);
      return;
    }
    const ids = list => list.map(r => r.id).join(', ') || 'none';
    result.textContent = crm + ': replayed ' + body.replayed.length + ' (' + ids(body.replayed) + '), superseded '
      + body.superseded.length + ' (' + ids(body.superseded) + ')'
      + body.superseded.map(s => ' — ' + s.id + ': ' + s.reason).join('');
    await Promise.all([loadDeadLetters(crm), loadEvents()]);
  } catch (e) {
    failed(e);
  }
}

async function loadEvents() {
  const { status, body } = await api('/v1/console/events?limit=20');
  const rows = document.querySelector('#events tbody');
  rows.replaceChildren();
  if (status !== 200) {
    rows.append(el('tr', {}, el('td', { class: 'error', colSpan: 5 }, (body && body.detail) || 'HTTP ' + status)));
    return;
  }
  body.forEach(e => rows.append(el('tr', { 'data-event': e.id || '' },
    el('td', {}, e.time || ''), el('td', {}, e.unreadable ? 'unreadable record ' + e.offset : e.type),
    el('td', { class: 'caller' }, e.caller || ''), el('td', { class: 'muted' }, e.id || ''),
    el('td', { class: 'crms' }, (e.crms || []).map(c => el('span', {}, c.crm + ' ', state(c.state), ' '))))));
}

async function plan() {
  const out = document.getElementById('plan-result');
  out.textContent = 'Planning…';
  try {
    const { body } = await api('/v1/plan', { method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: document.getElementById('plan-event').value });
    out.textContent = JSON.stringify(body, null, 2);
  } catch (e) {
    out.textContent = e.message;
    failed(e);
  }
}

function failed(e) {
  keyStatus(e.message, true);
  if (!(e instanceof Refused)) console.error(e);
}

async function loadAll() {
  try {
    const crms = await loadHealth();
    await loadEvents(); // the first call that needs the key's role: an unknown key stops here
    keyStatus('Key accepted.', false);
    await Promise.all(crms.map(loadDeadLetters));
  } catch (e) {
    failed(e);
  }
}

document.addEventListener('DOMContentLoaded', () => {
  document.getElementById('key-form').addEventListener('submit', event => {
    event.preventDefault();
    const input = document.getElementById('api-key');
    if (input.value.trim()) sessionStorage.setItem(KEY, input.value.trim());
    input.value = '';
    loadAll();
  });
  document.getElementById('forget-key').addEventListener('click', () => {
    sessionStorage.removeItem(KEY);
    keyStatus('No key: enter an admin key to see data.', false);
  });
  document.getElementById('refresh').addEventListener('click', loadAll);
  document.getElementById('reveal').addEventListener('change', loadAll);
  document.getElementById('plan-run').addEventListener('click', plan);
  if (sessionStorage.getItem(KEY)) loadAll();
});
