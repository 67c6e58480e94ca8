// The stimulus on the page's canvas, as ui/pacer/stimulus.py draws it on the console's screen.
import { lightBarLit } from "./engine.js";

export function centreOf(motion, settings, width, height, t) {
  const [x, y] = motion.position(t === null ? 0.0 : t);
  const size = settings.size_px;
  const reachX = Math.max(0, (width * settings.sweep_percent) / 200 - size / 2);
  const reachY = Math.max(0, (height * settings.sweep_percent) / 200 - size / 2);
  return [width / 2 + x * reachX, height / 2 - y * reachY];
}

function lightBar(ctx, motion, settings, leds, width, height, t) {
  const lit = t === null ? -1 : lightBarLit(motion, leds, t);
  const span = (width * settings.sweep_percent) / 100;
  const step = span / leds;
  const left = (width - span) / 2;
  const size = settings.size_px;
  for (let i = 0; i < leds; i += 1) {
    ctx.globalAlpha = i === lit ? 1.0 : 40 / 255;
    ctx.beginPath();
    ctx.roundRect(left + i * step + step * 0.15, height / 2 - size / 2, step * 0.7, size, 4);
    ctx.fill();
  }
  ctx.globalAlpha = 1.0;
}

// Where one frame's stimulus lies, with a margin for its antialiased edge: [x, y, w, h].
function boxOf(settings, width, height, x, y) {
  const size = settings.size_px;
  const m = 2;
  if (settings.shape === "light_bar") {
    const span = (width * settings.sweep_percent) / 100;
    return [(width - span) / 2 - m, height / 2 - size / 2 - m, span + 2 * m, size + 2 * m];
  }
  if (settings.shape === "vertical_bar") return [x - size / 4 - m, 0, size / 2 + 2 * m, height];
  return [x - size / 2 - m, y - size / 2 - m, size + 2 * m, size + 2 * m];
}

function drawStimulus(ctx, motion, settings, leds, width, height, t, x, y) {
  ctx.fillStyle = settings.colour;
  const size = settings.size_px;
  if (settings.shape === "light_bar") {
    lightBar(ctx, motion, settings, leds, width, height, t);
  } else if (settings.shape === "square") {
    ctx.fillRect(x - size / 2, y - size / 2, size, size);
  } else if (settings.shape === "vertical_bar") {
    ctx.fillRect(x - size / 4, 0, size / 2, height);
  } else {
    ctx.beginPath();
    ctx.arc(x, y, size / 2, 0, 2 * Math.PI);
    ctx.fill();
  }
}

function union(a, b) {
  const x = Math.floor(Math.min(a[0], b[0]));
  const y = Math.floor(Math.min(a[1], b[1]));
  const right = Math.ceil(Math.max(a[0] + a[2], b[0] + b[2]));
  const bottom = Math.ceil(Math.max(a[1] + a[3], b[1] + b[3]));
  return [x, y, right - x, bottom - y];
}

// Paints the stimulus frame by frame, repainting only where it was and where it is now: a
// full-screen repaint every frame is most of what a page like this costs a device, and a
// frame that would look the same as the last is not painted at all.
export class Painter {
  constructor(ctx) {
    this.ctx = ctx;
    this.invalidate();
  }

  // The next frame repaints the whole canvas (after a resize, which clears it).
  invalidate() {
    this.last = null;
  }

  // Paints one frame for set time t (null: waiting where the next set starts); returns the
  // stimulus's centre.
  frame(motion, settings, leds, width, height, t) {
    const [cx, cy] = centreOf(motion, settings, width, height, t);
    const x = Math.round(cx);
    const y = Math.round(cy);
    const box = boxOf(settings, width, height, x, y);
    const last = this.last;
    const same = last !== null && last.settings === settings && last.width === width && last.height === height;
    if (same && last.t === t) return [cx, cy];
    const ctx = this.ctx;
    const region = same ? union(last.box, box) : [0, 0, width, height];
    ctx.save();
    ctx.beginPath();
    ctx.rect(...region);
    ctx.clip();
    ctx.fillStyle = settings.background;
    ctx.fillRect(...region);
    drawStimulus(ctx, motion, settings, leds, width, height, t, x, y);
    ctx.restore();
    this.last = { settings, width, height, t, box };
    return [cx, cy];
  }
}
