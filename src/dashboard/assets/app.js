// pesan merchant dashboard: live orders, manual dispatch, stock and the chat inbox, all through the admin API.
// Plain browser JS (no build step, nothing from the internet), like the sandbox chat page.
(() => {
  'use strict';

  const config = JSON.parse(document.getElementById('dashboard-config').textContent);
  const KEY_STORAGE = 'pesan.adminApiKey';
  const REFRESH_MS = 5000;
  const STATUSES = ['cart', 'awaiting_confirmation', 'awaiting_prescription', 'awaiting_payment', 'paid', 'dispatching', 'driver_assigned', 'picked_up', 'delivered', 'completed', 'cancelled', 'expired', 'delivery_failed'];
  const CANCELLABLE = ['cart', 'awaiting_confirmation', 'awaiting_prescription', 'awaiting_payment', 'paid', 'dispatching', 'driver_assigned'];
  // What the admin API accepts: manual dispatch needs a paid order still without a driver.
  const DISPATCHABLE = ['paid', 'dispatching'];
  const ON_THE_ROAD = ['driver_assigned', 'picked_up'];

  const $ = (sel) => document.querySelector(sel);

  // ---------- language: Indonesian by default, English on request (kept in this browser) ----------
  const LANG_STORAGE = 'pesan.lang';
  const LANG = localStorage.getItem(LANG_STORAGE) === 'en' ? 'en' : 'id';
  const tr = (id, en) => (LANG === 'en' ? en : id);
  document.documentElement.lang = LANG;
  if (LANG === 'en') {
    for (const n of document.querySelectorAll('[data-en]')) n.textContent = n.dataset.en;
    for (const n of document.querySelectorAll('[data-en-placeholder]')) n.placeholder = n.dataset.enPlaceholder;
  }
  const langSwitch = document.getElementById('lang-switch');
  langSwitch.textContent = LANG === 'en' ? 'ID' : 'EN';
  langSwitch.title = LANG === 'en' ? 'Tampilkan dalam Bahasa Indonesia' : 'Show in English';
  langSwitch.addEventListener('click', () => {
    localStorage.setItem(LANG_STORAGE, LANG === 'en' ? 'id' : 'en');
    location.reload();
  });
  // replaceChildren would print a skipped (null) section as the text "null".
  const present = (...xs) => xs.flat().filter((x) => x !== null && x !== undefined && x !== false);
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') node.className = v;
      else if (k.startsWith('on') && typeof v === 'function') node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children.flat()) {
      if (c === undefined || c === null || c === false) continue;
      node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return node;
  }

  const wibFmt = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Jakarta', day: '2-digit', month: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false });
  const wib = (iso) => (iso ? wibFmt.format(new Date(iso)).replace(',', '') : '—');
  const rupiah = (n) => (typeof n === 'number' ? 'Rp ' + Math.round(n).toLocaleString('id-ID') : '—');
  // Order numbers are shown in full: the date prefix alone ("PSN-2612") is shared by every order of a month.
  const orderNo = (id) => String(id);
  function copyable(id) {
    return el('span', { class: 'order-no' }, el('span', { class: 'mono', 'data-testid': 'order-no' }, orderNo(id)),
      el('button', { type: 'button', class: 'copy', title: tr('Salin nomor pesanan', 'Copy the order number'), 'aria-label': tr('Salin nomor pesanan', 'Copy the order number'), onclick: (e) => {
        e.stopPropagation();
        navigator.clipboard?.writeText(String(id)).then(() => { e.target.textContent = '✓'; }, () => {});
      } }, tr('Salin', 'Copy')));
  }
  function tone(s) {
    if (['delivered', 'completed', 'paid'].includes(s)) return 'ok';
    if (['cancelled', 'expired', 'delivery_failed', 'failed'].includes(s)) return 'bad';
    if (['dispatching', 'driver_assigned', 'picked_up'].includes(s)) return 'info';
    if (s && (s.startsWith('awaiting') || s === 'pending')) return 'warn';
    return 'neutral';
  }
  const STATUS_TEXT = {
    cart: ['keranjang', 'cart'], awaiting_confirmation: ['menunggu konfirmasi', 'awaiting confirmation'],
    awaiting_prescription: ['cek resep', 'prescription check'], awaiting_payment: ['menunggu bayar', 'awaiting payment'],
    paid: ['dibayar', 'paid'], dispatching: ['mencari kurir', 'finding a courier'], driver_assigned: ['driver menuju toko', 'driver on the way'],
    picked_up: ['diantar', 'out for delivery'], delivered: ['terkirim', 'delivered'], completed: ['selesai', 'completed'],
    cancelled: ['dibatalkan', 'cancelled'], expired: ['kedaluwarsa', 'expired'], delivery_failed: ['gagal kirim', 'delivery failed'],
    pending: ['menunggu', 'pending'], failed: ['gagal', 'failed'], allocating: ['mencari driver', 'finding a driver'], allocated: ['driver ditemukan', 'driver found'],
    refund_due: ['perlu refund', 'refund due'],
  };
  const statusText = (s) => (STATUS_TEXT[s] ? tr(STATUS_TEXT[s][0], STATUS_TEXT[s][1]) : String(s || '—').replace(/_/g, ' '));
  const badge = (s, testid) => el('span', { class: 'badge ' + tone(s), 'data-testid': testid, 'data-status': s || '' }, statusText(s));
  // A paid order that was cancelled or expired owes the customer their money: it never reads "paid" or a plain "cancelled".
  const orderBadge = (o, testid) => (o.refund_due || refundDue.has(o.id)
    ? el('span', { class: 'badge bad', 'data-testid': testid, 'data-status': o.status, 'data-refund-due': 'true', title: tr('Dibayar lalu dibatalkan: uang perlu dikembalikan', 'Paid, then cancelled: the money must be returned') }, statusText(o.status) + ' · ' + statusText('refund_due'))
    : badge(o.status, testid));
  /** order id → amount still owed to the customer (from GET /refunds?status=pending and the attention queue) */
  const refundDue = new Map();

  // ---------- admin API access ----------
  // Two ways in: a bearer key (ADMIN_API_KEY or a merchant key; embedded in sandbox mode, else typed)
  // or a staff login (POST /auth/login sets the pesan_session cookie; unsafe requests then carry the
  // pesan_csrf cookie's value as x-csrf-token). `?login=1` ignores an embedded key to log in as staff.
  const forceLogin = new URLSearchParams(location.search).has('login');
  let apiKey = (!forceLogin && config.apiKey) || sessionStorage.getItem(KEY_STORAGE) || '';
  let me = null; // { email, name, role, ... } from GET /auth/me
  let loginMode = 'unknown'; // 'key' | 'session'

  class ApiError extends Error {
    constructor(status, message, body) {
      super(message);
      this.status = status;
      this.body = body;
    }
  }

  const cookieValue = (name) => (document.cookie.split('; ').find((c) => c.startsWith(name + '=')) || '').slice(name.length + 1);
  function authHeaders(method) {
    if (apiKey) return { authorization: 'Bearer ' + apiKey };
    return method && !['GET', 'HEAD'].includes(method) ? { 'x-csrf-token': decodeURIComponent(cookieValue('pesan_csrf')) } : {};
  }

  async function api(method, path, body) {
    const res = await fetch(config.apiBase + path, {
      method,
      credentials: 'same-origin',
      headers: { ...authHeaders(method), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const data = await res.json().catch(() => ({}));
    if (res.status === 401) {
      if (apiKey) showLogin(tr('Key tidak diterima.', 'The key was not accepted.'));
      else showStaffLogin(tr('Silakan masuk lagi.', 'Please log in again.'));
      throw new ApiError(res.status, 'not authorised');
    }
    if (!res.ok) {
      let msg = typeof data.error === 'string' ? data.error : data.error && data.error.message ? data.error.message : data.message || `HTTP ${res.status}`;
      if (res.status === 403 && /your role/.test(msg)) msg = tr('Peran Anda tidak boleh melakukan ini.', 'Your role may not do this.');
      if (Array.isArray(data.issues) && data.issues.length) msg += ': ' + data.issues.map((i) => (typeof i === 'string' ? i : `${i.path} ${i.message}`)).join('; ');
      throw new ApiError(res.status, msg, data);
    }
    return data;
  }

  function showLogin(error) {
    if (!config.apiKey || forceLogin) sessionStorage.removeItem(KEY_STORAGE);
    $('#app').hidden = true;
    $('#staff-login').hidden = true;
    $('#login').hidden = false;
    $('#login-error').textContent = error || '';
    $('#api-key').focus();
  }
  function showStaffLogin(error) {
    me = null;
    $('#app').hidden = true;
    $('#login').hidden = true;
    $('#staff-login').hidden = false;
    $('#staff-login-error').textContent = error || '';
    $('#login-email').focus();
  }

  $('#login').addEventListener('submit', (e) => {
    e.preventDefault();
    apiKey = $('#api-key').value.trim();
    sessionStorage.setItem(KEY_STORAGE, apiKey);
    start();
  });
  $('#use-key').addEventListener('click', () => showLogin());

  // Messages in words for what the login answers.
  function loginMessage(status, data) {
    const e = String((data && data.error) || '');
    if (status === 429) return tr(`Terlalu banyak percobaan gagal. Coba lagi dalam ${Math.ceil((data.retry_after || 60) / 60)} menit.`, `Too many failed attempts. Try again in ${Math.ceil((data.retry_after || 60) / 60)} minutes.`);
    if (/wrong two-factor/.test(e)) return tr('Kode authenticator salah. Cek jam di HP.', 'Wrong authenticator code. Check the phone clock.');
    if (/two-factor code required/.test(e)) return tr('Masukkan kode dari aplikasi authenticator.', 'Enter the code from the authenticator app.');
    if (/switched off/.test(e)) return tr('Login ini dimatikan. Hubungi pemilik toko.', 'This login is switched off. Ask the shop owner.');
    if (/merchant is not active/.test(e)) return tr('Toko ini tidak aktif.', 'This shop is not active.');
    if (status === 401) return tr('Email atau kata sandi salah.', 'Wrong email or password.');
    if (status === 400) return tr('Isi email dan kata sandi.', 'Fill in email and password.');
    return tr('Tidak bisa masuk: ', 'Could not log in: ') + (e || 'HTTP ' + status);
  }
  $('#staff-login').addEventListener('submit', async (e) => {
    e.preventDefault();
    const f = e.target;
    const out = $('#staff-login-error');
    const body = { email: f.email.value.trim(), password: f.password.value };
    if (!body.email || !body.password) { out.textContent = loginMessage(400, {}); return; }
    if (!$('#totp-row').hidden && f.totp.value.trim()) body.totp = f.totp.value.trim();
    const button = f.querySelector('[type=submit]');
    button.disabled = true;
    try {
      const res = await fetch(config.apiBase + '/auth/login', { method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const data = await res.json().catch(() => ({}));
      if (!res.ok) {
        if (data.totp_required) { $('#totp-row').hidden = false; f.totp.focus(); }
        out.textContent = loginMessage(res.status, data);
        return;
      }
      out.textContent = '';
      f.password.value = '';
      f.totp.value = '';
      apiKey = '';
      start();
    } catch (err) {
      out.textContent = tr('Tidak bisa menghubungi server: ', 'Cannot reach the server: ') + err.message;
    } finally {
      button.disabled = false;
    }
  });
  $('#logout').addEventListener('click', async () => {
    if (loginMode === 'session') await fetch(config.apiBase + '/auth/logout', { method: 'POST', credentials: 'same-origin' }).catch(() => {});
    else sessionStorage.removeItem(KEY_STORAGE);
    location.href = '/dashboard' + (loginMode === 'session' ? '?login=1' : '');
  });

  // What each role may do here (the server enforces it; the page only hides what would be refused).
  const CAN = {
    owner: { catalog: true, products: true, stock: true, settings: true, staff: true, refund: true, prescription: true, dispatch: true, inbox: true },
    pharmacist: { catalog: false, products: false, stock: false, settings: false, staff: false, refund: false, prescription: true, dispatch: false, inbox: false },
    staff: { catalog: true, products: false, stock: true, settings: false, staff: false, refund: false, prescription: false, dispatch: true, inbox: true },
  };
  const can = (what) => what === 'orders' || !!(CAN[(me && me.role) || 'owner'] || CAN.owner)[what];
  const ATTENTION_CAN = { prescription: 'prescription', manual_dispatch: 'dispatch', refund: 'refund', late_payment: 'refund', handover: 'inbox', delivery_problem: 'dispatch' };
  function applyRole() {
    $('#tab-catalog').hidden = !can('catalog');
    $('#tab-inbox').hidden = !can('inbox');
    $('#tab-settings').hidden = !can('settings');
    $('#tab-staff').hidden = !can('staff') || !me; // no `me`: a server without the staff API
    document.body.dataset.role = (me && me.role) || 'owner';
    $('#catalog-tools').hidden = !can('products');
    const who = $('#who');
    who.hidden = !me || loginMode !== 'session';
    if (me) who.textContent = `${me.name || me.email || ''} · ${ROLE_WORDS[me.role] || me.role}`;
    $('#logout').hidden = loginMode !== 'session' && !!config.apiKey && !forceLogin;
    $('#staff-login-link').hidden = !(config.apiKey && !forceLogin);
  }
  const ROLE_WORDS = { owner: tr('pemilik', 'owner'), pharmacist: tr('apoteker', 'pharmacist'), staff: tr('staf', 'staff') };

  // ---------- tabs ----------
  function showTab(tab) {
    for (const t of document.querySelectorAll('[role=tab]')) {
      const on = t === tab;
      t.setAttribute('aria-selected', String(on));
      document.getElementById(t.getAttribute('aria-controls')).hidden = !on;
    }
    $('#overview').hidden = tab.id !== 'tab-orders' || !overviewAvailable;
    if (tab.id === 'tab-catalog') loadProducts();
    if (tab.id === 'tab-settings') loadSettings();
    if (tab.id === 'tab-staff') loadStaff();
    if (tab.id === 'tab-inbox') {
      loadInbox();
      loadThread();
    }
  }
  for (const tab of document.querySelectorAll('[role=tab]')) tab.addEventListener('click', () => showTab(tab));

  // ---------- orders ----------
  const statusFilter = $('#status-filter');
  for (const s of STATUSES) statusFilter.append(el('option', { value: s }, statusText(s)));
  statusFilter.addEventListener('change', () => { ordersPage = 1; loadOrders(); });

  let selectedId = null;
  let selectedStatus = null;
  let lastDetailJson = '';

  // Search by the number a customer quotes, their phone or their name; status, WIB dates, carts on
  // request; open orders first, 25 a page. All through GET /dashboard/orders (older servers: GET /orders).
  let lastOrders = [];
  let serverList = true;
  let ordersPage = 1;
  let ordersTotal = 0;
  const PER_PAGE = 25;
  const searchBox = $('#order-search');
  const fromBox = $('#date-from');
  const toBox = $('#date-to');
  const cartsBox = $('#show-carts');
  const norm = (v) => String(v || '').toLowerCase().replace(/[\s+-]/g, '');
  function visibleOrders() {
    if (serverList) return lastOrders;
    const q = norm(searchBox.value);
    return lastOrders
      .filter((o) => statusFilter.value || q || cartsBox.checked || o.status !== 'cart')
      .filter((o) => !q || [o.id, o.customer && o.customer.wa_id, o.customer && o.customer.name].some((f) => norm(f).includes(q) || (q.startsWith('0') && norm(f).includes('62' + q.slice(1)))));
  }
  function listQuery(extra) {
    const q = new URLSearchParams();
    if (searchBox.value.trim()) q.set('q', searchBox.value.trim());
    if (statusFilter.value) q.set('status', statusFilter.value);
    if (fromBox.value) q.set('from', fromBox.value);
    if (toBox.value) q.set('to', toBox.value);
    if (cartsBox.checked) q.set('carts', '1');
    for (const [k, v] of Object.entries(extra || {})) q.set(k, String(v));
    return q.toString();
  }
  let searchTimer = null;
  const refilter = () => { ordersPage = 1; loadOrders(); };
  searchBox.addEventListener('input', () => {
    if (!serverList) return renderOrders(visibleOrders());
    clearTimeout(searchTimer);
    searchTimer = setTimeout(refilter, 250);
  });
  for (const box of [fromBox, toBox, cartsBox]) box.addEventListener('change', refilter);
  $('#orders-prev').addEventListener('click', () => { if (ordersPage > 1) { ordersPage--; loadOrders(); } });
  $('#orders-next').addEventListener('click', () => { if (ordersPage * PER_PAGE < ordersTotal) { ordersPage++; loadOrders(); } });
  $('#orders-csv').addEventListener('click', async () => {
    const out = $('#orders-error');
    try {
      const res = await fetch(config.apiBase + '/dashboard/orders.csv?' + listQuery(), { headers: authHeaders() });
      if (!res.ok) throw new Error('HTTP ' + res.status);
      const a = el('a', { href: URL.createObjectURL(await res.blob()), download: `pesanan-${new Date().toISOString().slice(0, 10)}.csv` });
      document.body.append(a);
      a.click();
      a.remove();
    } catch (err) {
      out.textContent = tr('Ekspor gagal: ', 'Export failed: ') + err.message;
    }
  });

  async function loadOrders() {
    try {
      let orders;
      if (serverList) {
        try {
          const data = await api('GET', '/dashboard/orders?' + listQuery({ page: ordersPage, per_page: PER_PAGE }));
          orders = data.orders || [];
          ordersTotal = data.total || 0;
          // A page past the end (after orders moved out of the filter): go back to the last one.
          if (!orders.length && ordersPage > 1 && ordersTotal > 0) {
            ordersPage = Math.ceil(ordersTotal / PER_PAGE);
            return loadOrders();
          }
        } catch (err) {
          if (err.status !== 404) throw err;
          serverList = false;
        }
      }
      if (!serverList) {
        const q = statusFilter.value ? '?status=' + encodeURIComponent(statusFilter.value) : '';
        orders = ((await api('GET', '/orders' + q)).orders || []).sort((a, b) => (a.created_at < b.created_at ? 1 : -1));
        ordersTotal = orders.length;
      }
      lastOrders = orders;
      renderOrders(visibleOrders());
      renderPager();
      if (!serverList) noticeNewOrders(orders);
      $('#orders-error').textContent = '';
      $('#live').textContent = tr('diperbarui ', 'updated ') + new Date().toLocaleTimeString('en-GB', { timeZone: 'Asia/Jakarta', hour12: false }) + ' WIB';
    } catch (err) {
      if (err.status !== 401 && err.status !== 403) $('#orders-error').textContent = tr('Pesanan tidak bisa dimuat: ', 'Orders could not be loaded: ') + err.message;
    }
  }
  function renderPager() {
    const pager = $('#orders-pager');
    pager.hidden = !serverList || ordersTotal <= PER_PAGE;
    const first = ordersTotal ? (ordersPage - 1) * PER_PAGE + 1 : 0;
    const last = Math.min(ordersPage * PER_PAGE, ordersTotal);
    $('#orders-range').textContent = `${first}–${last} ${tr('dari', 'of')} ${ordersTotal}`;
    $('#orders-prev').disabled = ordersPage <= 1;
    $('#orders-next').disabled = last >= ordersTotal;
  }
  // New orders ring even when the list shows another page or filter: the newest open orders are checked apart.
  async function watchNewOrders() {
    if (!serverList) return;
    try {
      noticeNewOrders((await api('GET', '/dashboard/orders?per_page=20')).orders || []);
    } catch { /* the list shows the error */ }
  }

  function renderOrders(orders) {
    const sorted = orders;
    const body = $('#orders-body');
    body.replaceChildren(
      ...sorted.map((o) =>
        el('tr', {
          class: 'order-row' + (o.id === selectedId ? ' selected' : ''), 'data-testid': 'order-row', 'data-id': o.id, tabindex: 0,
          onclick: () => selectOrder(o.id),
          onkeydown: (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); selectOrder(o.id); } },
        },
        el('td', { class: 'c-time' }, wib(o.created_at)),
        el('td', { class: 'mono order-id c-order' }, orderNo(o.id)),
        el('td', { class: 'c-cust' }, (o.customer && o.customer.name) || '—', el('div', { class: 'muted small' }, (o.customer && o.customer.wa_id) || '')),
        el('td', { class: 'c-status' }, orderBadge(o, 'order-row-status')),
        el('td', { class: 'num c-total' }, rupiah(o.total))),
      ),
    );
    $('#orders-empty').hidden = sorted.length > 0;
  }

  function selectOrder(id) {
    if (id !== selectedId) resultFor = { id: null, node: null };
    selectedId = id;
    selectedStatus = null;
    lastDetailJson = '';
    for (const row of document.querySelectorAll('.order-row')) row.classList.toggle('selected', row.dataset.id === id);
    loadDetail().then(() => { if (window.innerWidth <= 900 && selectedId === id) $('#detail').scrollIntoView({ block: 'start' }); });
  }

  async function loadDetail() {
    if (!selectedId) return;
    const id = selectedId;
    try {
      const data = await api('GET', '/orders/' + encodeURIComponent(id));
      if (id !== selectedId) return;
      const order = data.order || data;
      const json = JSON.stringify(order);
      if (json === lastDetailJson) return;
      lastDetailJson = json;
      renderDetail(order);
    } catch (err) {
      if (err.status !== 401 && err.status !== 403) $('#detail').replaceChildren(el('p', { class: 'error' }, tr('Pesanan tidak bisa dimuat: ', 'Order could not be loaded: ') + err.message));
    }
  }

  /** "Rp 31.000", "31.000" or "31000" → 31000; anything else → NaN. */
  function parseRupiah(text) {
    const t = String(text).replace(/rp/i, '').replace(/[\s.]/g, '').replace(/,00$/, '');
    return /^\d+$/.test(t) ? Number(t) : NaN;
  }

  function kv(label, ...value) {
    return el('div', { class: 'kv' }, el('span', { class: 'k' }, label), el('span', { class: 'v' }, ...value));
  }

  // A paid order that was cancelled still owes the customer their money until a refund is recorded.
  function paidButCancelled(order, p) {
    return ['cancelled', 'expired'].includes(order.status) && p.status === 'paid' && !(order.timeline || []).some((t) => t.type === 'refunded');
  }

  // Timeline rows in the words a shop owner uses, not event names and JSON.
  const NAMES = { midtrans: 'Midtrans', xendit: 'Xendit', doku: 'DOKU', gosend: 'GoSend', grab: 'GrabExpress', indrive: 'inDrive', maxim: 'Maxim', manual: 'manual', other: 'kurir lain' };
  const nameOf = (v) => NAMES[v] || v;
  function describeEvent(t, order) {
    const d = { ...(t.data || {}) };
    // Older events carry less: the order's own payment and delivery fill in the method and the plate.
    if (!d.method && /^(paid|payment_)/.test(t.type) && order && order.payment) d.method = order.payment.method;
    if (t.type === 'manual_dispatch_recorded' && order && order.delivery && d.driver_name === order.delivery.driver_name) d.vehicle_plate = d.vehicle_plate || order.delivery.vehicle_plate;
    const amount = typeof d.amount === 'number' ? ' ' + rupiah(d.amount) : '';
    const via = d.gateway ? ' via ' + nameOf(d.gateway) : '';
    const method = d.method ? ' ' + String(d.method).toUpperCase() : '';
    const driver = d.driver_name ? `Driver ${d.driver_name}${d.vehicle_plate ? ' (' + d.vehicle_plate + ')' : ''}` : 'Driver';
    const items = Array.isArray(d.lines) ? d.lines.map((l) => `${l.quantity ?? l.qty ?? ''}× ${l.name ?? l.sku}`).join(', ') : '';
    switch (t.type) {
      case 'created': return tr('Pesanan dibuat', 'Order created');
      case 'summary_sent': return tr('Ringkasan pesanan dikirim ke pelanggan', 'Order summary sent to the customer');
      case 'confirmed': return tr('Pelanggan mengonfirmasi pesanan', 'The customer confirmed the order');
      case 'cart_edited': return tr('Pelanggan mengubah keranjang', 'The customer changed the cart');
      case 'courier_changed': return tr('Kurir diganti', 'Courier changed');
      case 'dispatching': return tr('Mencari kurir', 'Finding a courier');
      case 'no_courier_left': return tr('Tidak ada kurir tersedia: perlu kirim manual', 'No courier available: dispatch by hand');
      case 'status_changed': case 'transition': return 'Status: ' + statusText(t.to_status);
      case 'stock_reserved': return tr('Stok disisihkan', 'Stock set aside') + (items ? ': ' + items : '');
      case 'stock_short': return tr('Stok kurang', 'Not enough stock') + (items ? ': ' + items : '');
      case 'payment_method_chosen': return tr('Pelanggan memilih pembayaran', 'The customer chose to pay by') + method;
      case 'payment_creating': return tr('Tagihan pembayaran sedang dibuat', 'Creating the payment request');
      case 'payment_created': return tr(`Tagihan${method}${amount} dibuat${via}`, `${method.trim() || 'Payment'} request${amount} created${via}`);
      case 'paid': case 'payment_received': case 'payment_paid': return tr(`Pembayaran${method}${amount} diterima${via}`, `${method.trim() || 'Payment'} payment${amount} received${via}`);
      case 'payment_checked': return tr('Status pembayaran dicek', 'Payment status checked') + via;
      case 'payment_failed': return tr('Pembayaran gagal', 'Payment failed') + via;
      case 'payment_expired': return tr('Tagihan kedaluwarsa', 'Payment request expired');
      case 'payment_cancelled': return tr('Tagihan dibatalkan', 'Payment request cancelled');
      case 'payment_mismatch_refused': return tr('Pembayaran ditolak: jumlah tidak cocok', 'Payment refused: wrong amount') + amount;
      case 'payment_gateway_unavailable': return tr('Gateway pembayaran tidak tersedia', 'Payment gateway unavailable') + via;
      case 'late_payment_refund_required': return tr('Pembayaran datang setelah kedaluwarsa: perlu refund', 'Paid after expiry: refund needed') + amount;
      case 'refund_required': return tr('Perlu refund', 'Refund needed') + amount;
      case 'refund_path': return 'Refund: ' + (d.path || d.how || 'manual');
      case 'refunded': return tr('Refund' + amount + ' tercatat', 'Refund' + amount + ' recorded');
      case 'refund_failed': return tr('Refund gagal', 'Refund failed');
      case 'prescription_received': return tr('Foto resep diterima', 'Prescription photo received');
      case 'prescription_stored': return tr('Foto resep tersimpan', 'Prescription photo stored');
      case 'prescription_approved': return tr('Resep disetujui', 'Prescription approved');
      case 'prescription_rejected': return tr('Resep ditolak', 'Prescription rejected') + (d.note ? ': ' + d.note : '');
      case 'location_shared': return tr('Pelanggan mengirim lokasi', 'The customer shared a location') + (d.address ? ': ' + d.address : '');
      case 'delivery_quoted': return tr('Ongkir dihitung', 'Delivery fee quoted') + (typeof d.fee === 'number' ? ': ' + rupiah(d.fee) : '');
      case 'courier_booked': return tr('Kurir dipesan', 'Courier booked') + (d.courier || d.provider ? ': ' + nameOf(d.courier || d.provider) : '');
      case 'courier_booking_failed': return tr('Pemesanan kurir gagal', 'Courier booking failed');
      case 'courier_cancelled': return tr('Kurir membatalkan', 'The courier cancelled');
      case 'courier_status': return d.status === 'picked_up' ? tr(`${driver} sudah mengambil pesanan`, `${driver} picked up the order`) : d.status === 'delivered' ? tr('Pesanan diterima pelanggan', 'Delivered to the customer')
        : d.status === 'driver_assigned' || d.status === 'allocated' ? tr(`${driver} menuju toko`, `${driver} on the way to the shop`) : tr('Kurir: ', 'Courier: ') + statusText(d.status || 'update');
      case 'manual_dispatch_required': return tr('Perlu kirim manual (inDrive/Maxim)', 'Dispatch by hand needed (inDrive/Maxim)');
      case 'manual_dispatch_recorded': return tr(`${driver} ditugaskan (${nameOf(d.provider || 'manual')})`, `${driver} assigned (${nameOf(d.provider || 'manual')})`);
      case 'driver_assigned': return tr(`${driver} ditugaskan`, `${driver} assigned`);
      case 'customer_told_still_looking': return tr('Pelanggan diberi tahu: masih mencari driver', 'The customer was told: still looking for a driver');
      case 'catalog_changed': return tr('Katalog berubah saat checkout', 'The catalog changed during checkout');
      case 'message_failed': return tr('Pesan WhatsApp gagal terkirim', 'A WhatsApp message could not be sent');
      case 'client_hold_requested': return tr('Stok ditahan di sistem toko', 'Stock held in the shop\'s system');
      case 'client_hold_failed': return tr('Gagal menahan stok di sistem toko', 'Could not hold stock in the shop\'s system');
      default: return String(t.type).replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());
    }
  }

  function summarise(data) {
    if (!data || typeof data !== 'object') return data == null ? '' : String(data);
    return Object.entries(data)
      .filter(([, v]) => v !== null && v !== undefined && v !== '')
      .map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : v}`)
      .join(' · ');
  }

  // Prescription photos: shown where the server says media can be read (the sandbox's Meta simulator).
  function mediaThumb(mediaId) {
    const src = config.mediaBase + encodeURIComponent(mediaId);
    return el('a', { href: src, target: '_blank', rel: 'noopener', class: 'thumb' }, el('img', { src, alt: 'photo sent by the customer', 'data-testid': 'timeline-photo' }));
  }

  // Pictures pesan keeps (prescriptions) come from the admin API, which needs the key: fetched, then shown as a blob.
  const hasStored = (order) => (order.timeline || []).some((t) => /_stored$/.test(t.type) && t.data && t.data.media_id);
  const blobCache = new Map();
  function storedMediaThumb(id) {
    const img = el('img', { alt: 'foto dari pelanggan', 'data-testid': 'timeline-photo' });
    const link = el('a', { target: '_blank', rel: 'noopener', class: 'thumb' }, img);
    const show = (url) => { img.src = url; link.href = url; };
    if (blobCache.has(id)) show(blobCache.get(id));
    else fetch(config.apiBase + '/media/' + encodeURIComponent(id), { headers: authHeaders() })
      .then((r) => (r.ok ? r.blob() : Promise.reject(new Error(String(r.status)))))
      .then((b) => { const url = URL.createObjectURL(b); blobCache.set(id, url); show(url); })
      .catch(() => link.replaceWith(el('span', { class: 'muted small' }, 'foto tidak bisa dimuat')));
    return link;
  }

  function renderDetail(order) {
    const detail = $('#detail');
    let head = detail.querySelector('.detail-head');
    let info = detail.querySelector('.detail-info');
    let actions = detail.querySelector('.detail-actions');
    if (!info || detail.dataset.id !== order.id) {
      detail.replaceChildren();
      detail.dataset.id = order.id;
      head = el('div', { class: 'detail-head' });
      info = el('div', { class: 'detail-info' });
      actions = el('div', { class: 'detail-actions' });
      // Which order, then what to do next, then the facts and the timeline.
      detail.append(head, actions, info);
      selectedStatus = null;
    }
    head.replaceChildren(
      // On a phone the detail sits under the list: a way back to it.
      el('button', { type: 'button', class: 'link back-to-list', 'data-testid': 'back-to-list', onclick: () => { const row = document.querySelector(`.order-row[data-id="${CSS.escape(order.id)}"]`); (row || $('#panel-orders')).scrollIntoView({ block: 'center' }); } }, tr('← Kembali ke daftar', '← Back to the list')),
      el('div', { class: 'card-head' }, el('h2', {}, tr('Pesanan ', 'Order '), copyable(order.id)), orderBadge(order, 'order-status')),
      el('div', { class: 'muted small' }, `${(order.customer && order.customer.name) || '—'} · ${(order.customer && order.customer.wa_id) || ''} · ${wib(order.created_at)} WIB`));

    const items = el('table', { class: 'table compact' },
      el('thead', {}, el('tr', {}, el('th', {}, tr('Barang', 'Item')), el('th', { class: 'num' }, tr('Jml', 'Qty')), el('th', { class: 'num' }, tr('Harga', 'Price')), el('th', { class: 'num' }, 'Total'))),
      el('tbody', {}, (order.items || []).map((it) => el('tr', {}, el('td', {}, it.name, el('div', { class: 'muted small mono' }, it.sku)), el('td', { class: 'num' }, it.quantity), el('td', { class: 'num' }, rupiah(it.unit_price)), el('td', { class: 'num' }, rupiah(it.line_total))))),
    );
    const p = order.payment;
    const d = order.delivery;
    info.replaceChildren(...present(
      kv(tr('Pelanggan', 'Customer'), `${(order.customer && order.customer.name) || '—'} · ${(order.customer && order.customer.wa_id) || ''}`),
      kv(tr('Dibuat', 'Created'), wib(order.created_at) + ' WIB'),
      items,
      kv('Subtotal', rupiah(order.subtotal)),
      kv(tr('Ongkir', 'Delivery fee'), rupiah(order.delivery_fee)),
      el('div', { class: 'kv total' }, el('span', { class: 'k' }, 'Total'), el('span', { class: 'v' }, rupiah(order.total))),
      el('h3', {}, tr('Pembayaran', 'Payment')),
      p ? el('div', {},
        kv(tr('Metode', 'Method'), `${p.method || '—'}${p.bank ? ' ' + p.bank.toUpperCase() : ''} via ${p.gateway || '—'}`), kv('Status', badge(p.status), paidButCancelled(order, p) ? el('span', { class: 'note warn', 'data-testid': 'refund-note' }, ' — pesanan dibatalkan setelah dibayar: uang perlu dikembalikan') : null), kv(tr('Jumlah', 'Amount'), rupiah(p.amount)),
        p.va_number ? kv(tr('Nomor VA', 'VA number'), el('span', { class: 'mono' }, p.va_number)) : null,
        p.bill_key ? kv('Bill key', el('span', { class: 'mono' }, `${p.biller_code || ''} / ${p.bill_key}`)) : null,
        p.reference ? kv(tr('Referensi', 'Reference'), el('span', { class: 'mono' }, p.reference)) : null,
        p.expires_at ? kv(tr('Berlaku sampai', 'Expires'), wib(p.expires_at) + ' WIB') : null,
        p.paid_at ? kv(tr('Dibayar', 'Paid'), wib(p.paid_at) + ' WIB' + (p.late ? tr(' (terlambat)', ' (late)') : '')) : null)
        : el('p', { class: 'muted' }, tr('Belum ada pembayaran.', 'No payment yet.')),
      el('h3', {}, tr('Pengiriman', 'Delivery')),
      order.delivery_location ? kv(tr('Antar ke', 'Deliver to'), el('span', {}, order.delivery_location.address || '', order.delivery_location.lat === null ? null : el('div', { class: 'muted small mono' }, `${order.delivery_location.lat}, ${order.delivery_location.lng}`))) : null,
      d ? el('div', { 'data-testid': 'delivery-info' },
        kv(tr('Kurir', 'Courier'), d.provider && d.provider !== d.courier ? `${d.courier} · ${d.provider}` : d.courier || '—'), kv('Status', badge(d.status)),
        typeof d.fee === 'number' ? kv(tr('Biaya kurir', 'Courier fee'), rupiah(d.fee)) : null,
        d.driver_name ? kv('Driver', `${d.driver_name}${d.driver_phone ? ' · ' + d.driver_phone : ''}${d.vehicle_plate ? ' · ' + d.vehicle_plate : ''}`) : null,
        d.tracking_url ? kv(tr('Lacak', 'Tracking'), el('a', { href: d.tracking_url, target: '_blank', rel: 'noopener' }, tr('buka', 'open'))) : null)
        : el('p', { class: 'muted' }, tr('Belum dikirim.', 'Not dispatched yet.')),
      el('h3', {}, tr('Riwayat', 'Timeline')),
      el('ol', { class: 'timeline', 'data-testid': 'timeline' },
        (order.timeline || []).map((t) =>
          el('li', { 'data-type': t.type },
            el('time', { datetime: t.created_at }, wib(t.created_at)),
            el('div', {},
              el('strong', {}, describeEvent(t, order)),
              t.to_status ? el('span', { class: 'muted small status-change', 'data-from': t.from_status || '', 'data-to': t.to_status }, ` ${t.from_status ? statusText(t.from_status) : '—'} → ${statusText(t.to_status)}`) : null,
              t.data && t.data.media_id && /_stored$/.test(t.type) ? storedMediaThumb(t.data.media_id)
                : t.data && t.data.media_id && config.mediaBase && !hasStored(order) ? mediaThumb(t.data.media_id) : null)))),
    ));

    // Actions are rebuilt only when the status changes, so a half-filled dispatch form survives refreshes.
    const actionKey = order.status + (refundDue.has(order.id) ? ':refund' : '') + ((order.timeline || []).some((t) => t.type === 'refunded') ? ':refunded' : '');
    if (selectedStatus !== actionKey) {
      selectedStatus = actionKey;
      actions.replaceChildren(...renderActions(order));
    }
  }

  // One result line per open order, kept when the actions are rebuilt for the order's new state,
  // so "Refund recorded" stays readable after the refund form itself is gone.
  let resultFor = { id: null, node: null };
  function actionResult(orderId) {
    if (resultFor.id !== orderId) resultFor = { id: orderId, node: el('p', { class: 'note', role: 'status', 'data-testid': 'action-result' }) };
    return resultFor.node;
  }

  async function runAction(button, resultEl, method, path, body, done) {
    button.disabled = true;
    resultEl.className = 'note';
    resultEl.textContent = tr('Memproses…', 'Working…');
    try {
      await api(method, path, body);
      resultEl.className = 'note ok';
      resultEl.textContent = done;
      lastDetailJson = '';
      await Promise.all([loadDetail(), loadOrders(), loadOverview()]);
    } catch (err) {
      resultEl.className = 'note bad';
      resultEl.textContent = tr('Gagal: ', 'Failed: ') + err.message;
    } finally {
      button.disabled = false;
    }
  }

  function renderActions(order) {
    const out = [];
    const path = '/orders/' + encodeURIComponent(order.id);
    const result = actionResult(order.id);

    if (DISPATCHABLE.includes(order.status) && can('dispatch')) {
      const form = el('form', { class: 'dispatch', 'data-testid': 'dispatch-form' },
        el('h3', {}, tr('Kirim manual', 'Dispatch manually')),
        el('p', { class: 'muted small' }, tr('Sudah pesan driver sendiri (inDrive, Maxim…)? Catat di sini; pelanggan diberi tahu.', 'Booked a driver yourself (inDrive, Maxim…)? Record it here; the customer is told.')),
        el('label', {}, tr('Layanan', 'Provider'), el('select', { name: 'provider', 'data-testid': 'dispatch-provider', required: true },
          el('option', { value: 'indrive' }, 'inDrive'), el('option', { value: 'maxim' }, 'Maxim'), el('option', { value: 'other' }, tr('Lainnya', 'Other')))),
        el('label', {}, tr('Nama driver', 'Driver name'), el('input', { name: 'driver_name', 'data-testid': 'driver-name', required: true, autocomplete: 'off' })),
        el('label', {}, tr('HP driver', 'Driver phone'), el('input', { name: 'driver_phone', 'data-testid': 'driver-phone', required: true, inputmode: 'tel', autocomplete: 'off' })),
        el('label', {}, tr('Plat nomor (opsional)', 'Plate (optional)'), el('input', { name: 'vehicle_plate', 'data-testid': 'vehicle-plate', autocomplete: 'off' })),
        el('label', {}, tr('Link lacak (opsional)', 'Tracking link (optional)'), el('input', { name: 'tracking_url', 'data-testid': 'tracking-url', type: 'url', autocomplete: 'off' })),
        el('button', { type: 'submit', class: 'primary', 'data-testid': 'dispatch-submit' }, tr('Tugaskan driver', 'Assign driver')),
      );
      form.addEventListener('submit', (e) => {
        e.preventDefault();
        const f = new FormData(form);
        const body = { provider: f.get('provider'), driver_name: String(f.get('driver_name')).trim(), driver_phone: String(f.get('driver_phone')).trim() };
        const plate = String(f.get('vehicle_plate') || '').trim();
        const url = String(f.get('tracking_url') || '').trim();
        if (plate) body.vehicle_plate = plate;
        if (url) body.tracking_url = url;
        runAction(form.querySelector('[type=submit]'), result, 'POST', path + '/dispatch', body, tr('Driver ditugaskan; pelanggan diberi tahu.', 'Driver assigned; the customer is told.'));
      });
      out.push(form);
    }

    if (order.status === 'awaiting_prescription' && can('prescription')) {
      const note = el('input', { 'data-testid': 'prescription-note', placeholder: tr('Catatan untuk pelanggan (opsional)', 'Note for the customer (optional)'), 'aria-label': tr('Catatan resep', 'Prescription note') });
      const decide = (decision, label, cls) => {
        const b = el('button', { type: 'button', class: cls, 'data-testid': 'prescription-' + decision }, label);
        b.addEventListener('click', () => {
          const body = { decision };
          if (note.value.trim()) body.note = note.value.trim();
          runAction(b, result, 'POST', path + '/prescription', body, decision === 'approve' ? tr('Resep disetujui; pelanggan bisa membayar.', 'Prescription approved; the customer can pay.') : tr('Resep ditolak; pesanan dibatalkan.', 'Prescription rejected; the order is cancelled.'));
        });
        return b;
      };
      out.push(el('div', { class: 'prescription-actions' }, el('h3', {}, tr('Cek resep', 'Prescription check')),
        el('p', { class: 'muted small' }, tr('Lihat foto resep di riwayat, lalu putuskan.', 'Look at the photo in the timeline, then decide.')), note,
        el('div', { class: 'buttons' }, decide('approve', tr('Setujui', 'Approve'), 'primary'), decide('reject', tr('Tolak', 'Reject'), 'danger'))));
    }

    // Couriers with an API report their own progress; only manual (inDrive, Maxim…) deliveries are updated here.
    if (ON_THE_ROAD.includes(order.status) && order.delivery && order.delivery.courier === 'manual' && can('dispatch')) {
      const note = el('input', { 'data-testid': 'delivery-note', placeholder: 'Note (optional)', 'aria-label': 'Delivery note' });
      const buttons = [['picked_up', tr('Sudah diambil', 'Picked up')], ['delivered', tr('Sudah sampai', 'Delivered')], ['failed', tr('Gagal', 'Failed')]]
        .filter(([s]) => !(s === 'picked_up' && order.status === 'picked_up'))
        .map(([s, label]) => {
          const b = el('button', { type: 'button', class: s === 'failed' ? 'danger' : 'secondary', 'data-testid': 'delivery-status', 'data-status': s }, label);
          b.addEventListener('click', () => {
            const body = { status: s };
            if (note.value.trim()) body.note = note.value.trim();
            runAction(b, result, 'POST', path + '/delivery-status', body, `Delivery marked ${s}.`);
          });
          return b;
        });
      out.push(el('div', { class: 'delivery-actions' }, el('h3', {}, tr('Status pengiriman', 'Delivery status')), note, el('div', { class: 'buttons' }, buttons)));
    }

    // Money owed to the customer (paid then cancelled, paid after expiry, delivery failed): record the refund here.
    const p = order.payment || {};
    if ((refundDue.has(order.id) || paidButCancelled(order, p)) && can('refund')) {
      const due = refundDue.get(order.id);
      const va = p.method === 'va';
      const form = el('form', { class: 'refund', 'data-testid': 'refund-form' },
        el('h3', {}, tr('Kembalikan uang pelanggan', 'Refund the customer')),
        el('p', { class: 'muted small' }, va
          ? tr('Pembayaran virtual account tidak bisa direfund lewat gateway: transfer uangnya sendiri, lalu catat nomor referensi transfer di sini.', 'A virtual-account payment cannot be refunded through the gateway: transfer the money yourself, then record the transfer reference here.')
          : tr('QRIS direfund lewat gateway pembayaran. Sudah transfer sendiri? Isi nomor referensi transfer.', 'QRIS is refunded through the payment gateway. Transferred it yourself? Fill in the transfer reference.')),
        el('label', {}, tr('Jumlah (Rp)', 'Amount (Rp)'), el('input', { name: 'amount', 'data-testid': 'refund-amount', inputmode: 'numeric', value: typeof due === 'number' ? due : '', placeholder: tr('semua yang dibayar', 'everything paid') })),
        el('label', {}, tr('Alasan', 'Reason'), el('input', { name: 'reason', 'data-testid': 'refund-reason', required: true, maxlength: 500, value: order.status === 'delivery_failed' ? tr('Pengiriman gagal', 'Delivery failed') : tr('Pesanan dibatalkan', 'Order cancelled') })),
        el('label', {}, tr('Referensi transfer bank', 'Bank transfer reference') + (va ? '' : tr(' (opsional)', ' (optional)')), el('input', { name: 'bank_reference', 'data-testid': 'refund-reference', maxlength: 100, required: va, autocomplete: 'off' })),
        el('button', { type: 'submit', class: 'primary', 'data-testid': 'refund-submit' }, tr('Catat refund', 'Record refund')));
      form.addEventListener('submit', (e) => {
        e.preventDefault();
        const f = new FormData(form);
        const amountText = String(f.get('amount') || '').trim();
        const amount = amountText ? parseRupiah(amountText) : undefined;
        if (amountText && !(amount > 0)) { result.className = 'note bad'; result.textContent = tr('Jumlah harus angka rupiah, mis. 31000.', 'The amount must be rupiah, e.g. 31000.'); return; }
        const reason = String(f.get('reason') || '').trim();
        if (!reason) { result.className = 'note bad'; result.textContent = tr('Tulis alasannya untuk pelanggan.', 'Write the reason for the customer.'); return; }
        const ref = String(f.get('bank_reference') || '').trim();
        if (va && !ref) { result.className = 'note bad'; result.textContent = tr('Isi nomor referensi transfer bank.', 'Fill in the bank transfer reference.'); return; }
        const body = { reason, ...(amount ? { amount } : {}), ...(ref ? { bank_reference: ref } : {}) };
        runAction(form.querySelector('[type=submit]'), result, 'POST', path + '/refund', body, tr('Refund tercatat; pelanggan diberi tahu.', 'Refund recorded; the customer is told.'));
      });
      out.push(form);
    }

    if (CANCELLABLE.includes(order.status)) {
      const cancel = el('button', { type: 'button', class: 'danger outline', 'data-testid': 'order-cancel' }, 'Cancel order');
      cancel.addEventListener('click', () => {
        if (!confirm(tr('Batalkan pesanan ini? Pelanggan diberi tahu dan stok dikembalikan.', 'Cancel this order? The customer is told and any stock is released.'))) return;
        runAction(cancel, result, 'POST', path + '/cancel', {}, 'Order cancelled.');
      });
      out.push(el('div', { class: 'cancel-row' }, cancel));
    }
    out.push(result);
    return out;
  }

  // ---------- catalog ----------
  // Search: what the chat uses (GET /products/search: typos, aliases, search words) merged with a plain
  // match on name and SKU; low stock (5 or fewer left) is highlighted and counted on the tab.
  const LOW_STOCK = 5;
  let products = [];
  let searchHits = null; // sku → rank from /products/search, for the current query
  let searchSeq = 0;
  const search = $('#catalog-search');
  const lowOnly = $('#low-stock-only');
  let catalogSearchTimer = null;
  search.addEventListener('input', () => {
    renderProducts();
    clearTimeout(catalogSearchTimer);
    catalogSearchTimer = setTimeout(fuzzySearch, 250);
  });
  lowOnly.addEventListener('change', () => renderProducts());
  const isLow = (p) => p.active !== false && p.stock <= LOW_STOCK;

  async function fuzzySearch() {
    const q = search.value.trim();
    const seq = ++searchSeq;
    if (q.length < 3) {
      searchHits = null;
      return renderProducts();
    }
    try {
      const data = await api('GET', '/products/search?limit=50&q=' + encodeURIComponent(q));
      if (seq !== searchSeq) return;
      searchHits = new Map((data.products || []).map((h, i) => [h.sku, i]));
    } catch {
      searchHits = null; // a client catalog cannot be searched here: the plain match still works
    }
    renderProducts();
  }

  async function loadProducts() {
    try {
      const data = await api('GET', '/products');
      products = data.products || [];
      renderProducts();
      renderLowStockCount();
      // Description and search words show once the server's products carry them.
      const nl = products.some((p) => 'search_words' in p || 'description' in p);
      for (const n of document.querySelectorAll('.nl-field')) n.hidden = !nl;
      $('#category-list').replaceChildren(...[...new Set(products.map((p) => p.category).filter(Boolean))].sort().map((c) => el('option', { value: c })));
      $('#products-error').textContent = '';
    } catch (err) {
      if (err.status !== 401 && err.status !== 403) $('#products-error').textContent = tr('Katalog tidak bisa dimuat: ', 'Catalog could not be loaded: ') + err.message;
    }
  }
  function renderLowStockCount() {
    const n = products.filter(isLow).length;
    const c = $('#catalog-count');
    c.textContent = String(n);
    c.hidden = n === 0;
    c.title = tr('Produk dengan stok menipis', 'Products running low');
  }

  function renderProducts() {
    const q = search.value.trim().toLowerCase();
    const plain = (p) => p.sku.toLowerCase().includes(q) || p.name.toLowerCase().includes(q);
    let shown = products.filter((p) => (!q || plain(p) || (searchHits && searchHits.has(p.sku))) && (!lowOnly.checked || isLow(p)));
    if (q && searchHits) {
      const rank = (p) => (searchHits.has(p.sku) ? searchHits.get(p.sku) : 1000);
      shown = [...shown].sort((a, b) => rank(a) - rank(b));
    }
    $('#products-body').replaceChildren(...shown.map((p) => productRow(p)));
    $('#products-empty').hidden = shown.length > 0;
  }

  function productRow(p, savedNote) {
    const price = el('input', { type: 'number', min: 0, step: 1, value: p.price, class: 'num-input', 'data-testid': 'price-input', 'aria-label': tr('Harga ', 'Price of ') + p.name, disabled: !can('products') });
    const stock = el('input', { type: 'number', min: 0, step: 1, value: p.stock, class: 'num-input', 'data-testid': 'stock-input', 'aria-label': tr('Stok ', 'Stock of ') + p.name });
    const save = el('button', { type: 'button', class: 'secondary', 'data-testid': 'product-save' }, tr('Simpan', 'Save'));
    const status = el('span', { class: 'note small' + (savedNote ? ' ok' : ''), role: 'status' }, savedNote ? tr('Tersimpan', 'Saved') : '');
    const patchRow = async (patch, button) => {
      button.disabled = true;
      try {
        const updated = await api('PATCH', '/products/' + encodeURIComponent(p.sku), patch);
        Object.assign(p, updated && updated.product ? updated.product : patch);
        // Redraw just this row: unsaved edits in other rows stay as typed.
        row.replaceWith(productRow(p, true));
        renderLowStockCount();
      } catch (err) {
        status.className = 'note small bad';
        status.textContent = err.message;
      } finally {
        button.disabled = false;
      }
    };
    save.addEventListener('click', () => {
      const patch = {};
      const newPrice = Number(price.value);
      const newStock = Number(stock.value);
      if (!Number.isInteger(newPrice) || newPrice < 0 || !Number.isInteger(newStock) || newStock < 0) {
        status.className = 'note small bad';
        status.textContent = tr('Harga dan stok: angka bulat, 0 atau lebih', 'Price and stock: whole numbers, 0 or more');
        return;
      }
      if (newPrice !== p.price) patch.price = newPrice;
      if (newStock !== p.stock) patch.stock = newStock;
      if (Object.keys(patch).length) patchRow(patch, save);
    });
    const toggle = el('button', { type: 'button', class: 'link', 'data-testid': 'product-toggle-active' }, p.active === false ? tr('Jual lagi', 'Sell again') : tr('Nonaktifkan', 'Deactivate'));
    toggle.addEventListener('click', () => patchRow({ active: p.active === false }, toggle));
    const stockNote = p.active === false ? el('div', { class: 'small muted' }, tr('tidak dijual', 'not sold'))
      : p.stock === 0 ? el('div', { class: 'small bad', 'data-testid': 'stock-note' }, tr('habis', 'sold out'))
        : p.stock <= LOW_STOCK ? el('div', { class: 'small warn-text', 'data-testid': 'stock-note' }, tr('stok menipis', 'running low')) : null;
    const row = el('tr', { 'data-testid': 'product-row', 'data-sku': p.sku, 'data-low': isLow(p) ? 'true' : null, class: (p.active === false ? 'inactive' : '') + (isLow(p) ? ' low-stock' : '') },
      el('td', { class: 'mono' }, p.sku),
      el('td', {}, p.image_url ? el('img', { class: 'product-thumb', 'data-testid': 'product-thumb', src: p.image_url, alt: '', loading: 'lazy' }) : null, p.name,
        p.prescription ? el('span', { class: 'badge warn small-badge', title: tr('perlu resep dokter', 'needs a prescription') }, 'Rx') : null,
        p.unit ? el('span', { class: 'muted small' }, ' / ' + p.unit) : null),
      el('td', {}, p.category || '—'),
      el('td', { class: 'num' }, price),
      el('td', { class: 'num' }, stock, stockNote),
      el('td', { class: 'row-actions' }, save, status,
        can('products') ? el('button', { type: 'button', class: 'link', 'data-testid': 'product-edit', onclick: () => editProduct(p) }, tr('Ubah', 'Edit')) : null,
        can('products') ? toggle : null,
        !can('products') ? null : el('button', { type: 'button', class: 'link danger-link', 'data-testid': 'product-delete', onclick: async () => {
          if (!confirm(tr(`Hapus ${p.name}? Pesanan lama tidak berubah.`, `Delete ${p.name}? Past orders keep their copy.`))) return;
          try {
            await api('DELETE', '/products/' + encodeURIComponent(p.sku));
            await loadProducts();
          } catch (err) {
            status.className = 'note bad';
            status.textContent = tr('Gagal menghapus: ', 'Could not delete: ') + err.message;
          }
        } }, tr('Hapus', 'Delete'))));
    return row;
  }

  // One form adds a product or edits every field of one (SKU fixed), through the same product API integrators use.
  const productForm = $('#product-add');
  let editing = null;
  const listOf = (text) => [...new Set(String(text || '').split(',').map((a) => a.trim()).filter(Boolean))];
  function editProduct(p) {
    editing = p;
    const f = productForm;
    f.sku.value = p.sku;
    f.sku.readOnly = true;
    f.name.value = p.name;
    f.price.value = String(p.price);
    f.stock.value = String(p.stock);
    f.category.value = p.category || '';
    f.unit.value = p.unit || '';
    f.aliases.value = (p.aliases || []).join(', ');
    f.search_words.value = (p.search_words || []).join(', ');
    f.description.value = p.description || '';
    f.image_url.value = p.image_url || '';
    resetPicture(p.image_url);
    f.prescription.checked = !!p.prescription;
    f.active.checked = p.active !== false;
    $('#product-form-title').textContent = tr('Ubah produk ', 'Edit product ') + p.sku;
    $('#edit-cancel').hidden = false;
    f.querySelector('[data-testid="new-result"]').textContent = '';
    $('#catalog-tools').open = true;
    f.scrollIntoView({ behavior: 'smooth', block: 'start' });
    f.name.focus();
  }
  function endEdit() {
    editing = null;
    productForm.reset();
    productForm.sku.readOnly = false;
    resetPicture(null);
    $('#product-form-title').textContent = tr('Produk baru', 'New product');
    $('#edit-cancel').hidden = true;
  }
  $('#edit-cancel').addEventListener('click', endEdit);

  // The product's picture: a photo chosen here is previewed at once and uploaded when the product is
  // saved (POST /products/:sku/picture, multipart, with progress), so "Batal" leaves the shop as it was.
  // The server reads the type from the bytes and caps the size; the checks here only answer sooner.
  const MAX_PICTURE_BYTES = 5 * 1024 * 1024;
  const PICTURE_TYPES = ['image/jpeg', 'image/png', 'image/webp'];
  const picInput = productForm.picture;
  const picPreview = productForm.querySelector('[data-testid="picture-preview"]');
  const picProgress = productForm.querySelector('[data-testid="picture-progress"]');
  const picStatus = productForm.querySelector('[data-testid="picture-status"]');
  const picRemove = productForm.querySelector('[data-testid="picture-remove"]');
  picPreview.alt = tr('Pratinjau gambar produk', 'Product picture preview');
  let pendingPicture = null; // File to upload on save
  let removePicture = false; // the owner pressed "Hapus gambar" while editing
  let previewObjectUrl = null;
  const megabytes = (n) => (n / (1024 * 1024)).toLocaleString(LANG === 'en' ? 'en' : 'id-ID', { maximumFractionDigits: 1 }) + ' MB';
  function pictureNote(tone, text) {
    picStatus.className = 'note' + (tone ? ' ' + tone : '');
    picStatus.textContent = text;
  }
  function showPicture(src) {
    if (previewObjectUrl && src !== previewObjectUrl) { URL.revokeObjectURL(previewObjectUrl); previewObjectUrl = null; }
    picPreview.hidden = !src;
    if (src) picPreview.src = src;
    else picPreview.removeAttribute('src');
    picRemove.hidden = !src;
  }
  function resetPicture(current) {
    pendingPicture = null;
    removePicture = false;
    picInput.value = '';
    picProgress.hidden = true;
    pictureNote('', '');
    showPicture(current || null);
  }
  // Phone cameras save 2–12 MB photos; a product picture needs far less, and shop owners upload on
  // mobile data. A photo over 1 MB is redrawn at most 1600 px wide as a JPEG (white behind any
  // transparency) and that copy is used when it is smaller; one still over the 5 MB cap is refused.
  const SHRINK_ABOVE_BYTES = 1024 * 1024;
  async function shrinkPicture(file) {
    const bitmap = await createImageBitmap(file);
    const scale = Math.min(1, 1600 / Math.max(bitmap.width, bitmap.height));
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(bitmap.width * scale));
    canvas.height = Math.max(1, Math.round(bitmap.height * scale));
    const g = canvas.getContext('2d');
    g.fillStyle = '#fff';
    g.fillRect(0, 0, canvas.width, canvas.height);
    g.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    if (bitmap.close) bitmap.close();
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.85));
    if (!blob || blob.size >= file.size) return null;
    return new File([blob], (file.name || 'foto').replace(/\.[^.]*$/, '') + '.jpg', { type: 'image/jpeg' });
  }
  let pickSeq = 0;
  picInput.addEventListener('change', async () => {
    let file = picInput.files && picInput.files[0];
    if (!file) return;
    const seq = ++pickSeq;
    const refuse = (text) => { picInput.value = ''; pictureNote('bad', text); };
    if (file.type && !PICTURE_TYPES.includes(file.type)) {
      return refuse(/hei[cf]/i.test(file.type)
        ? tr('Foto HEIC (dari iPhone) belum bisa dipakai. Pilih foto JPG, PNG atau WebP.', 'HEIC photos (from an iPhone) cannot be used yet. Choose a JPG, PNG or WebP photo.')
        : tr('File ini bukan foto JPG, PNG atau WebP. Pilih foto lain.', 'This file is not a JPG, PNG or WebP photo. Choose another one.'));
    }
    let shrunkFrom = null;
    if (file.size > SHRINK_ABOVE_BYTES) {
      pictureNote('', tr('Foto besar, sedang diperkecil…', 'A big photo: making it smaller…'));
      const small = await shrinkPicture(file).catch(() => null);
      if (seq !== pickSeq) return; // another photo was chosen meanwhile
      if (small) {
        shrunkFrom = file.size;
        file = small;
      }
    }
    if (file.size > MAX_PICTURE_BYTES) {
      return refuse(tr(`Foto terlalu besar (${megabytes(file.size)}). Maksimal 5 MB: kecilkan atau potong fotonya dulu.`, `The photo is too big (${megabytes(file.size)}). At most 5 MB: make it smaller or crop it first.`));
    }
    pendingPicture = file;
    removePicture = false;
    productForm.image_url.value = '';
    previewObjectUrl = URL.createObjectURL(file);
    showPicture(previewObjectUrl);
    const chosen = tr('Foto dipilih. Diunggah saat Anda menekan Simpan produk.', 'Photo chosen. It is uploaded when you press Save product.');
    pictureNote('', shrunkFrom
      ? tr(`Foto diperkecil dari ${megabytes(shrunkFrom)} menjadi ${megabytes(file.size)}. `, `The photo was made smaller, from ${megabytes(shrunkFrom)} to ${megabytes(file.size)}. `) + chosen
      : chosen);
  });
  // A link that does not load leaves the empty frame rather than a broken-image sign.
  picPreview.addEventListener('error', () => { picPreview.hidden = true; });
  // On input, not change: change fires on blur, and a preview appearing then could move the very
  // field the owner is clicking.
  productForm.image_url.addEventListener('input', () => {
    const link = productForm.image_url.value.trim();
    if (!/^https?:\/\/\S+$/.test(link)) return;
    // A typed link takes the place of a photo chosen before.
    pendingPicture = null;
    picInput.value = '';
    showPicture(link);
    pictureNote('', '');
  });
  picRemove.addEventListener('click', () => {
    pendingPicture = null;
    picInput.value = '';
    productForm.image_url.value = '';
    showPicture(null);
    removePicture = !!editing;
    pictureNote('', editing ? tr('Gambar dihapus saat Anda menekan Simpan produk.', 'The picture is removed when you press Save product.') : '');
  });
  function pictureError(status, data) {
    if (status === 413) return tr('Foto terlalu besar. Maksimal 5 MB: kecilkan atau potong fotonya dulu.', 'The photo is too big. At most 5 MB: make it smaller or crop it first.');
    if (status === 415) return tr('File ini bukan foto JPG, PNG atau WebP.', 'This file is not a JPG, PNG or WebP photo.');
    if (status === 401) return tr('Sesi Anda berakhir. Silakan masuk lagi.', 'Your session ended. Please log in again.');
    if (status === 403) return tr('Peran Anda tidak boleh mengganti gambar produk.', 'Your role may not change product pictures.');
    if (status === 404) return tr('Produk ini sudah tidak ada.', 'This product no longer exists.');
    return tr('Server menolak foto ini', 'The server refused this photo') + (data && typeof data.error === 'string' ? ': ' + data.error : ` (HTTP ${status})`);
  }
  /** Uploads with XMLHttpRequest, which (unlike fetch) reports upload progress. */
  function uploadPicture(sku, file) {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', config.apiBase + '/products/' + encodeURIComponent(sku) + '/picture');
      xhr.withCredentials = true;
      for (const [k, v] of Object.entries(authHeaders('POST'))) xhr.setRequestHeader(k, v);
      picProgress.hidden = false;
      picProgress.value = 0;
      pictureNote('', tr('Mengunggah foto… 0%', 'Uploading the photo… 0%'));
      xhr.upload.addEventListener('progress', (e) => {
        if (!e.lengthComputable) return;
        const pct = Math.round((e.loaded / e.total) * 100);
        picProgress.value = pct;
        pictureNote('', tr(`Mengunggah foto… ${pct}%`, `Uploading the photo… ${pct}%`));
      });
      xhr.addEventListener('load', () => {
        picProgress.hidden = true;
        let data = {};
        try { data = JSON.parse(xhr.responseText); } catch { /* not JSON: described by its status */ }
        if (xhr.status >= 200 && xhr.status < 300) resolve(data);
        else reject(new ApiError(xhr.status, pictureError(xhr.status, data), data));
      });
      xhr.addEventListener('error', () => {
        picProgress.hidden = true;
        reject(new ApiError(0, tr('Koneksi terputus saat mengunggah. Periksa internet lalu coba lagi.', 'The connection dropped during the upload. Check the internet and try again.')));
      });
      const body = new FormData();
      body.append('file', file, file.name || 'foto');
      xhr.send(body);
    });
  }
  const FIELD_WORDS = { sku: 'SKU', name: tr('nama', 'name'), price: tr('harga', 'price'), stock: tr('stok', 'stock'), image_url: tr('link gambar', 'picture link'), unit: tr('satuan', 'unit'), category: tr('kategori', 'category'), description: tr('deskripsi', 'description') };
  const issuesText = (err) => (err.body && Array.isArray(err.body.issues)
    ? err.body.issues.map((i) => `${FIELD_WORDS[String(i.path || '').split('.').pop()] || i.path || i.row || ''} ${i.message}`.trim()).join('; ')
    : err.body && Array.isArray(err.body.errors) ? err.body.errors.map((e) => (e.row ? tr('baris ', 'row ') + e.row + ': ' : '') + (e.message || e.error || JSON.stringify(e))).join('; ') : err.message);
  productForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    const f = productForm;
    const out = f.querySelector('[data-testid="new-result"]');
    const price = parseRupiah(f.price.value);
    const stock = Number(f.stock.value);
    const fail = (msg) => { out.className = 'note bad'; out.textContent = msg; };
    if (!Number.isInteger(price) || price < 0) return fail(tr('Harga ditulis dalam rupiah, mis. 12.500.', 'Write the price in rupiah, e.g. 12500.'));
    if (!Number.isInteger(stock) || stock < 0) return fail(tr('Stok harus angka bulat, 0 atau lebih.', 'Stock must be a whole number, 0 or more.'));
    const imageUrl = f.image_url.value.trim();
    if (imageUrl && !/^https?:\/\/\S+$/.test(imageUrl)) return fail(tr('Link gambar harus diawali https://', 'The picture link must start with https://'));
    const product = {
      sku: f.sku.value.trim(), name: f.name.value.trim(), price, stock,
      category: f.category.value.trim() || null,
      unit: f.unit.value.trim() || null,
      aliases: listOf(f.aliases.value),
      prescription: f.prescription.checked,
      active: f.active.checked,
      image_url: imageUrl || null,
    };
    if (!f.search_words.closest('.nl-field').hidden) {
      product.search_words = listOf(f.search_words.value);
      product.description = f.description.value.trim() || null;
    }
    // The picture routes set or clear image_url themselves.
    const picture = pendingPicture;
    const dropPicture = removePicture && !picture;
    if (picture || dropPicture) delete product.image_url;
    try {
      if (editing) {
        const patch = {};
        for (const [k, v] of Object.entries(product)) if (k !== 'sku' && JSON.stringify(v) !== JSON.stringify(editing[k] ?? (Array.isArray(v) ? [] : k === 'active' ? true : k === 'prescription' ? false : null))) patch[k] = v;
        if (Object.keys(patch).length) await api('PATCH', '/products/' + encodeURIComponent(editing.sku), patch);
        if (dropPicture && editing.image_url) await api('DELETE', '/products/' + encodeURIComponent(editing.sku) + '/picture');
      } else {
        if (products.some((p) => p.sku === product.sku) && !confirm(tr(`SKU ${product.sku} sudah ada. Timpa?`, `SKU ${product.sku} exists. Replace it?`))) return;
        for (const k of ['category', 'unit', 'image_url', 'description']) if (product[k] === null) delete product[k];
        await api('PUT', '/products', [product]);
      }
    } catch (err) {
      return fail(tr('Belum tersimpan: ', 'Not saved: ') + issuesText(err));
    }
    if (picture) {
      out.className = 'note';
      out.textContent = '';
      try {
        await uploadPicture(product.sku, picture);
      } catch (err) {
        // The product is saved; keep the form on it with the photo still chosen, so Save tries again.
        await loadProducts();
        const saved = products.find((x) => x.sku === product.sku);
        if (saved && !editing) editProduct(saved);
        if (saved) editing = saved;
        pendingPicture = picture;
        previewObjectUrl = URL.createObjectURL(picture);
        showPicture(previewObjectUrl);
        pictureNote('bad', err.message);
        return fail(tr(`${product.name} tersimpan, tetapi fotonya belum: `, `${product.name} is saved, but its photo is not: `) + err.message + tr(' Tekan Simpan produk untuk mencoba lagi, atau pilih foto lain.', ' Press Save product to try again, or choose another photo.'));
      }
    }
    out.className = 'note ok';
    out.textContent = picture ? tr(`${product.name} tersimpan dengan fotonya.`, `${product.name} saved with its photo.`) : tr(`${product.name} tersimpan.`, `${product.name} saved.`);
    endEdit();
    await loadProducts();
  });
  $('#csv-file').addEventListener('change', async (e) => {
    const file = e.target.files[0];
    const out = $('#csv-result');
    if (!file) return;
    try {
      const r = await api('POST', '/products/import', { csv: await file.text() });
      out.className = 'note ok';
      out.textContent = tr(`${r.imported ?? 0} produk diimpor.`, `${r.imported ?? 0} products imported (diimpor).`);
      await loadProducts();
    } catch (err) {
      out.className = 'note bad';
      out.textContent = tr('Tidak ada yang diimpor: ', 'Nothing imported: ') + issuesText(err);
    }
    e.target.value = '';
  });
  $('#csv-export').addEventListener('click', async () => {
    const res = await fetch(config.apiBase + '/products/export', { headers: authHeaders() });
    const a = el('a', { href: URL.createObjectURL(await res.blob()), download: 'produk.csv' });
    document.body.append(a);
    a.click();
    a.remove();
  });

  // ---------- inbox ----------
  // Customers who asked for a person come first. Staff replies go out on WhatsApp through the
  // outbox; replying (or "Take over") silences the bot until "Hand back".
  const INBOX_REFRESH_MS = 3000;
  const inboxFilter = $('#inbox-filter');
  inboxFilter.addEventListener('change', () => loadInbox());
  let conversations = [];
  let selectedWaId = null;
  let lastThreadJson = '';
  let threadHandover = null;

  const dayFmt = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Jakarta', weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' });
  const clockFmt = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Jakarta', hour: '2-digit', minute: '2-digit', hour12: false });
  const wibDay = (iso) => dayFmt.format(new Date(iso));
  const wibClock = (iso) => clockFmt.format(new Date(iso));
  const STATUS_MARK = { queued: ['…', tr('menunggu dikirim', 'waiting to be sent')], sent: ['✓', tr('terkirim', 'sent')], delivered: ['✓✓', tr('diterima', 'delivered')], read: ['✓✓', tr('dibaca', 'read')], failed: [tr('⚠ tidak terkirim', '⚠ not delivered'), tr('WhatsApp menolaknya (mis. sudah lebih dari 24 jam sejak pelanggan terakhir menulis)', 'WhatsApp refused it (e.g. more than 24 hours since the customer last wrote)')] };

  async function loadInbox() {
    try {
      const q = inboxFilter.value ? '?handover=' + inboxFilter.value : '';
      const [{ conversations: list }, waiting] = await Promise.all([
        api('GET', '/inbox' + q),
        q === '?handover=true' ? null : api('GET', '/inbox?handover=true'),
      ]);
      conversations = list || [];
      noticeNewMessages(waiting ? waiting.conversations || [] : conversations);
      $('#convo-list').dataset.loaded = 'true';
      const count = (waiting ? waiting.conversations : conversations).length;
      const badgeEl = $('#inbox-count');
      badgeEl.textContent = String(count);
      badgeEl.hidden = count === 0;
      renderConversations();
      $('#inbox-error').textContent = '';
    } catch (err) {
      if (err.status !== 401 && err.status !== 403) $('#inbox-error').textContent = tr('Inbox tidak bisa dimuat: ', 'Inbox could not be loaded: ') + err.message;
    }
  }

  function renderConversations() {
    const sorted = [...conversations].sort((a, b) => (a.human_handover !== b.human_handover ? (a.human_handover ? -1 : 1) : a.updated_at < b.updated_at ? 1 : a.updated_at > b.updated_at ? -1 : 0));
    $('#convo-list').replaceChildren(
      ...sorted.map((c) => {
        const last = c.last_message;
        return el('li', {
          class: 'convo' + (c.wa_id === selectedWaId ? ' selected' : '') + (c.human_handover ? ' handover' : ''),
          'data-testid': 'convo-row', 'data-wa-id': c.wa_id, 'data-handover': String(c.human_handover), tabindex: 0, role: 'button',
          onclick: () => selectConversation(c.wa_id),
          onkeydown: (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); selectConversation(c.wa_id); } },
        },
        el('div', { class: 'convo-top' },
          el('strong', { class: 'convo-name' }, c.name || c.wa_id),
          c.human_handover ? el('span', { class: 'badge warn', 'data-testid': 'handover-badge', title: tr('Pelanggan menunggu orang; bot diam', 'The customer is waiting for a person; the bot is quiet') }, tr('Perlu admin', 'Needs a person')) : null,
          el('span', { class: 'muted small convo-time' }, last ? wib(last.at) : '')),
        el('div', { class: 'convo-bottom' },
          el('span', { class: 'convo-last muted' }, last ? (last.direction === 'out' ? '↪ ' : '') + last.text : ''),
          c.active_order ? badge(c.active_order.status) : null,
          c.unread > 0 ? el('span', { class: 'unread', 'data-testid': 'unread', title: 'customer messages since the last reply' }, String(c.unread)) : null),
        c.pending_question && c.pending_question.text ? el('div', { class: 'small pending-line', 'data-testid': 'convo-pending' }, tr('Tanya: ', 'Asked: ') + c.pending_question.text) : null,
        el('div', { class: 'muted small mono' }, c.wa_id));
      }),
    );
    $('#inbox-empty').hidden = sorted.length > 0;
  }

  function selectConversation(waId) {
    selectedWaId = waId;
    lastThreadJson = '';
    threadHandover = null;
    for (const row of document.querySelectorAll('.convo')) row.classList.toggle('selected', row.dataset.waId === waId);
    buildThread(waId);
    loadThread();
  }

  // The thread skeleton is built once per conversation, so a half-typed reply survives refreshes.
  function buildThread(waId) {
    const c = conversations.find((x) => x.wa_id === waId) || { wa_id: waId };
    const composer = el('textarea', { 'data-testid': 'reply-text', rows: 2, maxlength: 4096, placeholder: tr('Tulis balasan… (Enter kirim, Shift+Enter baris baru)', 'Write a reply… (Enter sends, Shift+Enter for a new line)'), 'aria-label': tr('Balas pelanggan', 'Reply to the customer') });
    const send = el('button', { type: 'submit', class: 'primary', 'data-testid': 'reply-send' }, tr('Kirim', 'Send'));
    const note = el('p', { class: 'note', role: 'status', 'data-testid': 'reply-result' });
    const form = el('form', { class: 'composer', 'data-testid': 'reply-form' }, composer, send);
    composer.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        form.requestSubmit();
      }
    });
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const text = composer.value.trim();
      if (!text) return;
      send.disabled = true;
      note.className = 'note';
      note.textContent = tr('Mengirim…', 'Sending…');
      try {
        await api('POST', '/inbox/' + encodeURIComponent(waId) + '/messages', { text });
        if (selectedWaId !== waId) return;
        composer.value = '';
        note.textContent = '';
        lastThreadJson = '';
        await Promise.all([loadThread(true), loadInbox()]);
      } catch (err) {
        note.className = 'note bad';
        note.textContent = tr('Tidak terkirim: ', 'Not sent: ') + err.message;
      } finally {
        send.disabled = false;
      }
    });
    $('#thread').replaceChildren(
      el('div', { class: 'thread-head', 'data-testid': 'thread-head' },
        el('div', {}, el('h2', { 'data-testid': 'thread-name' }, c.name || waId), el('div', { class: 'muted small mono' }, waId)),
        el('div', { class: 'thread-state' })),
      el('div', { class: 'thread-banner', 'data-testid': 'thread-banner' }),
      el('div', { class: 'bubbles', 'data-testid': 'bubbles', 'aria-live': 'polite' }, el('p', { class: 'muted' }, 'Loading…')),
      form,
      note,
    );
    $('#thread').dataset.waId = waId;
  }

  function renderThreadState(data) {
    const thread = $('#thread');
    const state = thread.querySelector('.thread-state');
    const banner = thread.querySelector('.thread-banner');
    if (threadHandover === data.human_handover && state.dataset.order === JSON.stringify(data.active_order)) return;
    threadHandover = data.human_handover;
    state.dataset.order = JSON.stringify(data.active_order);
    const result = $('#thread .note');
    const path = '/inbox/' + encodeURIComponent(data.wa_id) + '/handover';
    const toggle = data.human_handover
      ? el('button', { type: 'button', class: 'secondary', 'data-testid': 'hand-back' }, tr('Kembalikan ke bot', 'Hand back to the bot'))
      : el('button', { type: 'button', class: 'primary', 'data-testid': 'take-over' }, tr('Ambil alih', 'Take over'));
    toggle.addEventListener('click', async () => {
      toggle.disabled = true;
      try {
        await api('POST', path, { active: !data.human_handover });
        result.className = 'note ok';
        result.textContent = data.human_handover ? tr('Dikembalikan ke bot: pelanggan diberi tahu bot menjawab lagi.', 'Handed back: the customer was told the bot is answering again.') : tr('Anda mengambil alih: bot diam sampai dikembalikan.', 'You have taken over: the bot is quiet until you hand back.');
        lastThreadJson = '';
        await Promise.all([loadThread(), loadInbox()]);
      } catch (err) {
        result.className = 'note bad';
        result.textContent = tr('Gagal: ', 'Failed: ') + err.message;
        toggle.disabled = false;
      }
    });
    const order = data.active_order
      ? el('button', { type: 'button', class: 'link', 'data-testid': 'thread-order', title: 'Open the order', onclick: () => { showTab($('#tab-orders')); selectOrder(data.active_order.id); } },
        tr('Pesanan ', 'Order '), el('span', { class: 'mono' }, orderNo(data.active_order.id)), ' ', badge(data.active_order.status))
      : null;
    // The customer's question the bot could not answer stays on top until staff reply.
    const convo = conversations.find((x) => x.wa_id === data.wa_id);
    const pq = (data.pending_question || (convo && convo.pending_question)) || null;
    const pending = pq && pq.text
      ? el('div', { class: 'pending-question', 'data-testid': 'pending-question' }, el('strong', {}, tr('Pertanyaan belum dijawab: ', 'Question not answered yet: ')), pq.text, pq.at ? el('span', { class: 'muted small' }, ' · ' + wib(pq.at) + ' WIB') : null)
      : null;
    state.replaceChildren(...present(pending, order || '', toggle));
    banner.className = 'thread-banner ' + (data.human_handover ? 'staff' : 'bot');
    banner.textContent = data.human_handover
      ? tr('Staf yang menjawab: bot diam. Pelanggan bisa mengetik "menu" untuk kembali ke bot.', 'Staff are answering: the bot is quiet. The customer can type "menu" to get the bot back.')
      : tr('Bot yang menjawab. Membalas di sini mengambil alih percakapan.', 'The bot is answering. Sending a reply takes the conversation over.');
  }

  function bubble(m) {
    const mark = m.direction === 'out' ? STATUS_MARK[m.status] : null;
    return el('div', { class: 'bubble ' + m.direction + (m.by === 'staff' ? ' staff' : '') + (m.status === 'failed' ? ' failed' : ''), 'data-testid': 'bubble', 'data-direction': m.direction, 'data-by': m.by || null },
      m.direction === 'out' ? el('div', { class: 'who' }, m.by === 'staff' ? tr('Staf', 'Staff') : 'Bot') : null,
      m.media_id && config.mediaBase ? mediaThumb(m.media_id) : null,
      el('div', { class: 'text' }, m.text || '[' + m.type + ']'),
      m.options && m.options.length ? el('div', { class: 'options' }, m.options.slice(0, 10).map((o) => el('span', { class: 'chip' }, o)), m.options.length > 10 ? el('span', { class: 'chip muted' }, '+' + (m.options.length - 10)) : null) : null,
      el('div', { class: 'meta' }, el('time', { datetime: m.at, 'data-testid': 'bubble-time' }, wibClock(m.at)), mark ? el('span', { class: 'tick ' + m.status, title: mark[1] }, ' ' + mark[0]) : null));
  }

  async function loadThread(forceBottom) {
    if (!selectedWaId || $('#panel-inbox').hidden) return;
    const waId = selectedWaId;
    try {
      const data = await api('GET', '/inbox/' + encodeURIComponent(waId) + '/messages?limit=200');
      if (waId !== selectedWaId || $('#thread').dataset.waId !== waId) return;
      renderThreadState(data);
      const json = JSON.stringify(data.messages);
      if (json === lastThreadJson) return;
      lastThreadJson = json;
      const box = $('#thread .bubbles');
      const atBottom = forceBottom || box.scrollHeight - box.scrollTop - box.clientHeight < 40 || !box.querySelector('.bubble');
      const nodes = [];
      let day = '';
      for (const m of data.messages) {
        const d = wibDay(m.at);
        if (d !== day) {
          day = d;
          nodes.push(el('div', { class: 'day' }, d + ' · WIB'));
        }
        nodes.push(bubble(m));
      }
      box.replaceChildren(...(nodes.length ? nodes : [el('p', { class: 'muted' }, tr('Belum ada pesan.', 'No messages yet.'))]));
      if (atBottom) box.scrollTop = box.scrollHeight;
    } catch (err) {
      if (err.status !== 401 && err.status !== 403) $('#thread .note').textContent = tr('Percakapan tidak bisa dimuat: ', 'Conversation could not be loaded: ') + err.message;
    }
  }

  // ---------- today and needs attention ----------
  let overviewAvailable = false;
  let lastDueKey = '[]';
  const ATTENTION_WORDS = {
    prescription: tr('Resep perlu dicek', 'Prescription to check'), manual_dispatch: tr('Kirim manual (inDrive/Maxim)', 'Dispatch by hand (inDrive/Maxim)'), refund: tr('Refund perlu dilakukan', 'Refund to make'),
    handover: tr('Pelanggan menunggu balasan', 'Customer waiting for a reply'), delivery_problem: tr('Pengiriman gagal / terlambat', 'Delivery failed or late'), late_payment: tr('Bayar setelah kedaluwarsa', 'Paid after expiry'),
  };
  function figure(label, today, yesterday, fmt, testid) {
    return el('div', { class: 'figure', 'data-testid': testid },
      el('div', { class: 'muted small' }, label),
      el('div', { class: 'big', 'data-testid': testid + '-today' }, fmt(today)),
      yesterday === undefined ? null : el('div', { class: 'muted small' }, tr('kemarin ', 'yesterday '), el('span', { 'data-testid': testid + '-yesterday' }, fmt(yesterday))));
  }
  function chart(days) {
    // Inline SVG: bars for revenue, dots for order counts; no chart library needed for 14 points.
    const w = 280, h = 80, bw = w / days.length;
    const maxRev = Math.max(1, ...days.map((d) => d.paid_revenue));
    const maxOrd = Math.max(1, ...days.map((d) => d.orders));
    const ns = 'http://www.w3.org/2000/svg';
    const svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('viewBox', `0 0 ${w} ${h + 14}`);
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', 'Pesanan dan omzet 14 hari');
    days.forEach((d, i) => {
      const r = document.createElementNS(ns, 'rect');
      const bh = (d.paid_revenue / maxRev) * h;
      r.setAttribute('x', String(i * bw + 2)); r.setAttribute('y', String(h - bh)); r.setAttribute('width', String(bw - 4)); r.setAttribute('height', String(bh));
      r.setAttribute('class', 'bar');
      const t = document.createElementNS(ns, 'title');
      t.textContent = `${d.date}: ${d.orders} pesanan, ${rupiah(d.paid_revenue)}`;
      r.append(t);
      const c = document.createElementNS(ns, 'circle');
      c.setAttribute('cx', String(i * bw + bw / 2)); c.setAttribute('cy', String(h - (d.orders / maxOrd) * (h - 4))); c.setAttribute('r', '2.5'); c.setAttribute('class', 'dot');
      svg.append(r, c);
      if (i % 3 === 1 || i === days.length - 1) {
        const lab = document.createElementNS(ns, 'text');
        lab.setAttribute('x', String(i * bw + bw / 2)); lab.setAttribute('y', String(h + 12)); lab.setAttribute('text-anchor', 'middle'); lab.setAttribute('class', 'lab');
        lab.textContent = d.date.slice(8, 10) + '/' + d.date.slice(5, 7);
        svg.append(lab);
      }
    });
    return svg;
  }
  function openAttention(item) {
    if (item.kind === 'handover' && item.wa_id) {
      showTab($('#tab-inbox'));
      selectConversation(item.wa_id);
      return;
    }
    if (item.order_id) {
      selectOrder(item.order_id);
      $('#detail').scrollIntoView({ behavior: 'smooth', block: 'start' });
    }
  }
  async function loadOverview() {
    try {
      const [today, att, owed] = await Promise.all([api('GET', '/dashboard/today'), api('GET', '/dashboard/attention'), api('GET', '/refunds?status=pending').catch(() => null)]);
      refundDue.clear();
      for (const r of (owed && owed.refunds) || []) refundDue.set(r.order_id, r.amount_due);
      for (const i of att.items || []) if ((i.kind === 'refund' || i.kind === 'late_payment') && i.order_id && !refundDue.has(i.order_id)) refundDue.set(i.order_id, null);
      const dueKey = JSON.stringify([...refundDue]);
      if (dueKey !== lastDueKey) {
        lastDueKey = dueKey;
        renderOrders(visibleOrders());
        lastDetailJson = '';
        loadDetail();
      }
      overviewAvailable = true;
      $('#overview').hidden = $('#tab-orders').getAttribute('aria-selected') !== 'true';
      const t = today.today, y = today.yesterday;
      const n = (v) => String(v ?? 0);
      $('#today-figures').replaceChildren(
        figure(tr('Pesanan', 'Orders'), t.orders, y.orders, n, 'today-orders'),
        figure(tr('Omzet dibayar', 'Paid revenue'), t.paid_revenue, y.paid_revenue, rupiah, 'today-revenue'),
        figure(tr('Rata-rata belanja', 'Average basket'), t.average_basket, y.average_basket, rupiah, 'today-basket'),
        figure(tr('Menunggu diproses', 'Waiting to be handled'), t.orders_waiting, undefined, n, 'today-waiting'));
      $('#today-chart').replaceChildren(chart(today.days || []));
      $('#best-sellers').replaceChildren(...(today.best_sellers || []).map((b) => el('li', {}, b.name, el('span', { class: 'muted small' }, ` · ${b.quantity} ${tr('terjual', 'sold')} · ${rupiah(b.revenue)}`))));
      const items = (att.items || []).filter((i) => can(ATTENTION_CAN[i.kind] || 'orders'));
      $('#attention-count').hidden = items.length === 0;
      $('#attention-count').textContent = String(items.length);
      $('#attention-empty').hidden = items.length > 0;
      $('#attention-list').replaceChildren(...items.map((i) =>
        el('li', {},
          el('button', { type: 'button', class: 'attention-item ' + i.kind, 'data-testid': 'attention-item', 'data-kind': i.kind, 'data-order': i.order_id || '', 'data-wa': i.wa_id || '', onclick: () => openAttention(i) },
            el('strong', {}, ATTENTION_WORDS[i.kind] || i.kind),
            el('span', { class: 'muted small' }, ' ', i.customer_name || i.wa_id || '', i.order_id ? ' · ' : '', i.order_id ? el('span', { class: 'mono' }, i.order_id) : null,
              typeof i.total === 'number' ? ' · ' + rupiah(i.total) : '')))));
      const tabCount = $('#orders-attention');
      if (tabCount) {
        const orderItems = items.filter((i) => i.kind !== 'handover').length;
        tabCount.hidden = orderItems === 0;
        tabCount.textContent = String(orderItems);
      }
    } catch {
      // Older servers without the overview API: the order list alone still works.
      overviewAvailable = false;
      $('#overview').hidden = true;
    }
  }

  // ---------- live alerts: a new order rings and notifies (the merchant can switch it off) ----------
  let knownOrders = null;
  const ALERTS_STORAGE = 'pesan.alerts';
  const alertsBox = $('#alerts-on');
  alertsBox.checked = localStorage.getItem(ALERTS_STORAGE) !== 'off';
  alertsBox.addEventListener('change', () => {
    localStorage.setItem(ALERTS_STORAGE, alertsBox.checked ? 'on' : 'off');
    if (alertsBox.checked && window.Notification && Notification.permission === 'default') Notification.requestPermission().catch(() => {});
  });
  // Browsers ask for notification permission only after a tap: ask at the first one while alerts are on.
  document.addEventListener('click', () => {
    if (alertsBox.checked && window.Notification && Notification.permission === 'default') Notification.requestPermission().catch(() => {});
  }, { once: true });
  function beep() {
    try {
      const ac = new (window.AudioContext || window.webkitAudioContext)();
      const o = ac.createOscillator();
      const g = ac.createGain();
      o.frequency.value = 880; g.gain.value = 0.08;
      o.connect(g).connect(ac.destination);
      o.start(); o.stop(ac.currentTime + 0.25);
    } catch { /* no audio: the notification and the list still show it */ }
  }
  /** One alert: a short tone and a browser notification (when allowed), unless the merchant switched them off. */
  function alertMerchant(kind, title, body, onclick) {
    if (!alertsBox.checked) return;
    beep();
    // Also announced on the page (tests and add-ons can listen for it).
    window.dispatchEvent(new CustomEvent('pesan:alert', { detail: { kind, title, body } }));
    if (window.Notification && Notification.permission === 'granted') {
      try {
        const n = new Notification(title, { body, tag: kind + ':' + title, icon: '/dashboard/icon-192.png' });
        n.onclick = () => { window.focus(); onclick && onclick(); n.close(); };
      } catch { /* some browsers only notify from a service worker */ }
    }
  }
  function noticeNewOrders(orders) {
    const ids = orders.filter((o) => o.status !== 'cart').map((o) => o.id);
    if (knownOrders) {
      const fresh = orders.filter((o) => o.status !== 'cart' && !knownOrders.has(o.id));
      for (const o of fresh.slice(0, 3)) alertMerchant('order', tr('Pesanan baru ', 'New order ') + o.id, `${(o.customer && o.customer.name) || ''} · ${rupiah(o.total)}`, () => { showTab($('#tab-orders')); selectOrder(o.id); });
    }
    knownOrders = new Set([...(knownOrders || []), ...ids]);
  }
  // Messages that need the merchant: a customer waiting for a person wrote again (or asked for one).
  let knownMessages = null; // wa_id → customer messages not yet answered by staff, as last seen
  function noticeNewMessages(waitingConvos) {
    const seen = new Map(knownMessages || []);
    const openThread = !document.hidden && !$('#panel-inbox').hidden ? selectedWaId : null;
    for (const c of waitingConvos) {
      const unread = Number(c.unread) || 0;
      const before = seen.get(c.wa_id);
      // A conversation newly waiting for a person, or more customer messages in one that waits.
      if (knownMessages && (before === undefined || unread > before) && c.wa_id !== openThread) {
        const last = c.last_message;
        const text = last && last.direction === 'in' ? last.text : (c.pending_question && c.pending_question.text) || '';
        alertMerchant('message', tr('Pesan dari ', 'Message from ') + (c.name || c.wa_id), String(text || '').slice(0, 120), () => { showTab($('#tab-inbox')); selectConversation(c.wa_id); });
      }
      seen.set(c.wa_id, unread);
    }
    // Handed back to the bot: forgotten, so waiting again later alerts again.
    for (const k of [...seen.keys()]) if (!waitingConvos.some((c) => c.wa_id === k)) seen.delete(k);
    knownMessages = seen;
  }

  // ---------- settings: store facts, payment gateways and couriers (GET/PATCH /settings) ----------
  const settingsForm = $('#settings-form');
  let settings = null;
  const COURIER_NAMES = { gosend: 'GoSend', grab: 'GrabExpress', manual: tr('Kirim sendiri (inDrive, Maxim, kurir toko)', 'Send it yourself (inDrive, Maxim, own courier)') };
  const GATEWAY_NAMES = { midtrans: 'Midtrans', xendit: 'Xendit', doku: 'DOKU' };
  // Messages a shop owner understands, for what the API refuses (by field) and for what is checked before sending.
  const FIELD_MESSAGES = {
    opening_hours: tr('Jam buka paling banyak 200 huruf.', 'Opening hours can be at most 200 characters.'),
    store_address: tr('Alamat paling banyak 500 huruf.', 'The address can be at most 500 characters.'),
    delivery_area: tr('Area antar: paling banyak 100 tempat, tiap nama paling banyak 100 huruf.', 'Delivery area: at most 100 places, each name at most 100 characters.'),
    delivery_radius_km: tr('Radius antar ditulis dalam km, lebih dari 0 dan paling jauh 500 (mis. 5 atau 2,5).', 'Write the delivery radius in km, more than 0 and at most 500 (e.g. 5 or 2.5).'),
    minimum_order: tr('Minimal belanja ditulis dalam rupiah tanpa sen, mis. 25.000 (paling besar Rp 100.000.000).', 'Write the minimum order in whole rupiah, e.g. 25,000 (at most Rp 100,000,000).'),
    manual_delivery_fee: tr('Ongkir ditulis dalam rupiah tanpa sen, paling besar Rp 1.000.000.', 'Write the delivery fee in whole rupiah, at most Rp 1,000,000.'),
    couriers: tr('Pilih minimal satu cara kirim.', 'Choose at least one way to deliver.'),
    preferred_courier: tr('Kurir yang dicoba dulu harus salah satu yang dicentang.', 'The courier tried first must be one of those ticked.'),
    qris_gateway: tr('Gateway QRIS ini belum dipasang di server.', 'This QRIS gateway is not set up on the server.'),
    va_gateway: tr('Gateway virtual account ini belum dipasang di server.', 'This virtual-account gateway is not set up on the server.'),
  };
  function fieldError(name, message) {
    const p = settingsForm.querySelector(`.field-error[data-for="${name}"]`);
    if (p) p.textContent = message || '';
    const input = settingsForm.elements.namedItem(name);
    if (input && input.setAttribute) input.setAttribute('aria-invalid', message ? 'true' : 'false');
  }
  const rupiahText = (n) => (typeof n === 'number' ? n.toLocaleString('id-ID') : '');

  async function loadSettings() {
    try {
      settings = await api('GET', '/settings');
      renderSettings();
    } catch (err) {
      if (err.status !== 401 && err.status !== 403) $('#settings-result').textContent = tr('Pengaturan tidak bisa dimuat: ', 'Settings could not be loaded: ') + err.message;
    }
  }

  function renderSettings() {
    const f = settingsForm.elements;
    const s = settings;
    f.opening_hours.value = s.opening_hours || '';
    f.store_address.value = s.store_address || '';
    f.delivery_area.value = (s.delivery_area || []).join('\n');
    f.delivery_radius_km.value = typeof s.delivery_radius_km === 'number' ? String(s.delivery_radius_km).replace('.', LANG === 'en' ? '.' : ',') : '';
    f.minimum_order.value = rupiahText(s.minimum_order);
    f.manual_delivery_fee.value = rupiahText(s.manual_delivery_fee);
    f.cash_on_delivery.checked = !!s.cash_on_delivery;
    const gateways = (s.available && s.available.gateways) || [];
    for (const [name, current] of [['qris_gateway', s.qris_gateway], ['va_gateway', s.va_gateway]]) {
      const options = [...new Set([...gateways, ...(current ? [current] : [])])];
      f[name].replaceChildren(...(options.length ? options : ['']).map((g) => el('option', { value: g, selected: g === current }, g ? GATEWAY_NAMES[g] || g : tr('(belum ada gateway)', '(no gateway set up)'))));
    }
    const available = [...new Set([...(s.couriers || []), ...((s.available && s.available.couriers) || [])])];
    // Ticked couriers are tried in the order shown; ↑ moves one earlier.
    $('#courier-list').replaceChildren(...available.map((c) => el('div', { class: 'courier-row', 'data-courier': c },
      el('label', { class: 'check' }, el('input', { type: 'checkbox', name: 'couriers', value: c, 'data-testid': 'set-courier-' + c, checked: (s.couriers || []).includes(c) }), ' ', COURIER_NAMES[c] || c),
      el('button', { type: 'button', class: 'link', 'data-testid': 'courier-up-' + c, title: tr('Coba lebih dulu', 'Try earlier'), 'aria-label': tr('Naikkan ', 'Move up ') + (COURIER_NAMES[c] || c), onclick: (e) => {
        const row = e.currentTarget.closest('.courier-row');
        if (row.previousElementSibling) row.parentElement.insertBefore(row, row.previousElementSibling);
      } }, '↑'))));
    f.preferred_courier.replaceChildren(el('option', { value: '' }, tr('urut seperti di atas', 'in the order above')),
      ...available.map((c) => el('option', { value: c, selected: s.preferred_courier === c }, COURIER_NAMES[c] || c)));
    for (const name of Object.keys(FIELD_MESSAGES)) fieldError(name, '');
  }

  /** Reads the form into a patch of what changed; field errors are shown and null returned when something is wrong. */
  function settingsPatch() {
    const f = settingsForm.elements;
    const s = settings;
    const patch = {};
    let ok = true;
    const bad = (name) => { fieldError(name, FIELD_MESSAGES[name]); ok = false; };
    for (const name of Object.keys(FIELD_MESSAGES)) fieldError(name, '');
    const text = (name, max) => {
      const v = f[name].value.trim();
      if (v.length > max) return bad(name);
      if ((v || null) !== (s[name] || null)) patch[name] = v || null;
    };
    text('opening_hours', 200);
    text('store_address', 500);
    const areas = [...new Set(f.delivery_area.value.split(/[\n,;]/).map((a) => a.trim()).filter(Boolean))];
    if (areas.length > 100 || areas.some((a) => a.length > 100)) bad('delivery_area');
    else if (JSON.stringify(areas) !== JSON.stringify(s.delivery_area || [])) patch.delivery_area = areas.length ? areas : null;
    const radiusText = f.delivery_radius_km.value.trim().replace(/\s*km$/i, '').replace(',', '.');
    if (radiusText) {
      const r = Number(radiusText);
      if (!/^\d+(\.\d+)?$/.test(radiusText) || !(r > 0) || r > 500) bad('delivery_radius_km');
      else if (r !== s.delivery_radius_km) patch.delivery_radius_km = r;
    } else if (s.delivery_radius_km != null) patch.delivery_radius_km = null;
    for (const [name, max, clearable] of [['minimum_order', 100_000_000, true], ['manual_delivery_fee', 1_000_000, false]]) {
      const t = f[name].value.trim();
      if (!t) {
        if (clearable && s[name] != null) patch[name] = null;
        else if (!clearable) bad(name);
        continue;
      }
      const n = parseRupiah(t);
      if (!Number.isInteger(n) || n < 0 || n > max) bad(name);
      else if (n !== s[name]) patch[name] = n;
    }
    if (f.cash_on_delivery.checked !== !!s.cash_on_delivery) patch.cash_on_delivery = f.cash_on_delivery.checked;
    for (const name of ['qris_gateway', 'va_gateway']) if (f[name].value && f[name].value !== s[name]) patch[name] = f[name].value;
    const couriers = [...settingsForm.querySelectorAll('input[name=couriers]:checked')].map((i) => i.value);
    if (!couriers.length) bad('couriers');
    else if (JSON.stringify(couriers) !== JSON.stringify(s.couriers || [])) patch.couriers = couriers;
    const preferred = f.preferred_courier.value || null;
    if (preferred && !couriers.includes(preferred)) bad('preferred_courier');
    else if (preferred !== (s.preferred_courier || null)) patch.preferred_courier = preferred;
    return ok ? patch : null;
  }

  settingsForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    const out = $('#settings-result');
    const patch = settingsPatch();
    if (!patch) {
      out.className = 'note bad';
      out.textContent = tr('Belum disimpan: perbaiki kolom yang ditandai merah.', 'Not saved: fix the fields marked in red.');
      settingsForm.querySelector('[aria-invalid="true"]')?.focus();
      return;
    }
    if (!Object.keys(patch).length) {
      out.className = 'note';
      out.textContent = tr('Tidak ada yang berubah.', 'Nothing changed.');
      return;
    }
    const button = settingsForm.querySelector('[type=submit]');
    button.disabled = true;
    try {
      settings = await api('PATCH', '/settings', patch);
      renderSettings();
      out.className = 'note ok';
      out.textContent = tr('Tersimpan. Bot langsung memakai info baru ini.', 'Saved. The bot uses the new facts right away.');
    } catch (err) {
      // The API names the field it refused ("path") or says it in its error text: show it beside that field.
      const fields = new Set();
      for (const i of (err.body && err.body.issues) || []) if (i.path && FIELD_MESSAGES[String(i.path).split('.')[0]]) fields.add(String(i.path).split('.')[0]);
      for (const name of Object.keys(FIELD_MESSAGES)) if (new RegExp('^' + name + '\\b').test(err.message)) fields.add(name);
      for (const name of fields) fieldError(name, FIELD_MESSAGES[name]);
      out.className = 'note bad';
      out.textContent = fields.size ? tr('Belum disimpan: perbaiki kolom yang ditandai merah.', 'Not saved: fix the fields marked in red.') : tr('Belum disimpan: ', 'Not saved: ') + err.message;
    } finally {
      button.disabled = false;
    }
  });

  // ---------- staff logins (owner): GET/POST /staff, PATCH/DELETE /staff/:id, GET /audit ----------
  const ROLES = ['owner', 'pharmacist', 'staff'];
  const staffRole = $('#staff-add').elements.role;
  staffRole.replaceChildren(...ROLES.map((r) => el('option', { value: r, selected: r === 'staff' }, ROLE_WORDS[r])));
  function staffMessage(err) {
    const m = err.message || '';
    if (/already exists/.test(m)) return tr('Email ini sudah dipakai login lain.', 'This email already has a login.');
    if (/not an email/.test(m) || /email/.test(m) && err.status === 400) return tr('Email tidak valid.', 'That is not an email address.');
    if (/password/.test(m)) return tr('Kata sandi minimal 8 huruf.', 'The password needs at least 8 characters.');
    if (/at least one active owner/.test(m)) return tr('Toko perlu minimal satu pemilik yang aktif.', 'The shop needs at least one active owner.');
    return m;
  }
  const AUDIT_WORDS = {
    'POST /products/:sku/picture': tr('gambar produk diganti', 'product picture set'),
    'DELETE /products/:sku/picture': tr('gambar produk dihapus', 'product picture removed'),
  };
  const auditAction = (action) => AUDIT_WORDS[action] || String(action || '').replace(/_/g, ' ');
  async function loadStaff() {
    const out = $('#staff-result');
    try {
      const [{ staff }, audit] = await Promise.all([api('GET', '/staff'), api('GET', '/audit?limit=30').catch(() => ({ entries: [] }))]);
      $('#staff-list').replaceChildren(...(staff || []).map(staffRow));
      $('#audit-list').replaceChildren(...(audit.entries || []).map((a) => el('li', {}, el('time', { class: 'muted small' }, wib(a.at)), ' ', el('strong', {}, a.actor || '—'), ' · ', auditAction(a.action), a.target ? el('span', { class: 'muted' }, ' ' + a.target) : null)));
    } catch (err) {
      if (err.status !== 401) { out.className = 'note bad'; out.textContent = tr('Daftar staf tidak bisa dimuat: ', 'Staff could not be loaded: ') + err.message; }
    }
  }
  function staffRow(u) {
    const note = el('span', { class: 'note small', role: 'status' });
    const change = async (patch, done) => {
      try {
        await api('PATCH', '/staff/' + u.id, patch);
        await loadStaff();
        const row = document.querySelector(`[data-testid="staff-row"][data-email="${CSS.escape(u.email)}"] .note`);
        if (row) { row.className = 'note small ok'; row.textContent = done; }
      } catch (err) {
        note.className = 'note small bad';
        note.textContent = staffMessage(err);
      }
    };
    const role = el('select', { 'data-testid': 'staff-row-role', 'aria-label': tr('Peran ', 'Role of ') + u.email }, ...ROLES.map((r) => el('option', { value: r, selected: r === u.role }, ROLE_WORDS[r])));
    role.addEventListener('change', () => change({ role: role.value }, tr('Peran diubah.', 'Role changed.')));
    const active = el('button', { type: 'button', class: 'link', 'data-testid': 'staff-row-active' }, u.active ? tr('Matikan login', 'Switch off') : tr('Hidupkan lagi', 'Switch on'));
    active.addEventListener('click', () => change({ active: !u.active }, u.active ? tr('Login dimatikan.', 'Login switched off.') : tr('Login hidup lagi.', 'Login switched on.')));
    const reset = el('button', { type: 'button', class: 'link', 'data-testid': 'staff-row-password' }, tr('Ganti kata sandi', 'New password'));
    reset.addEventListener('click', () => {
      const pw = prompt(tr(`Kata sandi baru untuk ${u.email} (minimal 8 huruf):`, `New password for ${u.email} (at least 8 characters):`));
      if (pw === null) return;
      if (pw.length < 8) { note.className = 'note small bad'; note.textContent = tr('Kata sandi minimal 8 huruf.', 'The password needs at least 8 characters.'); return; }
      change({ password: pw }, tr('Kata sandi diganti.', 'Password changed.'));
    });
    const del = el('button', { type: 'button', class: 'link danger-link', 'data-testid': 'staff-row-delete' }, tr('Hapus', 'Delete'));
    del.addEventListener('click', async () => {
      if (!confirm(tr(`Hapus login ${u.email}?`, `Delete the login ${u.email}?`))) return;
      try { await api('DELETE', '/staff/' + u.id); await loadStaff(); } catch (err) { note.className = 'note small bad'; note.textContent = staffMessage(err); }
    });
    return el('li', { class: 'staff-row' + (u.active ? '' : ' inactive'), 'data-testid': 'staff-row', 'data-email': u.email, 'data-active': String(u.active) },
      el('div', {}, el('strong', {}, u.name || u.email), el('div', { class: 'muted small' }, u.email, u.totp_enabled ? ' · 2FA' : '', u.active ? '' : tr(' · dimatikan', ' · switched off'))),
      el('div', { class: 'staff-controls' }, role, active, reset, del, note));
  }
  $('#staff-add').addEventListener('submit', async (e) => {
    e.preventDefault();
    const f = e.target;
    const out = $('#staff-result');
    const body = { email: f.email.value.trim(), role: f.role.value, password: f.password.value, ...(f.name.value.trim() ? { name: f.name.value.trim() } : {}) };
    const fail = (m) => { out.className = 'note bad'; out.textContent = m; };
    if (!/^[^\s@]+@[^\s@]+$/.test(body.email)) return fail(tr('Email tidak valid.', 'That is not an email address.'));
    if (body.password.length < 8) return fail(tr('Kata sandi minimal 8 huruf.', 'The password needs at least 8 characters.'));
    try {
      await api('POST', '/staff', body);
      f.reset();
      staffRole.value = 'staff';
      out.className = 'note ok';
      out.textContent = tr(`Login ${body.email} dibuat.`, `Login ${body.email} created.`);
      await loadStaff();
    } catch (err) {
      fail(staffMessage(err));
    }
  });

  // ---------- start ----------
  let timer = null;
  let inboxTimer = null;
  async function start() {
    // Who is this? GET /auth/me answers for a key and for a staff session alike; 401 means log in.
    // A server without the staff API (404) knows keys only.
    let res;
    try {
      res = await fetch(config.apiBase + '/auth/me', { credentials: 'same-origin', headers: authHeaders('GET') });
    } catch {
      res = null;
    }
    if (res && res.ok) {
      me = ((await res.json().catch(() => ({}))) || {}).user || null;
      loginMode = apiKey ? 'key' : 'session';
    } else if (res && res.status === 401) {
      if (apiKey) return showLogin(tr('Key tidak diterima.', 'The key was not accepted.'));
      return showStaffLogin();
    } else {
      me = null;
      loginMode = 'key';
      if (!apiKey) return showLogin();
    }
    applyRole();
    const selected = document.querySelector('[role=tab][aria-selected="true"]');
    if (selected && selected.hidden) showTab($('#tab-orders'));
    $('#login').hidden = true;
    $('#staff-login').hidden = true;
    $('#app').hidden = false;
    await loadOrders(); // a refused key brings the login form back (see api())
    await watchNewOrders(); // the orders there now are known; only later ones ring
    if (!$('#app').hidden) loadOverview();
    if (!$('#app').hidden && can('inbox')) loadInbox(); // the Inbox tab shows how many customers wait for a person
    if (!inboxTimer) {
      inboxTimer = setInterval(() => {
        if (document.hidden || $('#app').hidden || !can('inbox')) return;
        loadInbox();
        loadThread();
      }, INBOX_REFRESH_MS);
    }
    if (!timer) {
      // Live view: new orders, payments and courier progress show up without a reload.
      timer = setInterval(() => {
        if (document.hidden || $('#app').hidden) return;
        loadOrders();
        watchNewOrders();
        loadDetail();
        loadOverview();
      }, REFRESH_MS);
    }
  }
  start();
  // Installable on a phone: the service worker only keeps the page's script and style for offline starts.
  if ('serviceWorker' in navigator) navigator.serviceWorker.register('/dashboard/sw.js', { scope: '/dashboard' }).catch(() => {});
})();
