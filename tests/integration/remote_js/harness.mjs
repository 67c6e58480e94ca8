// Runs the client page's modules in Node for tests/integration/test_remote_page_js.py.
// node harness.mjs <engine|seal|open|clock|wire> <input.json>; prints one JSON value.
import { readFileSync } from "node:fs";
import { Motion, lightBarLeds, lightBarLit, soundEvents } from "../../../resources/remote/src/engine.js";
import { Opener, Sealer, linkFromFragment } from "../../../resources/remote/src/sealing.js";
import { ClockEstimate } from "../../../resources/remote/src/clock.js";
import { SocketStamps } from "../../../resources/remote/src/wire.js";

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

// Frames through a stand-in WebSocket at given page times; when each message went and came.
async function wire() {
  globalThis.WebSocket = class {
    addEventListener(type, listener) { if (type === "message") this.listener = listener; }
    send() {}
  };
  let now = 0;
  const stamps = new SocketStamps(() => now);
  const socket = stamps.socket("ws://stand-in/mqtt", ["mqtt"]);
  for (const { at, way, frame } of input.frames) {
    now = at;
    if (way === "out") socket.send(Buffer.from(unb64(frame)));
    else socket.listener({ data: unb64(frame).buffer });
  }
  now = 1e9; // asked later, as the page asks once a pong is opened
  return input.messages.map((m) => [stamps.sentAt(unb64(m)), stamps.receivedAt(unb64(m))]);
}

const commands = { engine, seal, open, clock, wire };
process.stdout.write(JSON.stringify(await commands[command]()));
