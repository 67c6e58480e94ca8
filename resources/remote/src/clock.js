// The page's estimate of the console's clock, as NTP makes it.
//
// Each round trip gives four times: t0 the page sent (page clock), t1 the
// console received and t2 it answered (console clock), t3 the page received.
// offset = ((t1 - t0) + (t2 - t3)) / 2 and delay = (t3 - t0) - (t2 - t1).
// Whatever the split of the delay between the two ways, the true offset lies
// within delay / 2 of the estimate, so the round trip with the least delay
// among the recent ones is kept, and delay / 2 is the uncertainty the
// therapist is shown. console time = page time + offset.

export class ClockEstimate {
  constructor(keep = 32) {
    this.keep = keep;
    this.samples = [];
  }

  add(t0, t1, t2, t3) {
    const delay = t3 - t0 - (t2 - t1);
    if (!(delay >= 0) || !Number.isFinite(delay)) return; // a clock that jumped, not a sample
    this.samples.push({ offset: (t1 - t0 + (t2 - t3)) / 2, delay });
    if (this.samples.length > this.keep) this.samples.shift();
  }

  get best() {
    let best = null;
    for (const s of this.samples) if (best === null || s.delay < best.delay) best = s;
    return best;
  }

  get ready() {
    return this.samples.length > 0;
  }

  get offset() {
    const best = this.best;
    return best === null ? null : best.offset;
  }

  get uncertainty() {
    const best = this.best;
    return best === null ? null : best.delay / 2;
  }

  consoleTime(pageTime) {
    return pageTime + this.offset;
  }
}
