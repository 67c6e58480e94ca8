// The client page: the stimulus the console drives, on the console's clock, and nothing else.
//
// The link's #fragment holds the link id and its key; the page connects to
// the broker it was served from, takes only messages sealed with that key,
// and shows no name, no session data and nothing the therapist typed: it is
// only ever told the pacer's settings and when each set starts, pauses and
// stops, as instants on the console's clock.
import mqtt from "./vendor/mqtt.esm.js";
import { SocketStamps } from "./wire.js";
import { Motion, lightBarLeds } from "./engine.js";
import { CONSOLE, Opener, PAGE, RefusedMessage, Sealer, linkFromFragment } from "./sealing.js";
import { ClockEstimate } from "./clock.js";
import { Painter } from "./draw.js";
import { Sound } from "./sound.js";
import { PictureDelay } from "./presentation.js";

const canvas = document.getElementById("stimulus");
const ctx = canvas.getContext("2d", { alpha: false });
const painter = new Painter(ctx);
const notice = document.getElementById("notice");
const message = document.getElementById("message");
const startButton = document.getElementById("start");
const probes = document.getElementById("probes");

const clock = new ClockEstimate(64); // the quickest ways of the last minute or so of round trips
const sound = new Sound();
const measured = new PictureDelay(probes);
const frames = { count: 0, late: 0, worstMs: 0, last: null, periodMs: 1000 / 60, deltas: [] };
const state = {
  current: null, pending: [], ended: false, tapped: false, refused: 0, expiresAt: null, pictureDelayMs: null,
};
const pings = new Map(); // id: { sealed, at }
const stamps = new SocketStamps();
let link = null;
let sealer = null;
let client = null;
let topics = null;

function say(text, showStart = false) {
  message.textContent = text;
  startButton.hidden = !showStart;
  notice.hidden = false;
}

function quiet() {
  notice.hidden = true;
}

function end(reason) {
  state.ended = true;
  state.current = null;
  state.pending = [];
  const why = reason === "revoked" ? "This link was closed by your therapist." : "This link has expired.";
  say(`${why} Ask your therapist for a new one if you need it.`);
  document.title = "Link ended";
  document.body.dataset.ended = reason;
  if (client) client.end(true);
}

function consoleNow() {
  return clock.consoleTime(performance.now() / 1000);
}

async function send(body) {
  if (!client || !client.connected) return;
  client.publish(topics.page, await sealer.seal(body), { qos: 0 });
}

// Its round trip is timed at the socket (wire.js); the time it is handed over, once
// sealed, stands in if its frame is not found.
async function ping() {
  if (!client || !client.connected) return;
  const id = Math.floor(Math.random() * 2 ** 31);
  const sealed = await sealer.seal({ type: "ping", id });
  pings.set(id, { sealed, at: performance.now() / 1000 });
  if (pings.size > 64) pings.delete(pings.keys().next().value);
  client.publish(topics.page, sealed, { qos: 0 });
}

function prepared(settings) {
  const motion = new Motion(settings); // refuses a speed over the photosensitivity cap
  return { settings, motion, leds: lightBarLeds(motion) };
}

// `arrived`: the page's time the message's frame came in, before it was parsed and opened,
// so the time spent on them is not counted as the way down.
function take(body, arrived) {
  if (body.type === "pong") {
    const sent = pings.get(body.id);
    if (sent !== undefined) clock.add(stamps.sentAt(sent.sealed) ?? sent.at, body.t1, body.t2, arrived);
    pings.delete(body.id);
  } else if (body.type === "link") {
    state.expiresAt = body.expires_at;
    state.pictureDelayMs = Number.isFinite(body.picture_delay_ms) ? body.picture_delay_ms : null;
    if (Date.now() / 1000 >= body.expires_at) end("expired");
  } else if (body.type === "ended") {
    end(body.reason);
  } else if (body.type === "state") {
    // The console sends its last state again when it reconnects: the same state is no change.
    const key = JSON.stringify([body.at, body.clock, body.settings]);
    if ([state.current, ...state.pending].some((entry) => entry?.key === key)) return;
    const next = { ...prepared(body.settings), at: body.at, clock: body.clock, key };
    state.pending.push(next);
    state.pending.sort((a, b) => a.at - b.at);
    if (clock.ready) sound.cancelFrom((next.at - clock.offset) * 1000);
  }
}

function setTime(entry, consoleTime) {
  const c = entry.clock;
  if (!c.started) return null;
  return c.running ? c.anchor_set + (consoleTime - c.anchor_wall) : c.anchor_set;
}

function resize() {
  const dpr = window.devicePixelRatio || 1;
  canvas.width = Math.round(window.innerWidth * dpr);
  canvas.height = Math.round(window.innerHeight * dpr);
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  painter.invalidate();
}

function countFrame(ts) {
  if (frames.last !== null) {
    const delta = ts - frames.last;
    frames.deltas.push(delta);
    if (frames.deltas.length > 120) frames.deltas.shift();
    const sorted = [...frames.deltas].sort((a, b) => a - b);
    frames.periodMs = sorted[Math.floor(sorted.length / 2)];
    if (delta > frames.periodMs * 1.5) frames.late += 1;
    frames.worstMs = Math.max(frames.worstMs, delta);
  }
  frames.count += 1;
  frames.last = ts;
}

