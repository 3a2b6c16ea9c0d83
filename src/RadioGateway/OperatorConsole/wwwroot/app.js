'use strict';
// The operator console page: state from /api/state (the journal), live events from /api/events (SSE), actions
// posted with the antiforgery token. Persian/RTL first; English switch. Every name and number is bidi-isolated.

const text = {
  fa: {
    title: 'کنسول اپراتور', now: 'اکنون', teams: 'تیم‌ها', map: 'نقشه', messages: 'پیام‌ها', health: 'سلامت', logout: 'خروج',
    slots: 'شیارها', radioSlot: 'رادیو / شیار', state: 'وضعیت', source: 'مبدأ', destination: 'مقصد', duration: 'مدت',
    lastHeard: 'آخرین شنیده‌ها', time: 'زمان', endReason: 'علت پایان', unit: 'یگان', team: 'تیم', vehicle: 'خودرو', centre: 'مرکز',
    registration: 'ثبت‌نام', position: 'آخرین موقعیت', actions: 'اقدام‌ها', to: 'به', unitType: 'یگان', groupType: 'گروه',
    send: 'ارسال', direction: 'جهت', from: 'از', text: 'متن', idle: 'آزاد', talking: 'در حال مکالمه', emergency: 'اضطراری',
    acknowledge: 'تأیید دریافت', registered: 'ثبت‌شده', unregistered: 'خارج‌شده', unknown: 'نامعلوم', incoming: 'دریافتی', outgoing: 'ارسالی',
    locate: 'مکان‌یابی', periodic: 'مکان‌یابی دوره‌ای', stop: 'توقف', radioCheck: 'بررسی رادیو', ago: 'پیش', group: 'گروه',
    accepted: 'پذیرفته', transmitted: 'ارسال‌شده', delivered: 'تحویل‌شده', failed: 'ناموفق', modem: 'پیوند مودم', uplink: 'پیوند مرکزی',
    outbox: 'صف ارسال', oldest: 'قدیمی‌ترین', disk: 'فضای دیسک', connected: 'وصل', disconnected: 'قطع', off: 'پیکربندی نشده',
    live: 'زنده', offline: 'قطع ارتباط با دروازه', free: 'آزاد', terminator: 'پایان عادی', timeout: 'قطع سیگنال', 'link-lost': 'قطع پیوند',
    shutdown: 'توقف دروازه', emergencyFrom: 'وضعیت اضطراری از', by: 'توسط', sent: 'فرستاده شد', refused: 'رد شد', language: 'English',
    viewerOnly: 'نقش شما فقط مشاهده است', history: 'سابقه', since: 'از زمان', until: 'تا زمان', talkgroup: 'گروه مکالمه', search: 'جستجو',
    calls: 'مکالمه‌ها', positions: 'موقعیت‌ها', exportTrack: 'خروجی مسیر',
    fleetTitle: 'نمای ناوگان', gateways: 'دروازه‌ها', gatewayId: 'دروازه', heardBy: 'شنیده در', events: 'رویدادها', online: 'برخط',
    automatic: 'خودکار (آخرین دروازه‌ای که یگان را شنید)', thread: 'گفتگو', allThreads: 'همه گفتگوها', announce: 'اعلام صوتی روی کانال', announcement: 'اعلام صوتی',
  },
  en: {
    title: 'Operator console', now: 'Now', teams: 'Teams', map: 'Map', messages: 'Messages', health: 'Health', logout: 'Sign out',
    slots: 'Slots', radioSlot: 'Radio / slot', state: 'State', source: 'Source', destination: 'Destination', duration: 'Duration',
    lastHeard: 'Last heard', time: 'Time', endReason: 'End reason', unit: 'Unit', team: 'Team', vehicle: 'Vehicle', centre: 'Centre',
    registration: 'Registration', position: 'Last position', actions: 'Actions', to: 'To', unitType: 'unit', groupType: 'group',
    send: 'Send', direction: 'Direction', from: 'From', text: 'Text', idle: 'idle', talking: 'in call', emergency: 'EMERGENCY',
    acknowledge: 'Acknowledge', registered: 'registered', unregistered: 'left', unknown: 'unknown', incoming: 'in', outgoing: 'out',
    locate: 'Locate', periodic: 'Periodic', stop: 'Stop', radioCheck: 'Radio check', ago: 'ago', group: 'group',
    accepted: 'accepted', transmitted: 'transmitted', delivered: 'delivered', failed: 'failed', modem: 'Modem link', uplink: 'Uplink',
    outbox: 'Outbox backlog', oldest: 'oldest', disk: 'Disk', connected: 'connected', disconnected: 'disconnected', off: 'not configured',
    live: 'live', offline: 'gateway unreachable', free: 'free', terminator: 'terminator', timeout: 'timeout', 'link-lost': 'link lost',
    shutdown: 'shutdown', emergencyFrom: 'Emergency from', by: 'by', sent: 'sent', refused: 'refused', language: 'فارسی',
    viewerOnly: 'Your role is view only', history: 'History', since: 'Since', until: 'Until', talkgroup: 'Talk-group', search: 'Search',
    calls: 'Calls', positions: 'Positions', exportTrack: 'Export track',
    fleetTitle: 'Fleet view', gateways: 'Gateways', gatewayId: 'Gateway', heardBy: 'Heard by', events: 'Events', online: 'online',
    automatic: 'automatic (the gateway that last heard the unit)', thread: 'Conversation', allThreads: 'all conversations', announce: 'Speak on the channel', announcement: 'spoken',
  },
};

