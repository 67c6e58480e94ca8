// When the client's screen shows a frame, as the browser itself reports it.
//
// A frame is drawn for the moment it will be seen, so the page needs the delay
// from requestAnimationFrame's time to the screen. It differs by device and
// from run to run (a compositor may show a frame in the same refresh or the
// next), so it is measured during the set: every half second the page puts a
// one-pixel dot, in the background's colour, into the frame it is drawing, as
// an Element Timing probe, and the browser reports that frame's
// presentationTime (Chromium and Edge; the others report none, and the page
// assumes one refresh). The browser coarsens that time to 4 ms, and the frames
// fall at every phase of the 4 ms, so the mean of recent delays is the delay
// (bench/remote_pacer_bench.py checks it against the screen's own pixels); the
// quarter of them at either end are left out, so a frame that came late under
// load does not pull the rest.

const EVERY_MS = 500;
const MOST_MS = 250;

export class PictureDelay {
  constructor(parent, keep = 24) {
    this.parent = parent;
    this.keep = keep;
    this.delays = [];
    this.drawnAt = new Map();
    this.lastProbe = -Infinity;
    this.serial = 0;
    this.supported = "PerformanceObserver" in globalThis
      && (PerformanceObserver.supportedEntryTypes || []).includes("element");
    if (this.supported) {
      new PerformanceObserver((list) => this.#take(list.getEntries())).observe({ type: "element" });
    }
  }

  // Puts a probe into the frame of requestAnimationFrame time `ts`, every half second.
  probe(ts, colour) {
    if (!this.supported || ts - this.lastProbe < EVERY_MS) return;
    this.lastProbe = ts;
    this.serial += 1;
    const id = `frame-${this.serial}`;
    const dot = document.createElement("span");
    dot.className = "probe";
    dot.setAttribute("elementtiming", id);
    dot.setAttribute("aria-hidden", "true");
    dot.style.color = colour;
    dot.textContent = ".";
    this.parent.replaceChildren(dot);
    this.drawnAt.set(id, ts);
    if (this.drawnAt.size > 8) this.drawnAt.delete(this.drawnAt.keys().next().value);
  }

  #take(entries) {
    for (const entry of entries) {
      const ts = this.drawnAt.get(entry.identifier);
      this.drawnAt.delete(entry.identifier);
      const shown = entry.presentationTime;
      if (ts === undefined || !shown) continue;
      const delay = shown - ts;
      if (delay < 0 || delay > MOST_MS) continue;
      this.delays.push(delay);
      if (this.delays.length > this.keep) this.delays.shift();
    }
  }

  // The measured delay in ms, or null before there are enough probes to trust.
  get ms() {
    if (this.delays.length < 4) return null;
    const sorted = [...this.delays].sort((a, b) => a - b);
    const cut = Math.floor(sorted.length / 4);
    const middle = sorted.slice(cut, sorted.length - cut);
    return middle.reduce((sum, d) => sum + d, 0) / middle.length;
  }
}
