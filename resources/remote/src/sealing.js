// The page's side of console/remote/sealing.py: the same wire format, with WebCrypto.
//
// version (1) | sender (0 console, 1 page) | sequence (8 bytes, big-endian) |
// AES-GCM ciphertext and tag of the JSON text; the nonce is the sender, three
// zero bytes and the sequence; the header and the link id are authenticated.
// A message is taken only if its sequence is above the last one taken from
// that sender, so a replay, a reordering or a reflected message is refused.

export const VERSION = 1;
export const CONSOLE = 0;
export const PAGE = 1;
const HEADER_BYTES = 10;
const TAG_BYTES = 16;
const MAX_MESSAGE_BYTES = 64 * 1024;

export class RefusedMessage extends Error {}

export function fromB64url(text) {
  const b64 = text.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (text.length % 4)) % 4);
  const raw = atob(b64);
  return Uint8Array.from(raw, (c) => c.charCodeAt(0));
}

export async function linkFromFragment(fragment) {
  const [linkText, keyText] = fragment.replace(/^#/, "").split(".");
  let linkId;
  let keyBytes;
  try {
    linkId = fromB64url(linkText || "");
    keyBytes = fromB64url(keyText || "");
  } catch {
    throw new RefusedMessage("the link is not one this console made");
  }
  if (linkId.length !== 16 || keyBytes.length !== 32) {
    throw new RefusedMessage("the link is not one this console made");
  }
  const key = await crypto.subtle.importKey("raw", keyBytes, "AES-GCM", false, [
    "encrypt",
    "decrypt",
  ]);
  return { linkId, key, topicId: linkText };
}

function header(sender, sequence) {
  const bytes = new Uint8Array(HEADER_BYTES);
  bytes[0] = VERSION;
  bytes[1] = sender;
  new DataView(bytes.buffer).setBigUint64(2, BigInt(sequence));
  return bytes;
}

function nonce(sender, sequence) {
  const bytes = new Uint8Array(12);
  bytes[0] = sender;
  new DataView(bytes.buffer).setBigUint64(4, BigInt(sequence));
  return bytes;
}

function joined(a, b) {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

export class Sealer {
  constructor(link, sender) {
    this.link = link;
    this.sender = sender;
    this.sequence = 0;
  }

  async seal(message) {
    this.sequence += 1;
    const head = header(this.sender, this.sequence);
    const text = new TextEncoder().encode(JSON.stringify(message));
    const sealed = await crypto.subtle.encrypt(
      { name: "AES-GCM", iv: nonce(this.sender, this.sequence), additionalData: joined(head, this.link.linkId) },
      this.link.key,
      text,
    );
    return joined(head, new Uint8Array(sealed));
  }
}

export class Opener {
  constructor(link, expect) {
    this.link = link;
    this.expect = expect;
    this.last = 0n;
  }

  async open(data) {
    const bytes = new Uint8Array(data);
    if (bytes.length < HEADER_BYTES + TAG_BYTES || bytes.length > MAX_MESSAGE_BYTES) {
      throw new RefusedMessage("a message of an impossible length");
    }
    if (bytes[0] !== VERSION) throw new RefusedMessage(`a message of version ${bytes[0]}`);
    if (bytes[1] !== this.expect) throw new RefusedMessage("a message from the wrong end of the link");
    const sequence = new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(2);
    if (sequence <= this.last) {
      throw new RefusedMessage("a message already taken, or older than one taken (a replay)");
    }
    const head = bytes.slice(0, HEADER_BYTES);
    let text;
    try {
      text = await crypto.subtle.decrypt(
        { name: "AES-GCM", iv: nonce(bytes[1], sequence), additionalData: joined(head, this.link.linkId) },
        this.link.key,
        bytes.slice(HEADER_BYTES),
      );
    } catch {
      throw new RefusedMessage("a message not sealed with this link's key");
    }
    let message;
    try {
      message = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(text));
    } catch {
      throw new RefusedMessage("a sealed message that is not JSON");
    }
    if (message === null || typeof message !== "object" || Array.isArray(message)) {
      throw new RefusedMessage("a sealed message that is not an object");
    }
    this.last = sequence;
    return message;
  }
}
