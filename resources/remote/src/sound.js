// Tones and vibration on the client's device, each at its exact instant.
//
// The console's set time maps to the page's clock through the clock estimate,
// and the page's clock to the audio clock through getOutputTimestamp(), which
// says which audio-context time is being heard at which performance time. So
// a tone is scheduled on the audio clock for the moment it should be heard,
// less the device's calibration offset, hard left or right (the other channel
// silent), with the console's envelope: 80 ms tones with 10 ms raised-cosine
// ramps, or a 3 ms click of 2 kHz under a Hann window.
import { soundEvents } from "./engine.js";

const TONE_S = 0.08;
const TONE_RAMP_S = 0.01;
const CLICK_S = 0.003;
const CLICK_HZ = 2000.0;
const LOOKAHEAD_S = 0.4;

function raisedCosine(n, ramp) {
  const curve = new Float32Array(n);
  for (let i = 0; i < n; i += 1) {
    const up = i < ramp ? 0.5 * (1 - Math.cos((Math.PI * (i + 0.5)) / ramp)) : 1;
    const down = i >= n - ramp ? 0.5 * (1 - Math.cos((Math.PI * (n - i - 0.5)) / ramp)) : 1;
    curve[i] = Math.min(up, down);
  }
  return curve;
}

// How long after the client's tap the page waits for a game controller to be woken (a
// browser shows one only once a button on it is pressed); a reload waits again.
export const CONTROLLER_WAIT_MS = 10_000;

export class Sound {
  constructor() {
    this.context = null;
    this.scheduledUntil = -Infinity;
    this.pads = 0; // game controllers connected
    this.onPad = () => { this.pads += 1; };
    this.offPad = () => { this.pads = Math.max(0, this.pads - 1); };
    globalThis.addEventListener?.("gamepadconnected", this.onPad);
    globalThis.addEventListener?.("gamepaddisconnected", this.offPad);
    this.waitingForPads = null;
    this.ahead = []; // tones scheduled and not yet heard: { source, perfMs }
    this.buzzes = []; // rumbles asked for and not yet felt: { side, perfMs }
  }

  // Must run inside the client's tap: browsers allow sound only after one.
  unlock() {
    if (this.context === null) {
      this.context = new AudioContext({ latencyHint: "interactive" });
      this.merger = this.context.createChannelMerger(2);
      this.merger.connect(this.context.destination);
    }
    this.waitingForPads ??= setTimeout(() => this.#letPadsGo(), CONTROLLER_WAIT_MS);
    return this.context.resume();
  }

  // While a page listens for game controllers, Chromium polls for them in its browser
  // process (1.3 % of a core here): a device with none stops paying once the wait is over.
  #letPadsGo() {
    if (this.pads > 0) return;
    globalThis.removeEventListener?.("gamepadconnected", this.onPad);
    globalThis.removeEventListener?.("gamepaddisconnected", this.offPad);
  }

  // A new state from set time `from` on: what sounds before it was the old state's.
  reset(from = -Infinity) {
    this.scheduledUntil = from;
  }

  // A change of state is due at page time `perfMs` (a pause, a stop, new settings): tones
  // the old state scheduled from then on are taken back, so none sounds after a stop.
  cancelFrom(perfMs) {
    const now = performance.now();
    this.ahead = this.ahead.filter(({ source, perfMs: at }) => {
      if (at < now) return false;
      if (at < perfMs) return true;
      source.stop();
      return false;
    });
    this.buzzes = this.buzzes.filter((buzz) => buzz.perfMs >= now);
    if (this.buzzes.some((buzz) => buzz.perfMs >= perfMs)) {
      // A controller can only drop all it was asked for: the rumbles before the change are
      // asked for again.
      for (const pad of navigator.getGamepads()) pad?.vibrationActuator?.reset?.();
      this.buzzes = this.buzzes.filter((buzz) => buzz.perfMs < perfMs);
      for (const buzz of this.buzzes) this.#buzz(buzz.side, buzz.perfMs);
    }
  }

  // The audio-context time at which performance time `perfMs` is heard.
  audioTimeAt(perfMs) {
    const stamp = this.context.getOutputTimestamp();
    if (!stamp.performanceTime) {
      return this.context.currentTime + this.context.outputLatency + (perfMs - performance.now()) / 1000;
    }
    return stamp.contextTime + (perfMs - stamp.performanceTime) / 1000;
  }

  // Schedules what sounds between set times [from, from + lookahead), before page time
  // `untilPerfMs` (the next change of state): call every frame.
  schedule(motion, settings, setTimeNow, perfAtSetTime, untilPerfMs = Infinity) {
    if (this.context === null || this.context.state !== "running") return;
    const t0 = Math.max(setTimeNow, this.scheduledUntil);
    const t1 = setTimeNow + LOOKAHEAD_S;
    if (t1 <= t0) return;
    for (const [time, side] of soundEvents(motion, t0, t1)) {
      if (perfAtSetTime(time) >= untilPerfMs) break;
      const perfMs = perfAtSetTime(time) - settings.audio_offset_ms;
      const source = this.#tone(settings, side, this.audioTimeAt(perfMs));
      if (source) this.ahead.push({ source, perfMs });
      if (this.#buzz(side, perfMs)) this.buzzes.push({ side, perfMs });
    }
    this.scheduledUntil = t1;
  }

  #tone(settings, side, at) {
    if (settings.sound === "off" || at < this.context.currentTime) return null;
    const click = settings.sound === "click";
    const length = click ? CLICK_S : TONE_S;
    const rate = this.context.sampleRate;
    const n = Math.max(2, Math.round(length * rate));
    const envelope = click ? raisedCosine(n, Math.floor(n / 2)) : raisedCosine(n, Math.round(TONE_RAMP_S * rate));
    const buffer = this.context.createBuffer(1, n, rate);
    const data = buffer.getChannelData(0);
    const hz = click ? CLICK_HZ : settings.tone_hz;
    for (let i = 0; i < n; i += 1) {
      data[i] = settings.volume * envelope[i] * Math.sin((2 * Math.PI * hz * (i + 0.5)) / rate);
    }
    const source = this.context.createBufferSource();
    source.buffer = buffer;
    source.connect(this.merger, 0, side === "left" ? 0 : 1);
    source.start(at);
    return source;
  }

  // A controller in each hand (or one, its two motors) buzzes on the side the stimulus reaches.
  #buzz(side, perfMs) {
    if (this.pads === 0 || !navigator.getGamepads) return false;
    const pads = [...navigator.getGamepads()].filter((p) => p && p.vibrationActuator);
    if (pads.length === 0) return false;
    const delay = Math.max(0, perfMs - performance.now());
    const left = side === "left";
    const effect = { startDelay: delay, duration: TONE_S * 1000 };
    if (pads.length >= 2) {
      pads[left ? 0 : 1].vibrationActuator.playEffect("dual-rumble", {
        ...effect, strongMagnitude: 1.0, weakMagnitude: 1.0,
      });
    } else {
      pads[0].vibrationActuator.playEffect("dual-rumble", {
        ...effect, strongMagnitude: left ? 1.0 : 0.0, weakMagnitude: left ? 0.0 : 1.0,
      });
    }
    return true;
  }
}
