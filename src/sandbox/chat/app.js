// pesan sandbox chat: the customer's side of a WhatsApp conversation, played against the Meta simulator.
// Plain browser JS on purpose (no build step, no CDN): sandbox demos run offline.
// "customer" = the person using this page (right, green); "merchant" = what pesan sends (left, white).
(() => {
  'use strict';

  const SIM = '/sandbox/meta/_sim';
  const STORAGE_WA_ID = 'pesan.sandbox.waId';
  const STORAGE_NAME = 'pesan.sandbox.name';
  const STORAGE_NUMBER = 'pesan.sandbox.number';
  const STATUS_RANK = { sent: 1, delivered: 2, read: 3, failed: 4 };

  // ---------- small DOM helpers (text nodes only, so message content can never inject markup) ----------
  const $ = (sel) => document.querySelector(sel);
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') node.className = v;
      else if (k === 'dataset') Object.assign(node.dataset, v);
      else if (k.startsWith('on') && typeof v === 'function') node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children.flat()) {
      if (c === undefined || c === null || c === false) continue;
      node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return node;
  }

  function escapeHtml(s) {
    return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
  }

  /** WhatsApp's own markup (*bold*, _italic_, ~strike~, ```mono```) plus clickable links, applied after escaping. */
  function formatWhatsApp(text) {
    let s = escapeHtml(text);
    s = s.replace(/```([\s\S]+?)```/g, '<code>$1</code>');
    s = s.replace(/(^|[\s(])\*(?!\s)([^*\n]+?)\*(?=[\s.,!?:;)]|$)/gm, '$1<strong>$2</strong>');
    s = s.replace(/(^|[\s(])_(?!\s)([^_\n]+?)_(?=[\s.,!?:;)]|$)/gm, '$1<em>$2</em>');
    s = s.replace(/(^|[\s(])~(?!\s)([^~\n]+?)~(?=[\s.,!?:;)]|$)/gm, '$1<s>$2</s>');
    s = s.replace(/\bhttps?:\/\/[^\s<]+[^\s<.,;:!?)]/g, (url) => `<a href="${url}" target="_blank" rel="noopener">${url}</a>`);
    return s;
  }

  function richText(text, cls) {
    const node = el('div', { class: cls || 'text' });
    node.innerHTML = formatWhatsApp(text || '');
    return node;
  }

  const timeFmt = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Jakarta', hour: '2-digit', minute: '2-digit', hour12: false });
  const dayFmt = new Intl.DateTimeFormat('id-ID', { timeZone: 'Asia/Jakarta', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
  const dayKeyFmt = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Jakarta', year: 'numeric', month: '2-digit', day: '2-digit' });
  const rupiah = (n) => (typeof n === 'number' ? 'Rp ' + Math.round(n).toLocaleString('id-ID') : '—');
  const wibTime = (iso) => (iso ? timeFmt.format(new Date(iso)) : '');

  // ---------- identity ----------
  function randomWaId() {
    let digits = '';
    for (let i = 0; i < 8; i++) digits += Math.floor(Math.random() * 10);
    return '62812' + digits;
  }

  const state = {
    waId: localStorage.getItem(STORAGE_WA_ID) || '',
    name: localStorage.getItem(STORAGE_NAME) || '',
    messages: new Map(), // id → SimMessage
    localImages: new Map(), // id → data URL of images this page sent, shown before the simulator serves them
    events: null,
    order: null,
    // The shop's business number the customer writes to ('' = the first one), and its merchant id.
    number: localStorage.getItem(STORAGE_NUMBER) || '',
    merchant: '',
  };
  /** ?phone_number_id= / ?merchant= for the selected shop ('' for the default). */
  const numberQuery = () => (state.number ? `phone_number_id=${encodeURIComponent(state.number)}` : '');
  const merchantQuery = () => (state.merchant ? `&merchant=${encodeURIComponent(state.merchant)}` : '');
  if (!/^\d{8,15}$/.test(state.waId)) {
    state.waId = randomWaId();
    localStorage.setItem(STORAGE_WA_ID, state.waId);
  }
  if (!state.name) {
    state.name = 'Sandbox Customer';
    localStorage.setItem(STORAGE_NAME, state.name);
  }

  const waIdInput = $('#wa-id');
  const nameInput = $('#customer-name');
  const messagesEl = $('#messages');
  const input = $('#chat-input');
  const connectionEl = $('#connection-state');
  waIdInput.value = state.waId;
  nameInput.value = state.name;

  function switchCustomer(waId) {
    state.waId = waId;
    localStorage.setItem(STORAGE_WA_ID, waId);
    waIdInput.value = waId;
    state.messages.clear();
    state.localImages.clear();
    for (const node of messagesEl.querySelectorAll('.row, .day, .system')) node.remove();
    state.order = null;
    renderOrder(null);
    connect();
  }

  waIdInput.addEventListener('change', () => {
    const v = waIdInput.value.replace(/\D/g, '');
    if (/^\d{8,15}$/.test(v)) switchCustomer(v);
    else waIdInput.value = state.waId;
  });
  nameInput.addEventListener('change', () => {
    state.name = nameInput.value.trim();
    localStorage.setItem(STORAGE_NAME, state.name);
  });
  $('#new-customer').addEventListener('click', () => switchCustomer(randomWaId()));

  // ---------- which shop (each demo merchant has its own number, catalog and providers) ----------
  const merchantSel = $('#merchant');
  function showMerchant(name) {
    if (!name) return;
    const nameEl = document.querySelector('.merchant-name');
    const avatar = document.querySelector('.chat-header .avatar');
    if (nameEl) nameEl.textContent = name;
    if (avatar) {
      const words = name.trim().split(/\s+/).filter((w) => /^[\p{L}\p{N}]/u.test(w));
      avatar.textContent = words.slice(0, 2).map((w) => (w[0] || '').toUpperCase()).join('') || 'P';
    }
    document.title = `${name} · pesan sandbox chat`;
  }
  async function loadMerchants() {
    try {
      const res = await fetch('/sandbox/merchants');
      if (!res.ok) return;
      const list = (await res.json()).merchants || [];
      if (!list.length) return;
      merchantSel.replaceChildren(...list.map((m) => el('option', { value: m.phone_number_id, dataset: { merchant: m.id, name: m.name } }, m.name)));
      const chosen = list.find((m) => m.phone_number_id === state.number) || list[0];
      merchantSel.value = chosen.phone_number_id;
      // The first shop is the page as it always was (no number named); another stored shop is a switch.
      if (chosen === list[0]) {
        state.number = '';
        state.merchant = '';
        return;
      }
      state.number = chosen.phone_number_id;
      state.merchant = chosen.id;
      showMerchant(chosen.name);
      switchCustomer(state.waId);
      loadSettings();
    } catch {
      /* the picker stays empty: the page talks to the first number */
    }
  }
  merchantSel.addEventListener('change', () => {
    const opt = merchantSel.selectedOptions[0];
    const first = merchantSel.options[0] === opt;
    state.number = first ? '' : merchantSel.value;
    state.merchant = first ? '' : (opt && opt.dataset.merchant) || '';
    localStorage.setItem(STORAGE_NUMBER, state.number);
    showMerchant(opt && opt.dataset.name);
    switchCustomer(state.waId);
    loadSettings();
  });
  $('.identity').addEventListener('submit', (e) => e.preventDefault());

  // ---------- rendering messages ----------
  function ticks(status) {
    if (!status) return null;
    if (status === 'failed') return el('span', { class: 'tick failed', title: 'failed', 'aria-label': 'failed' }, '!');
    const double = status !== 'sent';
    const svg = double
      ? '<svg viewBox="0 0 16 11" width="16" height="11" aria-hidden="true"><path fill="currentColor" d="M11.07.66 10.4.1a.4.4 0 0 0-.56.07L4.96 6.1 2.2 3.53a.4.4 0 0 0-.55.02l-.6.63a.4.4 0 0 0 .01.55l3.59 3.37a.4.4 0 0 0 .58-.04l5.9-6.85a.4.4 0 0 0-.06-.55zm4 0L14.4.1a.4.4 0 0 0-.56.07L8.96 6.1l-.7-.66-.86 1 1.54 1.45a.4.4 0 0 0 .58-.04l5.9-6.85a.4.4 0 0 0-.06-.55z"/></svg>'
      : '<svg viewBox="0 0 12 11" width="12" height="11" aria-hidden="true"><path fill="currentColor" d="M11.07.66 10.4.1a.4.4 0 0 0-.56.07L4.96 6.1 2.2 3.53a.4.4 0 0 0-.55.02l-.6.63a.4.4 0 0 0 .01.55l3.59 3.37a.4.4 0 0 0 .58-.04l5.9-6.85a.4.4 0 0 0-.06-.55z"/></svg>';
    const node = el('span', { class: 'tick ' + status, title: status, 'aria-label': status, 'data-status': status });
    node.innerHTML = svg;
    return node;
  }

  // Inline icons: the sandbox machine may have no emoji font and there is no internet for icon fonts.
  const PIN_SVG = '<svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true"><path fill="currentColor" d="M12 2a7 7 0 0 0-7 7c0 5.2 7 13 7 13s7-7.8 7-13a7 7 0 0 0-7-7zm0 9.5A2.5 2.5 0 1 1 12 6.5a2.5 2.5 0 0 1 0 5z"/></svg>';
  const LIST_SVG = '<svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true"><path fill="currentColor" d="M3 6h2v2H3zm4 0h14v2H7zm-4 5h2v2H3zm4 0h14v2H7zm-4 5h2v2H3zm4 0h14v2H7z"/></svg>';
  function icon(svg, cls) {
    const span = el('span', { class: 'icon-svg ' + (cls || ''), 'aria-hidden': 'true' });
    span.innerHTML = svg;
    return span;
  }

  function imageNode(src, alt) {
    const img = el('img', { src, alt: alt || 'image', loading: 'lazy', class: 'media' });
    img.addEventListener('load', () => keepBottom());
    const link = el('a', { href: src, target: '_blank', rel: 'noopener', class: 'media-link' }, img);
    return link;
  }

  function mediaUrl(id) {
    return `${SIM}/media/${encodeURIComponent(id)}`;
  }

  /** pesan's outgoing Cloud API body → bubble content and the actions under it. */
  function renderMerchant(msg) {
    const body = msg.message || {};
    const parts = [];
    const actions = [];
    if (body.type === 'text') {
      parts.push(richText(body.text && body.text.body));
    } else if (body.type === 'image') {
      const img = body.image || {};
      const src = img.id ? mediaUrl(img.id) : img.link;
      if (src) parts.push(imageNode(src, img.caption || 'image from merchant'));
      if (img.caption || body.caption) parts.push(richText(img.caption || body.caption, 'text caption'));
    } else if (body.type === 'interactive') {
      const it = body.interactive || {};
      if (it.header && it.header.type === 'text' && it.header.text) parts.push(el('div', { class: 'header-text' }, it.header.text));
      if (it.body && it.body.text) parts.push(richText(it.body.text));
      if (it.footer && it.footer.text) parts.push(el('div', { class: 'footer-text' }, it.footer.text));
      const action = it.action || {};
      if (it.type === 'list') {
        parts.push(
          el('button', { type: 'button', class: 'in-bubble-action', 'data-testid': 'list-open', onclick: () => openList(it) },
            icon(LIST_SVG), action.button || 'Menu'),
        );
      } else if (it.type === 'button') {
        for (const b of action.buttons || []) {
          const reply = b.reply || {};
          actions.push(
            el('button', {
              type: 'button', class: 'reply-button', 'data-testid': 'reply-button', 'data-id': reply.id,
              onclick: () => sendInbound({ type: 'interactive', kind: 'button_reply', replyId: reply.id, title: reply.title }),
            }, reply.title),
          );
        }
      } else if (it.type === 'location_request_message') {
        parts.push(
          el('button', { type: 'button', class: 'in-bubble-action', 'data-testid': 'location-open', onclick: openLocationPicker },
            icon(PIN_SVG), 'Send location'),
        );
      } else {
        parts.push(el('div', { class: 'unsupported' }, `[interactive ${it.type || '?'} message]`));
      }
    } else if (body.type === 'template') {
      const t = body.template || {};
      const params = (t.components || []).flatMap((c) => (c.parameters || []).map((p) => p.text || p.payload)).filter(Boolean);
      parts.push(el('div', { class: 'unsupported' }, `[template ${t.name || ''}] ${params.join(' · ')}`));
    } else {
      parts.push(el('div', { class: 'unsupported' }, `[${body.type || msg.type || 'unknown'} message]`));
    }
    return { parts, actions };
  }

  /** The customer's message as Meta's webhook carries it → bubble content. */
  function renderCustomer(msg) {
    const m = msg.message || {};
    const parts = [];
    if (m.type === 'text') {
      parts.push(richText(m.text && m.text.body));
    } else if (m.type === 'interactive') {
      const it = m.interactive || {};
      const reply = it.list_reply || it.button_reply || {};
      parts.push(el('div', { class: 'reply-quote' }, it.type === 'list_reply' ? 'Selected from list' : 'Replied'));
      parts.push(el('div', { class: 'text' }, reply.title || reply.id || ''));
      if (reply.description) parts.push(el('div', { class: 'footer-text' }, reply.description));
    } else if (m.type === 'location') {
      const loc = m.location || {};
      parts.push(
        el('div', { class: 'location-card' },
          el('div', { class: 'location-thumb', 'aria-hidden': 'true' }, icon(PIN_SVG)),
          el('div', {},
            el('div', { class: 'location-name' }, loc.name || 'Shared location'),
            loc.address ? el('div', { class: 'footer-text' }, loc.address) : null,
            el('div', { class: 'footer-text mono' }, `${Number(loc.latitude).toFixed(5)}, ${Number(loc.longitude).toFixed(5)}`),
          ),
        ),
      );
    } else if (m.type === 'image') {
      const img = m.image || {};
      const src = state.localImages.get(msg.id) || (img.id ? mediaUrl(img.id) : null);
      if (src) parts.push(imageNode(src, img.caption || 'image sent'));
      if (img.caption) parts.push(richText(img.caption, 'text caption'));
    } else {
      parts.push(el('div', { class: 'unsupported' }, `[${m.type || msg.type || 'unknown'} message]`));
    }
    return { parts, actions: [] };
  }

  function renderRow(msg) {
    const fromCustomer = msg.direction === 'in';
    const { parts, actions } = fromCustomer ? renderCustomer(msg) : renderMerchant(msg);
    const meta = el('div', { class: 'meta' }, el('time', { datetime: msg.at }, wibTime(msg.at)), ticks(msg.status || (fromCustomer ? 'sent' : null)));
    // As in WhatsApp, the time sits above a bubble's own action button (list / send location).
    const inBubbleActions = parts.filter((p) => p.classList && p.classList.contains('in-bubble-action'));
    const content = parts.filter((p) => !inBubbleActions.includes(p));
    const bubble = el('div', { class: 'bubble' }, ...content, meta, ...inBubbleActions);
    return el('div', {
      class: 'row ' + (fromCustomer ? 'customer' : 'merchant'),
      'data-testid': fromCustomer ? 'msg-customer' : 'msg-merchant',
      'data-msg-id': msg.id,
      'data-type': (msg.message && msg.message.type) || msg.type,
    }, bubble, actions.length ? el('div', { class: 'reply-buttons' }, actions) : null);
  }

  function nearBottom() {
    return messagesEl.scrollHeight - messagesEl.scrollTop - messagesEl.clientHeight < 120;
  }
  let stickToBottom = true;
  messagesEl.addEventListener('scroll', () => { stickToBottom = nearBottom(); });
  function keepBottom(force) {
    if (force || stickToBottom) messagesEl.scrollTop = messagesEl.scrollHeight;
  }

  const dayKey = (iso) => dayKeyFmt.format(new Date(iso));

  /** Re-draws everything in time order; used when a message arrives out of order (e.g. on resync). */
  function renderAll() {
    for (const node of messagesEl.querySelectorAll('.row, .day')) node.remove();
    let lastDay = null;
    for (const msg of sortedMessages()) {
      const d = dayKey(msg.at);
      if (d !== lastDay) messagesEl.append(el('div', { class: 'day' }, el('span', {}, dayFmt.format(new Date(msg.at)))));
      lastDay = d;
      messagesEl.append(renderRow(msg));
    }
    keepBottom();
  }

  function sortedMessages() {
    return [...state.messages.values()].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  }

  /** Adds a new message or applies a status update to a known one; ticks never go backwards. */
  function upsert(incoming) {
    if (!incoming || !incoming.id) return;
    if (incoming.direction === 'out' && incoming.status === 'delivered') markReadSoon();
    const existing = state.messages.get(incoming.id);
    if (existing) {
      const merged = { ...existing, ...incoming, message: incoming.message || existing.message };
      if (existing.status && incoming.status && STATUS_RANK[existing.status] > STATUS_RANK[incoming.status]) merged.status = existing.status;
      state.messages.set(incoming.id, merged);
      const node = messagesEl.querySelector(`.row[data-msg-id="${CSS.escape(incoming.id)}"]`);
      if (node) node.replaceWith(renderRow(merged));
      return;
    }
    const all = sortedMessages();
    const last = all[all.length - 1];
    state.messages.set(incoming.id, incoming);
    if (last && incoming.at < last.at) {
      renderAll();
      return;
    }
    if (!last || dayKey(last.at) !== dayKey(incoming.at)) {
      messagesEl.append(el('div', { class: 'day' }, el('span', {}, dayFmt.format(new Date(incoming.at)))));
    }
    messagesEl.append(renderRow(incoming));
    keepBottom(incoming.direction === 'in');
  }

  // The customer "has the chat open": pesan's delivered messages turn read (blue ticks and a read webhook),
  // as on a real phone. Only once delivered, so the simulator's own sent→delivered steps don't race it.
  let readTimer = null;
  function markReadSoon() {
    if (document.hidden || readTimer) return;
    readTimer = setTimeout(() => {
      readTimer = null;
      const unread = [...state.messages.values()].some((m) => m.direction === 'out' && m.status === 'delivered');
      if (!unread) return;
      fetch(`${SIM}/read`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ wa_id: state.waId }) }).catch(() => {});
    }, 400);
  }
  document.addEventListener('visibilitychange', markReadSoon);

  function systemNote(text, kind) {
    messagesEl.append(el('div', { class: 'system ' + (kind || ''), role: 'status' }, el('span', {}, text)));
    keepBottom(true);
  }

  // ---------- talking to the simulator ----------
  async function loadConversation() {
    const waId = state.waId;
    const res = await fetch(`${SIM}/conversations/${encodeURIComponent(waId)}${state.number ? `?${numberQuery()}` : ''}`);
    if (waId !== state.waId) return;
    if (!res.ok) {
      if (res.status !== 404) systemNote(`Could not load the conversation (${res.status}).`, 'error');
      return;
    }
    const data = await res.json();
    for (const m of data.messages || []) upsert(m);
  }

  function connect() {
    if (state.events) state.events.close();
    connectionEl.textContent = 'connecting…';
    const es = new EventSource(`${SIM}/events?wa_id=${encodeURIComponent(state.waId)}`);
    state.events = es;
    es.addEventListener('open', () => {
      connectionEl.textContent = 'online';
      // After a reconnect, messages sent while we were away only exist in the conversation log.
      loadConversation().catch(() => {});
      refreshOrder();
    });
    es.addEventListener('message', (ev) => {
      try {
        const m = JSON.parse(ev.data);
        // The stream carries the customer's threads with every shop; this page shows the selected one.
        if (state.number && m.phone_number_id && m.phone_number_id !== state.number) return;
        upsert(m);
      } catch {
        return;
      }
      refreshOrder();
    });
    es.addEventListener('error', () => {
      connectionEl.textContent = 'reconnecting…';
    });
  }

  /** Optimistic copy of what the simulator will record, so the bubble shows before the event arrives. */
  function asWebhookMessage(message) {
    switch (message.type) {
      case 'text':
        return { type: 'text', text: { body: message.text } };
      case 'interactive':
        return { type: 'interactive', interactive: { type: message.kind, [message.kind]: { id: message.replyId, title: message.title } } };
      case 'location': {
        const { latitude, longitude, name, address } = message;
        return { type: 'location', location: { latitude, longitude, name, address } };
      }
      case 'image':
        return { type: 'image', image: { mime_type: message.mimeType, caption: message.caption } };
      default:
        return message;
    }
  }

  async function sendInbound(message, localImage) {
    const waId = state.waId;
    let res;
    try {
      res = await fetch(`${SIM}/inbound`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ from: waId, name: state.name || undefined, message, ...(state.number ? { phone_number_id: state.number } : {}) }),
      });
    } catch (err) {
      systemNote('Could not reach the Meta simulator: ' + err.message, 'error');
      return;
    }
    const data = await res.json().catch(() => ({}));
    if (!res.ok) {
      systemNote(`The Meta simulator refused the message (${res.status}${data.error ? ': ' + (data.error.message || data.error) : ''}).`, 'error');
      return;
    }
    if (waId !== state.waId) return;
    const id = data.wa_message_id;
    if (id && localImage) state.localImages.set(id, localImage);
    if (id && !state.messages.has(id)) {
      upsert({ id, direction: 'in', at: new Date().toISOString(), type: message.type, message: asWebhookMessage(message), status: 'sent' });
    } else if (id && localImage) {
      upsert({ id }); // re-render with the local copy of the image
    }
    const ws = Number(data.webhook_status);
    if (data.webhook_status !== undefined && !(ws >= 200 && ws < 300)) {
      systemNote(`pesan's webhook answered ${data.webhook_status}: the message may not be processed.`, 'error');
    }
  }

  $('#composer').addEventListener('submit', (e) => {
    e.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = '';
    sendInbound({ type: 'text', text });
  });

  // Photos from phones are large; the simulator (and pesan) only need something readable.
  async function fileToImage(file) {
    const dataUrl = await new Promise((resolve, reject) => {
      const r = new FileReader();
      r.onload = () => resolve(r.result);
      r.onerror = () => reject(r.error);
      r.readAsDataURL(file);
    });
    if (file.size <= 700_000) return { dataUrl, mimeType: file.type || 'image/jpeg' };
    const img = await new Promise((resolve, reject) => {
      const i = new Image();
      i.onload = () => resolve(i);
      i.onerror = reject;
      i.src = dataUrl;
    });
    const scale = Math.min(1, 1600 / Math.max(img.width, img.height));
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(img.width * scale);
    canvas.height = Math.round(img.height * scale);
    canvas.getContext('2d').drawImage(img, 0, 0, canvas.width, canvas.height);
    return { dataUrl: canvas.toDataURL('image/jpeg', 0.85), mimeType: 'image/jpeg' };
  }

  $('#attach').addEventListener('change', async (e) => {
    const file = e.target.files && e.target.files[0];
    e.target.value = '';
    if (!file) return;
    if (!file.type.startsWith('image/')) {
      systemNote('Only images can be attached here.', 'error');
      return;
    }
    try {
      const { dataUrl, mimeType } = await fileToImage(file);
      const caption = input.value.trim() || undefined;
      input.value = '';
      const dataBase64 = dataUrl.slice(dataUrl.indexOf(',') + 1);
      await sendInbound({ type: 'image', dataBase64, mimeType, caption }, dataUrl);
    } catch (err) {
      systemNote('Could not read the image: ' + (err && err.message ? err.message : err), 'error');
    }
  });

  // ---------- sheets: list picker and location picker ----------
  const sheet = $('#sheet');
  const sheetBody = $('#sheet-body');
  let lastFocus = null;

  function openSheet(title, content) {
    lastFocus = document.activeElement;
    $('#sheet-title').textContent = title;
    sheetBody.replaceChildren(content);
    sheet.hidden = false;
    const first = sheetBody.querySelector('button, [tabindex]');
    (first || sheet.querySelector('[data-close]')).focus();
  }
  function closeSheet() {
    sheet.hidden = true;
    sheetBody.replaceChildren();
    if (lastFocus && lastFocus.focus) lastFocus.focus();
  }
  sheet.addEventListener('click', (e) => {
    if (e.target === sheet || e.target.closest('[data-close]')) closeSheet();
  });
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && !sheet.hidden) closeSheet();
  });

  function openList(interactive) {
    const action = interactive.action || {};
    const content = el('div', { class: 'list-sheet', 'data-testid': 'list-sheet' });
    for (const section of action.sections || []) {
      if (section.title) content.append(el('h3', { class: 'section-title' }, section.title));
      const rows = el('div', { class: 'rows', role: 'list' });
      for (const row of section.rows || []) {
        rows.append(
          el('button', {
            type: 'button', class: 'list-row', role: 'listitem', 'data-testid': 'list-row', 'data-id': row.id,
            onclick: () => {
              closeSheet();
              sendInbound({ type: 'interactive', kind: 'list_reply', replyId: row.id, title: row.title });
            },
          },
          el('span', { class: 'row-text' }, el('span', { class: 'row-title' }, row.title), row.description ? el('span', { class: 'row-desc' }, row.description) : null),
          el('span', { class: 'radio', 'aria-hidden': 'true' })),
        );
      }
      content.append(rows);
    }
    openSheet(action.button || 'Menu', content);
  }

  // Jakarta Selatan and around; a drawn map because the sandbox has no internet for tiles.
  const MAP = { north: -6.17, south: -6.31, west: 106.76, east: 106.9, size: 400 };
  const PRESETS = [
    { label: 'Rumah', name: 'Rumah', address: 'Jl. Bangka Raya 12, Mampang Prapatan, Jakarta Selatan', latitude: -6.25597, longitude: 106.81744 },
    { label: 'Kantor', name: 'Kantor', address: 'SCBD, Jl. Jend. Sudirman Kav. 52-53, Jakarta Selatan', latitude: -6.22532, longitude: 106.80869 },
    { label: 'Kos', name: 'Kos', address: 'Jl. Tebet Timur Dalam Raya, Tebet, Jakarta Selatan', latitude: -6.23522, longitude: 106.85604 },
  ];
  const LANDMARKS = [
    ['Monas', -6.1754, 106.8272], ['Bundaran HI', -6.195, 106.823], ['Senayan', -6.2183, 106.802], ['Kuningan', -6.2297, 106.8307],
    ['Blok M', -6.2443, 106.7983], ['Mampang', -6.2441, 106.8258], ['Pancoran', -6.243, 106.844], ['Kemang', -6.2607, 106.8133],
    ['Pasar Minggu', -6.284, 106.844], ['Cilandak', -6.287, 106.8], ['Kalibata', -6.2567, 106.8532], ['Cawang', -6.2427, 106.8687],
  ];
  const ROADS = [
    [[-6.1754, 106.823], [-6.195, 106.823], [-6.21, 106.818], [-6.225, 106.803], [-6.244, 106.799], [-6.27, 106.797], [-6.31, 106.795]],
    [[-6.213, 106.79], [-6.23, 106.815], [-6.238, 106.83], [-6.243, 106.844], [-6.243, 106.868], [-6.235, 106.9]],
    [[-6.205, 106.833], [-6.24, 106.832], [-6.26, 106.831], [-6.3, 106.834]],
    [[-6.293, 106.76], [-6.295, 106.81], [-6.29, 106.85], [-6.3, 106.9]],
    [[-6.2, 106.85], [-6.243, 106.868], [-6.28, 106.87], [-6.31, 106.872]],
  ];
  const RIVER = [[-6.17, 106.845], [-6.2, 106.857], [-6.225, 106.858], [-6.245, 106.862], [-6.27, 106.852], [-6.31, 106.848]];

  const toXY = (lat, lng) => [((lng - MAP.west) / (MAP.east - MAP.west)) * MAP.size, ((MAP.north - lat) / (MAP.north - MAP.south)) * MAP.size];
  const toLatLng = (x, y) => ({
    latitude: +(MAP.north - (y / MAP.size) * (MAP.north - MAP.south)).toFixed(6),
    longitude: +(MAP.west + (x / MAP.size) * (MAP.east - MAP.west)).toFixed(6),
  });
  const pathOf = (pts) => pts.map(([la, ln], i) => (i ? 'L' : 'M') + toXY(la, ln).map((v) => v.toFixed(1)).join(' ')).join(' ');

  function mapSvg() {
    const ns = 'http://www.w3.org/2000/svg';
    let inner = `<rect width="${MAP.size}" height="${MAP.size}" fill="#f2efe9"/>`;
    for (let lat = -6.17; lat >= -6.31; lat -= 0.01) {
      const y = toXY(lat, 0)[1];
      inner += `<line x1="0" x2="${MAP.size}" y1="${y.toFixed(1)}" y2="${y.toFixed(1)}" stroke="#e2ddd3" stroke-width="1"/>`;
    }
    for (let lng = 106.76; lng <= 106.9001; lng += 0.01) {
      const x = toXY(0, lng)[0];
      inner += `<line y1="0" y2="${MAP.size}" x1="${x.toFixed(1)}" x2="${x.toFixed(1)}" stroke="#e2ddd3" stroke-width="1"/>`;
    }
    inner += `<path d="${pathOf(RIVER)}" stroke="#9cc6e8" stroke-width="5" fill="none" stroke-linecap="round"/>`;
    for (const r of ROADS) inner += `<path d="${pathOf(r)}" stroke="#f7c873" stroke-width="4" fill="none" stroke-linecap="round" stroke-linejoin="round"/>`;
    for (const [name, la, ln] of LANDMARKS) {
      const [x, y] = toXY(la, ln);
      inner += `<circle cx="${x}" cy="${y}" r="2.5" fill="#8a8a8a"/><text x="${x + 4}" y="${y - 3}" font-size="10" fill="#666">${escapeHtml(name)}</text>`;
    }
    for (const p of PRESETS) {
      const [x, y] = toXY(p.latitude, p.longitude);
      inner += `<circle cx="${x}" cy="${y}" r="5" fill="#00a884" stroke="#fff" stroke-width="2"/><text x="${x + 7}" y="${y + 4}" font-size="11" font-weight="600" fill="#00684f">${escapeHtml(p.label)}</text>`;
    }
    inner += '<g id="map-pin" visibility="hidden"><path d="M0 0 C-3 -8 -9 -11 -9 -17 A9 9 0 1 1 9 -17 C9 -11 3 -8 0 0Z" fill="#e53935" stroke="#fff" stroke-width="1.5"/><circle cy="-17" r="3" fill="#fff"/></g>';
    const svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('viewBox', `0 0 ${MAP.size} ${MAP.size}`);
    svg.setAttribute('class', 'map');
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', 'Map of South Jakarta: click to drop a pin');
    svg.setAttribute('data-testid', 'location-map');
    svg.innerHTML = inner;
    return svg;
  }

  function openLocationPicker() {
    const presetList = el('div', { class: 'presets' });
    for (const p of PRESETS) {
      presetList.append(
        el('button', {
          type: 'button', class: 'preset', 'data-testid': 'location-preset', 'data-name': p.name,
          onclick: () => {
            closeSheet();
            sendInbound({ type: 'location', latitude: p.latitude, longitude: p.longitude, name: p.name, address: p.address });
          },
        }, icon(PIN_SVG, 'preset-pin'), el('span', {}, el('strong', {}, p.label), ' – ' + p.address)),
      );
    }
    const svg = mapSvg();
    const picked = el('div', { class: 'picked muted' }, 'Or click the map to drop a pin.');
    let choice = null;
    const sendPin = el('button', {
      type: 'button', class: 'primary', 'data-testid': 'location-send-pin', disabled: true,
      onclick: () => {
        if (!choice) return;
        closeSheet();
        sendInbound({ type: 'location', latitude: choice.latitude, longitude: choice.longitude });
      },
    }, 'Send this location');
    svg.addEventListener('click', (e) => {
      const pt = svg.createSVGPoint();
      pt.x = e.clientX;
      pt.y = e.clientY;
      const p = pt.matrixTransform(svg.getScreenCTM().inverse());
      choice = toLatLng(p.x, p.y);
      const pin = svg.querySelector('#map-pin');
      pin.setAttribute('transform', `translate(${p.x.toFixed(1)} ${p.y.toFixed(1)})`);
      pin.setAttribute('visibility', 'visible');
      picked.textContent = `Pin: ${choice.latitude.toFixed(5)}, ${choice.longitude.toFixed(5)}`;
      picked.classList.remove('muted');
      sendPin.disabled = false;
    });
    openSheet('Send location', el('div', { class: 'location-sheet' }, presetList, svg, el('div', { class: 'pin-bar' }, picked, sendPin)));
  }

  // ---------- sandbox controls: order, pay, provider settings ----------
  const statusEl = $('#order-status');
  const orderBody = $('#order-body');
  const payBtn = $('#pay-now');
  const payResult = $('#pay-result');

  function statusTone(s) {
    if (['delivered', 'completed'].includes(s)) return 'ok';
    if (['cancelled', 'expired', 'delivery_failed'].includes(s)) return 'bad';
    if (['paid', 'dispatching', 'driver_assigned', 'picked_up'].includes(s)) return 'info';
    if (s && s.startsWith('awaiting')) return 'warn';
    return 'neutral';
  }

  function kv(label, value) {
    return el('div', { class: 'kv' }, el('span', { class: 'k' }, label), el('span', { class: 'v' }, value));
  }

  function renderOrder(order) {
    state.order = order;
    if (!order) {
      statusEl.hidden = true;
      statusEl.textContent = '';
      orderBody.replaceChildren(el('p', { class: 'muted' }, 'No order yet — say "halo" to start.'));
      payBtn.disabled = true;
      return;
    }
    statusEl.hidden = false;
    statusEl.textContent = order.status;
    statusEl.className = 'badge ' + statusTone(order.status);
    const items = el('ul', { class: 'items' }, (order.items || []).map((it) => el('li', {}, el('span', {}, `${it.quantity}× ${it.name}`), el('span', {}, rupiah(it.line_total)))));
    const parts = [kv('Order', String(order.id)), items, kv('Total', rupiah(order.total))];
    const p = order.payment;
    if (p) {
      parts.push(el('h4', {}, 'Payment'));
      parts.push(kv('Via', `${p.method || '?'} · ${p.gateway || '?'}`), kv('Status', p.status), kv('Amount', rupiah(p.amount)));
      if (p.expires_at) parts.push(kv('Expires', wibTime(p.expires_at) + ' WIB'));
    }
    const d = order.delivery;
    if (d) {
      parts.push(el('h4', {}, 'Delivery'));
      parts.push(kv('Courier', d.courier || '—'), kv('Status', d.status || '—'));
      if (d.driver_name) parts.push(kv('Driver', d.driver_name));
      if (d.tracking_url) parts.push(el('div', { class: 'kv' }, el('span', { class: 'k' }, 'Tracking'), el('a', { href: d.tracking_url, target: '_blank', rel: 'noopener', class: 'v' }, 'open')));
    }
    orderBody.replaceChildren(...parts);
    payBtn.disabled = !(p && p.status === 'pending');
    // the gateway's notification has arrived once pesan records the payment: the waiting note is done
    if (p && p.status === 'paid' && payResult.textContent.includes('notifying')) payResult.textContent = `Paid ${rupiah(p.amount)}: pesan has recorded the payment.`;
  }

  let orderInFlight = false;
  let orderAgain = false;
  async function refreshOrder() {
    if (orderInFlight) {
      orderAgain = true;
      return;
    }
    orderInFlight = true;
    const waId = state.waId;
    try {
      const res = await fetch(`/sandbox/order?wa_id=${encodeURIComponent(waId)}${merchantQuery()}`);
      if (waId === state.waId) {
        if (res.ok) renderOrder((await res.json()).order || null);
        else orderBody.replaceChildren(el('p', { class: 'muted' }, `Order status unavailable (${res.status}).`));
      }
    } catch {
      /* server restarting: the next event or poll tries again */
    } finally {
      orderInFlight = false;
      if (orderAgain) {
        orderAgain = false;
        refreshOrder();
      }
    }
  }
  // Courier and payment progress can change the order between messages; a slow poll catches it.
  setInterval(() => {
    if (!document.hidden) refreshOrder();
  }, 10_000);

  payBtn.addEventListener('click', async () => {
    payBtn.disabled = true;
    payResult.textContent = 'Paying…';
    payResult.className = 'note';
    try {
      const res = await fetch('/sandbox/pay', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ wa_id: state.waId, ...(state.merchant ? { merchant: state.merchant } : {}) }) });
      const data = await res.json().catch(() => ({}));
      if (res.ok && data.ok !== false) {
        payResult.textContent = `Paid ${rupiah(data.amount)} at ${data.gateway} (${data.reference}). The gateway is notifying pesan…`;
        payResult.className = 'note ok';
      } else {
        payResult.textContent = 'Not paid: ' + (data.error || `HTTP ${res.status}`);
        payResult.className = 'note bad';
      }
    } catch (err) {
      payResult.textContent = 'Not paid: ' + err.message;
      payResult.className = 'note bad';
    }
    refreshOrder();
  });

  const qrisSel = $('#qris-gateway');
  const vaSel = $('#va-gateway');
  const couriersInput = $('#couriers');
  const noDriver = $('#no-driver');
  const settingsResult = $('#settings-result');

  function fillSelect(sel, options, value) {
    sel.replaceChildren(...options.map((o) => el('option', { value: o, selected: o === value }, o)));
    sel.value = value || '';
  }

  function renderSettings(s) {
    const gateways = s.gateways && s.gateways.length ? s.gateways : ['midtrans', 'xendit', 'doku'];
    fillSelect(qrisSel, gateways, s.qris_gateway);
    fillSelect(vaSel, gateways, s.va_gateway);
    couriersInput.value = s.couriers || '';
    if (s.courier_options && s.courier_options.length) couriersInput.placeholder = s.courier_options.join(',');
    noDriver.checked = s.courier_mode === 'no_driver';
  }

  async function loadSettings() {
    try {
      const res = await fetch(state.merchant ? `/sandbox/settings?${merchantQuery().slice(1)}` : '/sandbox/settings');
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      renderSettings(await res.json());
    } catch (err) {
      settingsResult.textContent = 'Settings unavailable: ' + err.message;
      settingsResult.className = 'note bad';
    }
  }

  async function saveSettings(patch) {
    settingsResult.textContent = 'Saving…';
    settingsResult.className = 'note';
    try {
      const res = await fetch('/sandbox/settings', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...patch, ...(state.merchant ? { merchant: state.merchant } : {}) }) });
      const data = await res.json().catch(() => ({}));
      if (!res.ok) throw new Error(data.error || `HTTP ${res.status}`);
      renderSettings(data);
      settingsResult.textContent = 'Saved. New payments and deliveries use these providers.';
      settingsResult.className = 'note ok';
    } catch (err) {
      settingsResult.textContent = 'Not saved: ' + err.message;
      settingsResult.className = 'note bad';
      loadSettings();
    }
  }

  qrisSel.addEventListener('change', () => saveSettings({ qris_gateway: qrisSel.value }));
  vaSel.addEventListener('change', () => saveSettings({ va_gateway: vaSel.value }));
  couriersInput.addEventListener('change', () => saveSettings({ couriers: couriersInput.value.replace(/\s+/g, '') }));
  noDriver.addEventListener('change', () => saveSettings({ courier_mode: noDriver.checked ? 'no_driver' : 'normal' }));
  $('#settings').addEventListener('submit', (e) => e.preventDefault());

  // ---------- start ----------
  loadMerchants();
  connect();
  loadConversation().catch(() => {});
  loadSettings();
  refreshOrder();
  input.focus();
})();
