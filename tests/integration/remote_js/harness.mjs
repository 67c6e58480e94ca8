// Runs the client page's modules in Node for tests/integration/test_remote_page_js.py.
// node harness.mjs <engine|seal|open|clock> <input.json>; prints one JSON value.
import { readFileSync } from "node:fs";
import { Motion, lightBarLeds, lightBarLit, soundEvents } from "../../../resources/remote/src/engine.js";
import { Opener, Sealer, linkFromFragment } from "../../../resources/remote/src/sealing.js";
import { ClockEstimate } from "../../../resources/remote/src/clock.js";

const [command, file] = process.argv.slice(2);
const input = JSON.parse(readFileSync(file, "utf-8"));
const b64 = (bytes) => Buffer.from(bytes).toString("base64");
const unb64 = (text) => new Uint8Array(Buffer.from(text, "base64"));

async function engine() {
  return input.map(({ settings, times, xs, windows }) => {
    const motion = new Motion(settings);
    const leds = lightBarLeds(motion);
    return {
      positions: times.map((t) => motion.position(t)),
      completed: times.map((t) => motion.passesCompleted(t)),
      lit: times.map((t) => lightBarLit(motion, leds, t)),
      progress: xs.map((x) => motion.xProgress(x)),
      leds,
      duration: motion.durationS,
      sounds: windows.map(([t0, t1]) => soundEvents(motion, t0, t1)),
    };
  });
}

async function seal() {
  const link = await linkFromFragment(input.fragment);
  const sealer = new Sealer(link, input.sender);
  const out = [];
  for (const message of input.messages) out.push(b64(await sealer.seal(message)));
  return out;
}

async function open() {
  const link = await linkFromFragment(input.fragment);
  const opener = new Opener(link, input.expect);
  const out = [];
  for (const data of input.messages) {
    try {
      out.push({ message: await opener.open(unb64(data)) });
    } catch (error) {
      out.push({ refused: String(error.message) });
    }
  }
  return out;
}

async function clock() {
  const estimate = new ClockEstimate(input.keep);
  const out = [];
  for (const [t0, t1, t2, t3] of input.trips) {
    estimate.add(t0, t1, t2, t3);
    out.push([estimate.offset, estimate.uncertainty]);
  }
  return out;
}

const commands = { engine, seal, open, clock };
process.stdout.write(JSON.stringify(await commands[command]()));