const STALE_MS = 15 * 60 * 1000;
const TRAIL_MS = 6 * 60 * 60 * 1000;
let language = localStorage.getItem('radiogw.language') === 'en' ? 'en' : 'fa';
const t = (key) => text[language][key] ?? key;

const state = {
  user: null, roster: new Map(), units: new Map(), slots: new Map(), heard: [], messages: [], commands: new Map(),
  emergencies: new Map(), acknowledged: new Map(), modems: new Map(), health: {}, clockSkew: 0, connected: false, fleet: false,
};
let antiforgery = '';

// ---- formatting --------------------------------------------------------------------------------------------------
function formatTime(value) {
  if (!value) return '';
  const date = new Date(value);
  return language === 'fa'
    ? new Intl.DateTimeFormat('fa-IR-u-ca-persian', { timeZone: 'Asia/Tehran', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false }).format(date)
    : new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false }).format(date) + ' UTC';
}
function formatNumber(n, digits = 0) {
  return new Intl.NumberFormat(language === 'fa' ? 'fa-IR' : 'en-GB', { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(n);
}
function formatDuration(ms) {
  const s = Math.max(0, Math.round(ms / 1000));
  const text = `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
  return language === 'fa' ? text.replace(/\d/g, (d) => '۰۱۲۳۴۵۶۷۸۹'[d]) : text;
}
function formatBytes(bytes) {
  if (bytes == null) return t('unknown');
  return `${formatNumber(bytes / 1e9, 1)} GB`;
}
const now = () => Date.now() + state.clockSkew;

// DOM helpers: text only through textContent; names and numbers in <bdi>.
function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === 'class') node.className = value;
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (value !== undefined && value !== null) node.setAttribute(key, value);
  }
  for (const child of children.flat(Infinity)) {
    if (child !== null && child !== undefined) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}
const bdi = (value, props = {}) => el('bdi', { dir: 'auto', ...props }, value);
function unitName(id, heardName) {
  return state.roster.get(id)?.name || heardName || null;
}
function unitLabel(unit) {
  const id = typeof unit === 'object' ? unit.id : unit;
  const name = unitName(id, unit?.alias || unit?.name);
  return el('span', { class: 'unit' }, name ? [bdi(name, { class: 'unit-name' }), ' ', bdi(`(${id})`, { class: 'muted num', dir: 'ltr' })] : bdi(String(id), { class: 'num', dir: 'ltr' }));
}
function targetLabel(target) {
  if (!target) return '';
  return target.type === 'group' ? el('span', {}, t('group'), ' ', bdi(String(target.id), { class: 'num', dir: 'ltr' })) : unitLabel(target);
}
function unitState(id) {
  if (!state.units.has(id)) state.units.set(id, { id, trail: [] });
  return state.units.get(id);
}

// ---- events ------------------------------------------------------------------------------------------------------
function heardUnit(unit, time) {
  const u = unitState(unit.id);
  u.lastHeard = Math.max(u.lastHeard ?? 0, Date.parse(time));
  if (unit.alias || unit.name) u.heardName = unit.alias || unit.name;
}
function raiseEmergency(id, unit, time, via) {
  if (!state.acknowledged.has(id) && !state.emergencies.has(id)) state.emergencies.set(id, { id, unit, time, via });
}

// In the fleet view radios of different gateways share ids: each is named by its gateway too.
const radioOf = (event) => (state.fleet && event.gateway ? `${event.gateway}:${event.data.radioId}` : event.data.radioId);
// Every gateway that relayed something from the unit, the latest first.
function heardVia(event, unitId) {
  if (!state.fleet || !event.heardBy || unitId === undefined) return;
  const u = unitState(unitId);
  u.gateways = [...new Set([...event.heardBy, ...(u.gateways ?? [])])];
}

function apply(event) {
  const data = event.data;
  switch (event.type) {
    case 'radiogw.call.started':
      state.slots.set(`${radioOf(event)}/${data.slot}`, { ...data, radioId: radioOf(event) });
      heardVia(event, data.source.id);
      heardUnit(data.source, data.start);
      if (data.emergency) raiseEmergency(event.id, data.source, event.time, 'call');
      break;
    case 'radiogw.call.ended': {
      const key = `${radioOf(event)}/${data.slot}`;
      if (state.slots.get(key)?.callId === data.callId) state.slots.delete(key);
      heardVia(event, data.source.id);
      state.heard.unshift(data);
      state.heard.length = Math.min(state.heard.length, 50);
      heardUnit(data.source, data.end ?? event.time);
      break;
    }
    case 'radiogw.call.alias':
      for (const call of state.slots.values()) if (call.callId === data.callId) call.source = { ...call.source, alias: data.alias };
      heardUnit({ id: data.sourceId, alias: data.alias }, event.time);
      break;
    case 'radiogw.position': {
      const u = unitState(data.unit.id);
      const time = Date.parse(data.fixTime ?? data.receivedTime ?? event.time);
      u.position = { lat: data.lat, lon: data.lon, time, speed: data.speedKmh, via: data.via };
      u.trail.push([data.lat, data.lon, time]);
      heardUnit(data.unit, event.time);
      heardVia(event, data.unit.id);
      break;
    }
    case 'radiogw.text':
      state.messages.unshift({ id: event.id, time: event.time, direction: 'in', from: data.from, to: data.to, text: data.text });
      heardUnit(data.from, event.time);
      heardVia(event, data.from.id);
      break;
    case 'radiogw.registration':
      unitState(data.unit.id).registered = data.registered;
      heardUnit(data.unit, event.time);
      heardVia(event, data.unit.id);
      break;
    case 'radiogw.emergency':
      if (data.active === false) {
        for (const [id, e] of state.emergencies) if (e.unit.id === data.unit.id) state.emergencies.delete(id);
      } else raiseEmergency(event.id, data.unit, event.time, data.via);
      break;
    case 'radiogw.csbk':
      if (data.name === 'emergency') raiseEmergency(event.id, { id: data.sourceId }, event.time, 'csbk');
      break;
    case 'radiogw.emergency.acknowledged':
      state.acknowledged.set(data.emergencyId, data.user);
      state.emergencies.delete(data.emergencyId);
      break;
    case 'radiogw.modem.status':
      state.modems.set(radioOf(event), { up: data.linkUp, description: data.description, time: event.time });
      break;
    case 'radiogw.operator.action':
      state.commands.set(data.commandId, { ...data, time: event.time, state: 'accepted' });
      if (data.action === 'text' || data.action === 'announce') {
        state.messages.unshift({ id: event.id, commandId: data.commandId, time: event.time, direction: 'out', from: { id: data.user, user: true }, to: { id: data.target, type: data.targetType }, text: data.text, spoken: data.action === 'announce' });
      }
      break;
    case 'radiogw.command.result': {
      const command = state.commands.get(data.commandId) ?? { commandId: data.commandId };
      const order = ['accepted', 'transmitted', 'delivered', 'failed'];
      if (order.indexOf(data.state) >= order.indexOf(command.state ?? 'accepted')) Object.assign(command, { state: data.state, reason: data.reason });
      state.commands.set(data.commandId, command);
      break;
    }
    case 'radiogw.console.heard-by':
      heardVia(event, data.unit ?? undefined);
      break;
    case 'radiogw.console.health':
      state.health = data;
      state.clockSkew = Date.parse(event.time) - Date.now();
      break;
    default:
      break;
  }
}

// ---- rendering ---------------------------------------------------------------------------------------------------
let renderQueued = false;
function render() {
  if (renderQueued) return;
  renderQueued = true;
  requestAnimationFrame(() => {
    renderQueued = false;
    renderEmergencies(); renderNow(); renderTeams(); renderMessages(); renderHealth(); renderMap();
  });
}

function renderStatic() {
  document.documentElement.lang = language;
  document.documentElement.dir = language === 'fa' ? 'rtl' : 'ltr';
  for (const node of document.querySelectorAll('[data-t]')) node.textContent = t(node.dataset.t);
  document.getElementById('language').textContent = t('language');
  document.title = t(state.fleet ? 'fleetTitle' : 'title');
  document.querySelector('h1[data-t]').textContent = document.title;
  render();
}

function renderEmergencies() {
  const host = document.getElementById('emergencies');
  host.replaceChildren(...[...state.emergencies.values()].map((e) => el('div', { class: 'banner', dataset: { emergency: e.id } },
    `⚠ ${t('emergencyFrom')} `, unitLabel(e.unit), ' — ', bdi(formatTime(e.time)),
    state.user?.canAct ? el('button', { type: 'button', class: 'acknowledge', onclick: () => acknowledge(e.id) }, t('acknowledge')) : null)));
  alarmSound(state.emergencies.size > 0);
}

function renderNow() {
  const slots = [...state.slots.entries()].sort(([a], [b]) => a.localeCompare(b));
  const radios = new Set([...state.modems.keys(), ...slots.map(([key]) => key.split('/')[0])]);
  const rows = [];
  for (const radio of [...radios].sort()) {
    for (const slot of [1, 2]) {
      const call = state.slots.get(`${radio}/${slot}`);
      rows.push(el('tr', { class: call?.emergency ? 'emergency call' : call ? 'call' : 'idle', dataset: call ? { call: call.callId } : {} },
        el('td', {}, bdi(`${radio} / ${slot}`, { dir: 'ltr' })),
        el('td', {}, call ? (call.emergency ? t('emergency') : t('talking')) : t('idle')),
        el('td', {}, call ? unitLabel(call.source) : ''),
        el('td', {}, call ? targetLabel(call.destination) : ''),
        el('td', { class: 'num' }, call ? bdi(formatDuration(now() - Date.parse(call.start))) : '')));
    }
  }
  document.getElementById('slots').replaceChildren(...rows);
  document.getElementById('heard').replaceChildren(...state.heard.slice(0, 30).map((call) => el('tr', { class: call.emergency ? 'emergency' : '' },
    el('td', {}, bdi(formatTime(call.start))), el('td', {}, unitLabel(call.source)), el('td', {}, targetLabel(call.destination)),
    el('td', { class: 'num' }, bdi(formatDuration((call.durationMs ?? 0)))), el('td', {}, t(call.endReason ?? 'unknown')))));
}

function age(ms) { return el('span', { class: 'muted' }, bdi(formatDuration(now() - ms)), ' ', t('ago')); }

function renderTeams() {
  const ids = new Set([...state.roster.keys(), ...state.units.keys()]);
  const rows = [...ids].sort((a, b) => a - b).map((id) => {
    const roster = state.roster.get(id) ?? {};
    const u = state.units.get(id) ?? { trail: [] };
    const stale = !u.lastHeard || now() - u.lastHeard > STALE_MS;
    return el('tr', { class: stale ? 'stale' : '', dataset: { unit: id } },
      el('td', {}, unitLabel({ id, alias: u.heardName })),
      el('td', {}, roster.team ? bdi(roster.team) : ''), el('td', {}, roster.vehicle ? bdi(roster.vehicle) : ''), el('td', {}, roster.centre ? bdi(roster.centre) : ''),
      el('td', {}, u.registered === undefined ? t('unknown') : u.registered ? t('registered') : t('unregistered')),
      el('td', {}, u.lastHeard ? [bdi(formatTime(u.lastHeard)), ' ', age(u.lastHeard)] : ''),
      el('td', {}, u.position ? [bdi(`${u.position.lat.toFixed(5)}, ${u.position.lon.toFixed(5)}`, { dir: 'ltr', class: 'num' }), ' ', age(u.position.time)] : ''),
      el('td', { class: 'fleet-only heard-by' }, (u.gateways ?? []).map((g, i) => [i ? '، ' : '', bdi(g, { dir: 'ltr', class: 'gateway' })])),
      el('td', { class: 'acting' },
        el('button', { type: 'button', class: 'locate', onclick: () => act({ action: 'locate', target: id }) }, t('locate')),
        el('button', { type: 'button', class: 'periodic', onclick: () => act({ action: 'locate', target: id, intervalSeconds: 60 }) }, t('periodic')),
        el('button', { type: 'button', class: 'stop', onclick: () => act({ action: 'locate', target: id, stop: true }) }, t('stop')),
        el('button', { type: 'button', class: 'radio-check', onclick: () => act({ action: 'radio-check', target: id }) }, t('radioCheck'))));
  });
  document.getElementById('teams').replaceChildren(...rows);
  document.getElementById('unit-list').replaceChildren(...[...ids].map((id) => el('option', { value: id }, unitName(id, state.units.get(id)?.heardName) ?? '')));
}

// A conversation is one field unit (texts from it and to it) or one talk-group.
function threadOf(m) {
  if (m.to?.type === 'group') return `group:${m.to.id}`;
  return m.direction === 'in' ? `unit:${m.from.id}` : `unit:${m.to.id}`;
}
function renderThreads() {
  const select = document.getElementById('thread');
  const chosen = select.value;
  const threads = new Map();
  for (const m of state.messages) if (!threads.has(threadOf(m))) threads.set(threadOf(m), m);
  // Rebuilt only when the list changes, so an open drop-down is not closed by the once-a-second redraw.
  const signature = `${language}|${[...threads.keys()].join(',')}`;
  if (select.dataset.signature === signature) return chosen;
  select.dataset.signature = signature;
  select.replaceChildren(el('option', { value: '' }, t('allThreads')), ...[...threads.keys()].map((key) => {
    const [type, id] = key.split(':');
    const label = type === 'group' ? `${t('group')} ${id}` : (unitName(Number(id), state.units.get(Number(id))?.heardName) ? `${unitName(Number(id), state.units.get(Number(id))?.heardName)} (${id})` : id);
    return el('option', { value: key }, label);
  }));
  select.value = threads.has(chosen) ? chosen : '';
  return select.value;
}

function renderMessages() {
  const thread = renderThreads();
  const shown = state.messages.filter((m) => !thread || threadOf(m) === thread);
  document.getElementById('messages').replaceChildren(...shown.slice(0, 200).map((m) => {
    const command = m.commandId ? state.commands.get(m.commandId) : null;
    return el('tr', { class: `message ${m.direction}`, dataset: m.commandId ? { command: m.commandId, thread: threadOf(m) } : { thread: threadOf(m) } },
      el('td', {}, bdi(formatTime(m.time))), el('td', {}, t(m.direction === 'in' ? 'incoming' : 'outgoing')),
      el('td', {}, m.from.user ? bdi(m.from.id) : unitLabel(m.from)), el('td', {}, targetLabel(m.to)),
      el('td', {}, m.spoken ? el('span', { class: 'muted spoken' }, `🔊 ${t('announcement')}: `) : '', bdi(m.text, { class: 'message-text' })),
      el('td', {}, command ? el('span', { class: `command-state state-${command.state}`, dataset: { state: command.state } }, t(command.state), command.reason ? [' — ', bdi(command.reason)] : '') : ''));
  }));
}

function renderHealth() {
  const h = state.health;
  const modems = [...state.modems.entries()];
  const items = state.fleet ? [[t('uplink'), [t(h.uplink ?? 'unknown'), h.broker ? [' ', bdi(h.broker, { dir: 'ltr' })] : '']]] : [
    [t('modem'), modems.length ? modems.map(([id, m]) => el('div', {}, bdi(id, { dir: 'ltr' }), ': ', m.up ? t('connected') : t('disconnected'), m.description ? [' — ', bdi(m.description)] : '')) : t('unknown')],
    [t('uplink'), [t(h.uplink ?? 'unknown'), h.broker ? [' ', bdi(h.broker, { dir: 'ltr' })] : '']],
    [t('outbox'), [bdi(formatNumber(h.outboxCount ?? 0)), h.outboxOldest ? [' — ', t('oldest'), ' ', age(Date.parse(h.outboxOldest))] : '']],
    [t('disk'), [bdi(formatBytes(h.diskFreeBytes)), ' ', t('free'), h.diskTotalBytes ? [' / ', bdi(formatBytes(h.diskTotalBytes))] : '']],
  ];
  document.getElementById('health').replaceChildren(...items.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]));
  if (state.fleet) renderGateways(h.gateways ?? []);
  const link = document.getElementById('link');
  link.textContent = state.connected ? t('live') : t('offline');
  link.className = `badge ${state.connected ? 'up' : 'down'}`;
}

function renderGateways(gateways) {
  document.getElementById('gateways').replaceChildren(...gateways.map((g) => el('tr', { class: g.online ? 'online' : 'offline', dataset: { gateway: g.id } },
    el('td', {}, bdi(g.id, { dir: 'ltr' })), el('td', {}, g.online ? t('online') : t('offline')),
    el('td', {}, g.lastSeen ? [bdi(formatTime(g.lastSeen)), ' ', age(Date.parse(g.lastSeen))] : ''),
    el('td', { class: 'num' }, bdi(formatNumber(g.events ?? 0))),
    el('td', { class: 'num' }, g.outbox?.count != null ? bdi(formatNumber(g.outbox.count)) : ''))));
  const select = document.getElementById('compose-gateway');
  const chosen = select.value;
  select.replaceChildren(el('option', { value: '' }, t('automatic')), ...gateways.map((g) => el('option', { value: g.id }, g.id)));
  select.value = gateways.some((g) => g.id === chosen) ? chosen : '';
}

// ---- map ---------------------------------------------------------------------------------------------------------
let map = null;
const markers = new Map();
let fitted = false;
let fitZoom = 7;
function setupMap(useTiles) {
  // Without tiles, stay zoomed out enough for the country outlines to give the positions their place.
  fitZoom = useTiles ? 14 : 7;
  map = L.map('map', { zoomControl: true, attributionControl: true }).setView([35.7, 51.4], 6);
  if (useTiles) {
    protomapsL.leafletLayer({ url: '/map.pmtiles', flavor: 'light', lang: language }).addTo(map);
  } else {
    fetch('vendor/world-atlas-2.0.2/countries-110m.json').then((r) => r.json()).then((world) => {
      L.geoJSON(topojson.feature(world, world.objects.countries), { style: { color: '#6b7f93', weight: 1, fillColor: '#f2efe6', fillOpacity: 1 }, interactive: false }).addTo(map);
      for (const layer of markers.values()) { layer.trail.bringToFront(); }
    });
    const lines = [];
    for (let lon = -180; lon <= 180; lon += 10) lines.push([[-85, lon], [85, lon]]);
    for (let lat = -80; lat <= 80; lat += 10) lines.push([[lat, -180], [lat, 180]]);
    L.polyline(lines, { color: '#9fb4c8', weight: 0.5, interactive: false }).addTo(map);
    map.attributionControl.addAttribution('Natural Earth (world-atlas)');
  }
}
function renderMap() {
  if (!map) return;
  const cutoff = now() - TRAIL_MS;
  for (const u of state.units.values()) {
    if (!u.position) continue;
    const name = unitName(u.id, u.heardName) ?? String(u.id);
    const stale = now() - (u.lastHeard ?? 0) > STALE_MS;
    const html = `<bdi dir="auto"></bdi>`;
    let layer = markers.get(u.id);
    if (!layer) {
      const icon = L.divIcon({ className: 'unit-marker', html });
      layer = { marker: L.marker([u.position.lat, u.position.lon], { icon, title: name }).addTo(map), trail: L.polyline([], { color: '#0b5cad', weight: 2 }).addTo(map) };
      layer.marker.on('click', () => layer.marker.bindPopup(popup(u.id)).openPopup());
      markers.set(u.id, layer);
    }
    layer.marker.setLatLng([u.position.lat, u.position.lon]);
    const element = layer.marker.getElement();
    if (element) {
      element.classList.toggle('stale', stale);
      element.dataset.unit = u.id;
      element.querySelector('bdi').textContent = name;
    }
    u.trail = u.trail.filter((p) => p[2] >= cutoff);
    layer.trail.setLatLngs(u.trail.map((p) => [p[0], p[1]]));
  }
  if (!fitted && markers.size > 0 && !document.getElementById('tab-map').hidden) {
    map.fitBounds(L.featureGroup([...markers.values()].map((m) => m.marker)).getBounds().pad(0.5), { maxZoom: fitZoom });
    fitted = true;
  }
}
function popup(id) {
  const u = state.units.get(id);
  const roster = state.roster.get(id) ?? {};
  return el('div', {}, el('strong', {}, unitLabel({ id, alias: u.heardName })), el('br'),
    roster.team ? [t('team'), ': ', bdi(roster.team), el('br')] : '',
    bdi(`${u.position.lat.toFixed(5)}, ${u.position.lon.toFixed(5)}`, { dir: 'ltr' }), el('br'), bdi(formatTime(u.position.time)));
}

// ---- actions -----------------------------------------------------------------------------------------------------
function notice(message) {
  const node = document.getElementById('notice');
  node.textContent = message;
  clearTimeout(notice.timer);
  notice.timer = setTimeout(() => { node.textContent = ''; }, 5000);
}
async function post(path, body) {
  const response = await fetch(path, { method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/json', 'X-CSRF-TOKEN': antiforgery }, body: JSON.stringify(body) });
  if (response.status === 401) location.href = '/login';
  return response;
}
async function act(request) {
  const response = await post('/api/commands', request);
  if (response.ok) notice(`${t('sent')} — ${(await response.json()).commandId}`);
  else notice(`${t('refused')}: ${(await response.json().catch(() => ({}))).error ?? response.status}`);
}
async function acknowledge(id) {
  const response = await post('/api/emergencies/ack', { emergencyId: id });
  if (!response.ok) notice(`${t('refused')}: ${response.status}`);
}

// A two-tone alarm, repeated until every emergency is acknowledged (Web Audio: no sound file to vendor).
let audio = null;
let alarmTimer = null;
function alarmSound(on) {
  if (on && !alarmTimer) {
    alarmTimer = setInterval(() => {
      try {
        audio ??= new AudioContext();
        for (const [i, frequency] of [880, 660].entries()) {
          const oscillator = audio.createOscillator();
          const gain = audio.createGain();
          gain.gain.value = 0.15;
          oscillator.frequency.value = frequency;
          oscillator.connect(gain).connect(audio.destination);
          oscillator.start(audio.currentTime + i * 0.25);
          oscillator.stop(audio.currentTime + i * 0.25 + 0.22);
        }
      } catch { /* audio unavailable */ }
    }, 1500);
  } else if (!on && alarmTimer) {
    clearInterval(alarmTimer);
    alarmTimer = null;
  }
}

// ---- history ---------------------------------------------------------------------------------------------------
async function searchHistory(event) {
  event?.preventDefault();
  const query = new URLSearchParams();
  const value = (id) => document.getElementById(id).value.trim();
  // datetime-local is the browser's local time; the API takes RFC 3339.
  if (value('history-since')) query.set('since', new Date(value('history-since')).toISOString());
  if (value('history-until')) query.set('until', new Date(value('history-until')).toISOString());
  if (value('history-unit')) query.set('unit', value('history-unit'));
  if (value('history-talkgroup')) query.set('talkgroup', value('history-talkgroup'));
  const response = await fetch(`/api/history?${query}`, { credentials: 'same-origin' });
  if (!response.ok) { notice(`${t('refused')}: ${response.status}`); return; }
  const history = await response.json();
  document.getElementById('history-calls').replaceChildren(...history.calls.slice().reverse().map((call) => el('tr', { class: call.emergency ? 'emergency' : '' },
    el('td', {}, bdi(formatTime(call.start))), el('td', {}, unitLabel(call.source)), el('td', {}, targetLabel(call.destination)),
    el('td', { class: 'num' }, bdi(formatDuration(call.durationMs ?? 0))), el('td', {}, t(call.endReason ?? 'unknown')))));
  document.getElementById('history-texts').replaceChildren(...history.texts.slice().reverse().map((m) => el('tr', {},
    el('td', {}, bdi(formatTime(m.time))), el('td', {}, unitLabel(m.from)), el('td', {}, targetLabel(m.to)), el('td', {}, bdi(m.text)))));
  document.getElementById('history-positions').replaceChildren(...history.positions.slice().reverse().map((p) => el('tr', {},
    el('td', {}, bdi(formatTime(p.fixTime ?? p.time))), el('td', {}, unitLabel(p.unit)), el('td', {}, bdi(`${p.lat.toFixed(5)}, ${p.lon.toFixed(5)}`, { dir: 'ltr', class: 'num' })))));
  const exports = document.getElementById('history-export');
  exports.replaceChildren();
  if (query.get('unit')) {
    const track = new URLSearchParams(query);
    track.delete('unit'); track.delete('talkgroup');
    exports.append(t('exportTrack'), ': ', ...['gpx', 'kml', 'geojson', 'csv'].map((format) => {
      track.set('format', format);
      return el('a', { href: `/api/track/${encodeURIComponent(query.get('unit'))}?${track}`, download: '' }, format.toUpperCase());
    }));
  }
}

// ---- start -------------------------------------------------------------------------------------------------------
function showTab(name) {
  for (const button of document.querySelectorAll('#tabs button')) button.classList.toggle('active', button.dataset.tab === name);
  for (const tab of document.querySelectorAll('.tab')) tab.hidden = tab.id !== `tab-${name}`;
  if (name === 'map' && map) { map.invalidateSize(); render(); }
  location.hash = name;
}

function connect() {
  const source = new EventSource('/api/events');
  source.onopen = () => { state.connected = true; render(); };
  source.onmessage = (message) => { apply(JSON.parse(message.data)); render(); };
  source.onerror = () => { state.connected = false; render(); };
}

async function start() {
  const response = await fetch('/api/state', { credentials: 'same-origin' });
  if (response.status === 401) { location.href = '/login'; return; }
  const initial = await response.json();
  antiforgery = (await (await fetch('/api/antiforgery', { credentials: 'same-origin' })).json()).token;
  state.user = initial.user;
  state.fleet = initial.fleet === true;
  document.body.classList.toggle('fleet', state.fleet);
  state.clockSkew = Date.parse(initial.now) - Date.now();
  for (const unit of initial.roster) state.roster.set(unit.id, unit);
  document.getElementById('canned-list').replaceChildren(...initial.canned.map((message) => el('option', { value: message })));
  for (const event of initial.events) apply(event);
  state.health = initial.health;
  document.body.classList.toggle('viewer', !initial.user.canAct);
  document.getElementById('user').replaceChildren(bdi(initial.user.name), ' — ', initial.user.role);
  document.getElementById('gateway').replaceChildren(bdi(initial.gatewayId, { dir: 'ltr' }));
  setupMap(initial.map);
  for (const button of document.querySelectorAll('#tabs button')) button.addEventListener('click', () => showTab(button.dataset.tab));
  document.getElementById('language').addEventListener('click', () => {
    language = language === 'fa' ? 'en' : 'fa';
    localStorage.setItem('radiogw.language', language);
    renderStatic();
  });
  document.getElementById('logout').addEventListener('click', async () => { await post('/api/logout', {}); location.href = '/login'; });
  document.getElementById('compose').addEventListener('submit', async (event) => {
    event.preventDefault();
    const input = document.getElementById('compose-text');
    await act({ action: 'text', target: Number(document.getElementById('compose-target').value), targetType: document.getElementById('compose-type').value, text: input.value, gateway: document.getElementById('compose-gateway').value || undefined });
    input.value = '';
  });
  // An announcement: the text spoken by the gateway's radio (espeak-ng), through the same command path and transmit limits.
  document.getElementById('compose-announce').addEventListener('click', async () => {
    const input = document.getElementById('compose-text');
    if (!input.value.trim() || !document.getElementById('compose-target').value) { input.reportValidity(); return; }
    await act({ action: 'announce', target: Number(document.getElementById('compose-target').value), targetType: document.getElementById('compose-type').value, text: input.value, voice: document.getElementById('compose-voice').value, gateway: document.getElementById('compose-gateway').value || undefined });
    input.value = '';
  });
  document.getElementById('history-form').addEventListener('submit', searchHistory);
  document.getElementById('thread').addEventListener('change', (event) => {
    const [type, id] = event.target.value.split(':');
    if (id) {
      document.getElementById('compose-target').value = id;
      document.getElementById('compose-type').value = type;
    }
    render();
  });
  showTab(['now', 'teams', 'map', 'messages', 'history', 'health'].includes(location.hash.slice(1)) ? location.hash.slice(1) : 'now');
  renderStatic();
  connect();
  setInterval(render, 1000);
}

start();
