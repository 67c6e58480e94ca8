// The page's estimate of the console's clock, from round trips as NTP takes them.
//
// Each round trip gives four times: t0 the page sent (page clock), t1 the
// console received and t2 it answered (console clock), t3 the page received.
// With θ the true offset (console time = page time + θ):
//   t1 - t0 = θ + (the way up),   t3 - t2 = -θ + (the way down).
// A congested path is seldom quick both ways in the same round trip, but each
// way is often quick on its own; so the quickest way up and the quickest way
// down among the recent trips are taken apart, and
//   offset = (min(t1 - t0) - min(t3 - t2)) / 2.
// Whatever the split, θ lies within (min(t1 - t0) + min(t3 - t2)) / 2 of
// that, never more than half the quickest single round trip: that is the
// uncertainty the therapist is shown. The two clocks' drift over the kept
// trips (a minute at 1 s, some 20 µs a second between two crystals) is well
// under a millisecond.

export class ClockEstimate {
  constructor(keep = 32) {
    this.keep = keep;
    this.samples = [];
  }

  add(t0, t1, t2, t3) {
    const up = t1 - t0;
    const down = t3 - t2;
    const delay = up + down;
    if (!(delay >= 0) || !Number.isFinite(delay) || !(t2 >= t1)) return; // a clock that jumped
    this.samples.push({ up, down });
    if (this.samples.length > this.keep) this.samples.shift();
  }

  get ready() {
    return this.samples.length > 0;
  }

  #quickest() {
    let up = Infinity;
    let down = Infinity;
    for (const s of this.samples) {
      up = Math.min(up, s.up);
      down = Math.min(down, s.down);
    }
    return { up, down };
  }

  get offset() {
    if (!this.ready) return null;
    const { up, down } = this.#quickest();
    return (up - down) / 2;
  }

  get uncertainty() {
    if (!this.ready) return null;
    const { up, down } = this.#quickest();
    return Math.max(0, (up + down) / 2);
  }

  consoleTime(pageTime) {
    return pageTime + this.offset;
  }
}
