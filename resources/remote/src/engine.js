// The pacer's motion, light bar and sound times in the client's browser.
//
// A line-by-line port of console/pacer/motion.py, light_bar.py,
// photosensitivity.py and audio.py (sound_events): the page draws each frame
// at the position for the instant it will be shown, with the same formulas as
// the console, so both ends show the same stimulus at the same moment.
// tests/integration/test_remote_page_js.py checks it against the Python
// engine on vectors made from it, in Node.
//
// Times of turns are exact: the speed arrives as the decimal the therapist
// set ("0.7"), held as a ratio of integers, and k / (2 * speed) is one
// correctly rounded division, the same double Python's Fraction gives.

export const MAX_ONSETS_PER_SECOND = 3.0;
export const MIN_ONSET_INTERVAL_S = 1.0 / MAX_ONSETS_PER_SECOND;
export const MAX_LEDS = 24;

function ratio(decimal) {
  // "0.7" -> [7, 10]; the decimal as written, never the nearest binary float.
  const text = String(decimal);
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) throw new Error(`not a plain decimal: ${text}`);
  const places = match[2] ? match[2].length : 0;
  const numerator = Number(match[1] + (match[2] || ""));
  return [numerator, 10 ** places];
}

function endPoint(path, side) {
  if (path === "vertical") return [0.0, side];
  if (path === "diagonal_up") return [side, side];
  if (path === "diagonal_down") return [side, -side];
  return [side, 0.0];
}

function ease(u) {
  return 0.5 * (1.0 - Math.cos(Math.PI * u));
}

export function sideOfTurn(k) {
  return k % 2 ? "right" : "left";
}

export function checkSideRate(speedHz) {
  if (speedHz > MAX_ONSETS_PER_SECOND) {
    throw new Error(`${speedHz} Hz is over the photosensitivity limit of ${MAX_ONSETS_PER_SECOND}`);
  }
}

export class Motion {
  // settings: the console's PacerSettings as sent: speed_hz as the decimal the therapist
  // set, and passes (a whole number, or null for an open set) as the console counted them,
  // so a limit in seconds rounds to the same turn on both ends.
  constructor(settings) {
    this.settings = settings;
    checkSideRate(Number(settings.speed_hz));
    [this.num, this.den] = ratio(settings.speed_hz);
    this.speedHz = this.num / this.den;
    this.passS = this.den / (2 * this.num);
    if (settings.passes !== null && !Number.isInteger(settings.passes)) {
      throw new Error("passes must be a whole number or null");
    }
    this.passes = settings.passes;
    this.durationS = this.passes === null ? null : this.turnTime(this.passes);
  }

  turnTime(k) {
    return (k * this.den) / (2 * this.num);
  }

  midlineTime(k) {
    return ((2 * k + 1) * this.den) / (4 * this.num);
  }

  passesCompleted(t) {
    // The most turns whose time is at or before t: the same count as the console's.
    if (t <= 0) return 0;
    let k = Math.max(0, Math.floor(t * 2 * this.speedHz) - 1);
    while (this.turnTime(k + 1) <= t) k += 1;
    while (k > 0 && this.turnTime(k) > t) k -= 1;
    return this.passes === null ? k : Math.min(k, this.passes);
  }

  ended(t) {
    return this.durationS !== null && t >= this.durationS;
  }

  position(t) {
    const { path, ending, profile } = this.settings;
    if (t <= 0) return endPoint(path, -1.0);
    const k = this.passesCompleted(t);
    const heading = k % 2 ? -1.0 : 1.0;
    const passes = this.passes;
    if (passes !== null && k >= passes) {
      if (ending === "ease_to_centre") return [0.0, 0.0];
      return endPoint(path, -heading);
    }
    const u = Math.min(1.0, (t - this.turnTime(k)) / this.passS);
    if (passes !== null && k === passes - 1 && ending === "ease_to_centre") {
      const amplitude = 1.0 - ease(u);
      const [x, y] = endPoint(path, -heading);
      return [amplitude * x, amplitude * y];
    }
    const sinusoidal = profile === "sinusoidal";
    if (path === "circle" || path === "figure_eight") {
      const phi = Math.PI * (sinusoidal ? ease(u) : u);
      const y = path === "circle" ? heading * Math.sin(phi) : 0.5 * Math.sin(2.0 * phi);
      return [-heading * Math.cos(phi), y];
    }
    const s = sinusoidal ? -heading * Math.cos(Math.PI * u) : heading * (2.0 * u - 1.0);
    return endPoint(path, s);
  }

  xProgress(x) {
    const sinusoidal = this.settings.profile === "sinusoidal";
    if (this.settings.path === "circle" || this.settings.path === "figure_eight") {
      const phi = Math.acos(-x);
      return sinusoidal ? Math.acos(1.0 - (2.0 * phi) / Math.PI) / Math.PI : phi / Math.PI;
    }
    return sinusoidal ? Math.acos(-x) / Math.PI : (x + 1.0) / 2.0;
  }
}

function minLedOnsetInterval(leds, motion) {
  const period = motion.den / motion.num;
  const onePass = period / 2.0;
  const bounds = Array.from({ length: leds + 1 }, (_, i) => -1.0 + (2.0 * i) / leds);
  let shortest = period;
  if (leds > 1) shortest = Math.min(shortest, onePass * (2.0 - motion.xProgress(bounds[1])));
  for (let j = 1; j < leds - 1; j += 1) {
    const going = onePass * motion.xProgress(bounds[j]);
    const coming = onePass * (2.0 - motion.xProgress(bounds[j + 1]));
    shortest = Math.min(shortest, coming - going, period - (coming - going));
  }
  return shortest;
}

export function lightBarLeds(motion) {
  // The most LEDs for which no LED switches on more than three times a second.
  let most = 1;
  for (let n = 1; n <= MAX_LEDS; n += 1) {
    if (minLedOnsetInterval(n, motion) >= MIN_ONSET_INTERVAL_S) most = n;
  }
  return most;
}

export function lightBarLit(motion, leds, t) {
  // The side LED stays lit through an eased glide, the centre one at rest (as the console).
  const { passes, durationS } = motion;
  if (motion.settings.ending === "ease_to_centre" && passes && durationS !== null) {
    const glideStart = motion.turnTime(passes - 1);
    if (glideStart <= t && t < durationS) t = glideStart;
    else if (t >= durationS) t = durationS;
  }
  const x = motion.position(t)[0];
  return Math.min(leds - 1, Math.max(0, Math.floor(((x + 1.0) / 2.0) * leds)));
}

export function soundEvents(motion, t0, t1) {
  // The sounded events with t0 <= time < t1, in order: [time, side].
  const s = motion.settings;
  if (s.sound === "off" || t1 <= t0) return [];
  const passes = motion.passes;
  const sounded = passes === null ? null : passes - (s.ending === "ease_to_centre" ? 1 : 0);
  const first = Math.max(0, Math.floor(t0 * 2 * motion.speedHz) - 1);
  const last = Math.ceil(t1 * 2 * motion.speedHz) + 1;
  const events = [];
  for (let k = first; k <= last; k += 1) {
    let time;
    let side;
    if (s.sound_at === "turn") {
      if (k < 1 || (sounded !== null && k > sounded)) continue;
      time = motion.turnTime(k);
      side = sideOfTurn(k);
    } else {
      if (sounded !== null && k >= sounded) continue;
      time = motion.midlineTime(k);
      side = sideOfTurn(k + 1);
    }
    if (t0 <= time && time < t1) events.push([time, side]);
  }
  return events;
}
