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

// Draws one frame for set time t (null: waiting where the next set starts); returns the centre.
export function drawFrame(ctx, motion, settings, leds, width, height, t) {
  ctx.fillStyle = settings.background;
  ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = settings.colour;
  const size = settings.size_px;
  const [cx, cy] = centreOf(motion, settings, width, height, t);
  const x = Math.round(cx);
  const y = Math.round(cy);
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
  return [cx, cy];
}
