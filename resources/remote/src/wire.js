// When the page's socket really sent and received each message, for the clock's round trips.
//
// MQTT.js hands a publish to its socket through a stream that may wait a task or more, and
// hands an arrival on only after parsing it, behind whatever else the page's main thread
// is doing. A round trip timed at MQTT.js's edges counts those waits as the network's, and
// they are not the same each way, so the estimate of the console's clock leans. The page's
// socket is therefore MQTT.js's own WebSocket, stamped at send() and at each frame's
// arrival; a message is found among the frames by its last bytes, its seal's tag.

const TAG_BYTES = 16;
const KEEP = 32;
// A ping or a pong is about 150 bytes framed, a status report some 500; a bigger frame
// is stamped but not kept or searched, so a large message costs the page nothing here.
const MAX_FRAME_BYTES = 4096;

function bytesOf(data) {
  const size = data?.byteLength ?? String(data).length;
  if (size > MAX_FRAME_BYTES) return new Uint8Array(0);
  if (data instanceof ArrayBuffer) return new Uint8Array(data.slice(0));
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
  return new TextEncoder().encode(String(data));
}

// Whether `frame` carries the message whose sealed bytes are `payload` (both Uint8Array).
export function carries(frame, payload) {
  const n = Math.min(TAG_BYTES, payload.length);
  if (n === 0) return false;
  const tail = payload.subarray(payload.length - n);
  for (let i = frame.length - n; i >= 0; i -= 1) {
    let j = 0;
    while (j < n && frame[i + j] === tail[j]) j += 1;
    if (j === n) return true;
  }
  return false;
}

export class SocketStamps {
  constructor(now = () => performance.now() / 1000) {
    this.now = now;
    this.sent = [];
    this.received = [];
  }

  note(frames, data) {
    frames.push({ at: this.now(), bytes: bytesOf(data) });
    if (frames.length > KEEP) frames.shift();
  }

  // The page time the frame carrying `payload` left, or null if none has yet.
  sentAt(payload) {
    return SocketStamps.#find(this.sent, payload);
  }

  // The page time the frame carrying `payload` came in, or null if it is not among them.
  receivedAt(payload) {
    return SocketStamps.#find(this.received, payload);
  }

  static #find(frames, payload) {
    for (let i = frames.length - 1; i >= 0; i -= 1) {
      if (carries(frames[i].bytes, payload)) return frames[i].at;
    }
    return null;
  }

  // A WebSocket for MQTT.js's `createWebsocket` that stamps every frame.
  socket(url, protocols) {
    const socket = new WebSocket(url, protocols);
    socket.addEventListener("message", (event) => this.note(this.received, event.data));
    const send = socket.send.bind(socket);
    socket.send = (data) => {
      this.note(this.sent, data);
      send(data);
    };
    return socket;
  }
}