// How long after requestAnimationFrame's time a frame reaches the client's screen: as the
// clinic measured this device, else as the browser reports it, else one refresh (a
// display with vertical sync).
function pictureDelay() {
  if (state.pictureDelayMs !== null) return { ms: state.pictureDelayMs, by: "clinic" };
  if (measured.ms !== null) return { ms: measured.ms, by: "browser" };
  return { ms: frames.periodMs, by: "refresh" };
}

function frame(ts) {
  requestAnimationFrame(frame);
  countFrame(ts);
  if (state.ended || !clock.ready) return;
  const shownAt = (ts + pictureDelay().ms) / 1000;
  const consoleShown = clock.consoleTime(shownAt);
  while (state.pending.length && state.pending[0].at <= consoleShown) {
    state.current = state.pending.shift();
    sound.reset(setTime(state.current, state.current.at) ?? -Infinity);
  }
  const entry = state.current;
  if (entry === null) return;
  const t = setTime(entry, consoleShown);
  const width = window.innerWidth;
  const height = window.innerHeight;
  const [cx, cy] = painter.frame(entry.motion, entry.settings, entry.leds, width, height, t);
  measured.probe(ts, entry.settings.background);
  canvas.dataset.setTime = t === null ? "" : String(t);
  canvas.dataset.centre = `${cx},${cy}`;
  if (t !== null && entry.clock.running && state.tapped) {
    const perfAt = (setT) => (entry.clock.anchor_wall + (setT - entry.clock.anchor_set) - clock.offset) * 1000;
    const until = state.pending.length ? (state.pending[0].at - clock.offset) * 1000 : Infinity;
    sound.schedule(entry.motion, entry.settings, consoleNow() - entry.clock.anchor_wall + entry.clock.anchor_set, perfAt, until);
  }
}

function status() {
  send({
    type: "status",
    visible: document.visibilityState === "visible",
    screen: [window.screen.width, window.screen.height],
    viewport: [window.innerWidth, window.innerHeight],
    dpr: window.devicePixelRatio || 1,
    refresh_hz: frames.periodMs > 0 ? 1000 / frames.periodMs : null,
    picture_delay_ms: pictureDelay().ms,
    picture_delay_by: pictureDelay().by,
    frames: frames.count,
    late: frames.late,
    worst_ms: frames.worstMs,
    offset: clock.offset,
    uncertainty: clock.uncertainty,
    time_origin: performance.timeOrigin,
    refused: state.refused,
    sound: sound.context ? sound.context.state : "locked",
    tapped: state.tapped,
    controllers: sound.pads,
  });
}

async function connect() {
  try {
    link = await linkFromFragment(location.hash);
  } catch {
    say("This link is incomplete. Open the whole link your therapist sent.");
    return;
  }
  // The page's numbers start from the time in microseconds, so a reloaded page never reuses one.
  sealer = new Sealer(link, PAGE);
  sealer.sequence = Date.now() * 1000;
  const openers = { live: new Opener(link, CONSOLE), link: new Opener(link, CONSOLE) };
  const base = `sc/${link.topicId}`;
  topics = { live: `${base}/c`, link: `${base}/s`, page: `${base}/p` };
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  client = mqtt.connect(`${scheme}://${location.host}/mqtt`, {
    protocolVersion: 4,
    clean: true,
    reconnectPeriod: 1000,
    connectTimeout: 10_000,
    clientId: `page-${crypto.randomUUID()}`,
    createWebsocket: (url, protocols) => stamps.socket(url, protocols),
  });
  client.on("connect", () => {
    client.subscribe([topics.live, topics.link], { qos: 0 });
    for (let i = 0; i < 20; i += 1) setTimeout(ping, i * 100); // a good estimate before the set
    status();
    if (!state.tapped && !state.ended) {
      say("Tap Start when your therapist asks.\nHolding game controllers for vibration? Press a button on each.", true);
    }
  });
  // While the broker is away the set goes on, on the clock estimate the page already has.
  client.on("message", async (topic, payload) => {
    const arrived = stamps.receivedAt(payload) ?? performance.now() / 1000;
    const opener = topic === topics.link ? openers.link : openers.live;
    try {
      take(await opener.open(payload), arrived);
      if (state.tapped && !state.ended && client.connected) quiet();
    } catch (error) {
      // A forged, replayed or out-of-bounds message (a speed over the cap) changes nothing.
      state.refused += 1;
      document.body.dataset.refused = String(state.refused);
      document.body.dataset.lastRefusal = error instanceof RefusedMessage ? error.message : "settings";
    }
  });
  // Round trips every 0.5 s for the first 20 s, then every second: the more there are, the
  // quicker the quickest way up and way down among them (about 0.1 kB/s). Each comes at a
  // random point of its interval, as NTP's do, so none rides behind a status report in
  // the same queue every time.
  const began = performance.now();
  const next = () => {
    const every = performance.now() - began < 20_000 ? 500 : 1000;
    setTimeout(() => { ping(); next(); }, every * (0.5 + Math.random()));
  };
  next();
  setInterval(status, 1000);
}

startButton.addEventListener("click", async () => {
  state.tapped = true;
  quiet();
  try { await document.documentElement.requestFullscreen?.(); } catch { /* a browser may refuse */ }
  try { await navigator.wakeLock?.request("screen"); } catch { /* nor is this always allowed */ }
  await sound.unlock();
  status();
});
document.addEventListener("visibilitychange", status);
window.addEventListener("resize", resize);
resize();
requestAnimationFrame(frame);
connect();
