/**
 * A raw DEFLATE (RFC 1951) decoder, synchronous and dependency-free: the kernel module is
 * embedded deflated (scripts/build-wasm.mjs), because base64 of the plain module gzips
 * ~30% worse than the module itself, while base64 of deflated bytes gzips to about their
 * own size. Canonical Huffman codes decoded bit by bit (as zlib's `puff.c`): a few ms for
 * the module, once per process.
 */

/** Length codes 257–285: base lengths and extra bits. */
const LENGTH_BASE = [
  3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131,
  163, 195, 227, 258,
];
const LENGTH_EXTRA = [
  0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
];
/** Distance codes 0–29: base distances and extra bits. */
const DIST_BASE = [
  1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049,
  3073, 4097, 6145, 8193, 12289, 16385, 24577,
];
const DIST_EXTRA = [
  0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13,
];
/** The order in which a dynamic block lists the code lengths of its code-length code. */
const CODE_LENGTH_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

/** A canonical Huffman code: how many codes of each length, and the symbols in code order. */
interface Huffman {
  counts: Uint16Array;
  symbols: Uint16Array;
}

function huffman(lengths: ArrayLike<number>): Huffman {
  const counts = new Uint16Array(16);
  for (let s = 0; s < lengths.length; s++) counts[lengths[s]!]!++;
  counts[0] = 0;
  const offsets = new Uint16Array(16);
  for (let len = 1; len < 15; len++) offsets[len + 1] = offsets[len]! + counts[len]!;
  const symbols = new Uint16Array(lengths.length);
  for (let s = 0; s < lengths.length; s++) {
    const len = lengths[s]!;
    if (len) symbols[offsets[len]!++] = s;
  }
  return { counts, symbols };
}

const FIXED_LITERALS = huffman(
  Array.from({ length: 288 }, (_, s) => (s < 144 ? 8 : s < 256 ? 9 : s < 280 ? 7 : 8)),
);
const FIXED_DISTANCES = huffman(new Array<number>(30).fill(5));

/** Inflates raw DEFLATE `input` into exactly `outputLength` bytes; throws on malformed data. */
export function inflateRaw(input: Uint8Array, outputLength: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(outputLength);
  let inPos = 0;
  let outPos = 0;
  let bitBuffer = 0;
  let bitCount = 0;
  const fail = (what: string): never => {
    throw new Error(`inflateRaw: ${what} (input byte ${inPos}, output byte ${outPos})`);
  };

  /** The next n ≤ 16 bits, least significant first. */
  const bits = (n: number): number => {
    while (bitCount < n) {
      if (inPos >= input.length) fail('unexpected end of input');
      bitBuffer |= input[inPos++]! << bitCount;
      bitCount += 8;
    }
    const value = bitBuffer & ((1 << n) - 1);
    bitBuffer >>>= n;
    bitCount -= n;
    return value;
  };

  const decode = (code: Huffman): number => {
    let bitsSoFar = 0; // the code read so far
    let first = 0; // first code of the current length
    let index = 0; // index of that code's symbol
    for (let len = 1; len < 16; len++) {
      bitsSoFar |= bits(1);
      const count = code.counts[len]!;
      if (bitsSoFar - first < count) return code.symbols[index + bitsSoFar - first]!;
      index += count;
      first = (first + count) << 1;
      bitsSoFar <<= 1;
    }
    return fail('invalid Huffman code');
  };

  const dynamicCodes = (): [Huffman, Huffman] => {
    const literalCount = bits(5) + 257;
    const distanceCount = bits(5) + 1;
    const codeLengthCount = bits(4) + 4;
    const codeLengthLengths = new Uint8Array(19);
    for (let i = 0; i < codeLengthCount; i++) codeLengthLengths[CODE_LENGTH_ORDER[i]!] = bits(3);
    const codeLengths = huffman(codeLengthLengths);
    const lengths = new Uint8Array(literalCount + distanceCount);
    for (let i = 0; i < lengths.length;) {
      const symbol = decode(codeLengths);
      if (symbol < 16) {
        lengths[i++] = symbol;
        continue;
      }
      // 16: repeat the previous length 3–6 times; 17, 18: 3–10 or 11–138 zeros.
      const value = symbol === 16 ? (i > 0 ? lengths[i - 1]! : fail('repeat of no length')) : 0;
      const repeat = symbol === 16 ? 3 + bits(2) : symbol === 17 ? 3 + bits(3) : 11 + bits(7);
      if (i + repeat > lengths.length) fail('code lengths overflow');
      lengths.fill(value, i, i + repeat);
      i += repeat;
    }
    return [huffman(lengths.subarray(0, literalCount)), huffman(lengths.subarray(literalCount))];
  };

  let last = 0;
  while (!last) {
    last = bits(1);
    const type = bits(2);
    if (type === 0) {
      // Stored: skip to a byte boundary, LEN and its complement, LEN bytes.
      bitBuffer = 0;
      bitCount = 0;
      const length = input[inPos]! | (input[inPos + 1]! << 8);
      inPos += 4;
      if (inPos + length > input.length || outPos + length > outputLength)
        fail('stored block overflows');
      out.set(input.subarray(inPos, inPos + length), outPos);
      inPos += length;
      outPos += length;
      continue;
    }
    if (type === 3) fail('invalid block type 3');
    const [literals, distances] = type === 1 ? [FIXED_LITERALS, FIXED_DISTANCES] : dynamicCodes();
    for (;;) {
      const symbol = decode(literals);
      if (symbol < 256) {
        if (outPos >= outputLength) fail('output longer than expected');
        out[outPos++] = symbol;
        continue;
      }
      if (symbol === 256) break;
      const lengthCode = symbol - 257;
      if (lengthCode >= 29) fail('invalid length code');
      const length = LENGTH_BASE[lengthCode]! + bits(LENGTH_EXTRA[lengthCode]!);
      const distanceCode = decode(distances);
      if (distanceCode >= 30) fail('invalid distance code');
      const distance = DIST_BASE[distanceCode]! + bits(DIST_EXTRA[distanceCode]!);
      if (distance > outPos || outPos + length > outputLength) fail('invalid back-reference');
      // Byte by byte: a copy may overlap its own output (distance < length).
      for (let k = 0; k < length; k++, outPos++) out[outPos] = out[outPos - distance]!;
    }
  }
  if (outPos !== outputLength) fail(`output is ${outPos} bytes, expected ${outputLength}`);
  return out;
}
