import { encodePng } from './png';

/** Sizes Teams requires: the colour icon 192×192 (symbol in the middle 96×96), the outline 32×32. */
export const COLOR_ICON_SIZE = 192;
export const OUTLINE_ICON_SIZE = 32;
const COLOR_SYMBOL_PADDING = 48;

/** Subsamples per pixel side: enough for smooth edges, and the same image on every machine. */
const SUPERSAMPLING = 4;

type Rgb = readonly [number, number, number];

const WHITE: Rgb = [255, 255, 255];
/** Symbol colour on accents too light for white to read (contrast below 3:1). */
const INK: Rgb = [31, 35, 40];

/**
 * The app's icons, drawn in code from the accent colour so every build gives the same picture:
 * a speech bubble with a cross cut out of it ("talk to the clinic"). The colour icon is the
 * symbol on a full square of the accent (Teams rounds the corners itself); the outline icon is
 * the same symbol in pure white on a transparent background, without padding, as Teams requires.
 */
export function drawAppIcons(accentHex: string): { color: Buffer; outline: Buffer } {
  const accent = parseHex(accentHex);
  const ink = contrastRatio(WHITE, accent) >= 3 ? WHITE : INK;

  const color = Buffer.alloc(COLOR_ICON_SIZE * COLOR_ICON_SIZE * 4);
  const box = COLOR_ICON_SIZE - 2 * COLOR_SYMBOL_PADDING;
  for (let y = 0; y < COLOR_ICON_SIZE; y++) {
    for (let x = 0; x < COLOR_ICON_SIZE; x++) {
      const cover = coverage(x - COLOR_SYMBOL_PADDING, y - COLOR_SYMBOL_PADDING, box);
      const rgb = accent.map((a, i) => Math.round(a + (ink[i] - a) * cover));
      color.set([...rgb, 255], (y * COLOR_ICON_SIZE + x) * 4);
    }
  }

  // Every pixel is white; only alpha varies, so nothing but white and transparency is in the file.
  const outline = Buffer.alloc(OUTLINE_ICON_SIZE * OUTLINE_ICON_SIZE * 4);
  for (let y = 0; y < OUTLINE_ICON_SIZE; y++) {
    for (let x = 0; x < OUTLINE_ICON_SIZE; x++) {
      outline.set([...WHITE, Math.round(255 * coverage(x, y, OUTLINE_ICON_SIZE))], (y * OUTLINE_ICON_SIZE + x) * 4);
    }
  }

  return {
    color: encodePng({ width: COLOR_ICON_SIZE, height: COLOR_ICON_SIZE, pixels: color }),
    outline: encodePng({ width: OUTLINE_ICON_SIZE, height: OUTLINE_ICON_SIZE, pixels: outline }),
  };
}

/** The share of pixel (px, py) covered by the symbol drawn in a box of `size` pixels at the origin. */
function coverage(px: number, py: number, size: number): number {
  let inside = 0;
  for (let sy = 0; sy < SUPERSAMPLING; sy++) {
    for (let sx = 0; sx < SUPERSAMPLING; sx++) {
      if (inSymbol((px + (sx + 0.5) / SUPERSAMPLING) / size, (py + (sy + 0.5) / SUPERSAMPLING) / size)) inside++;
    }
  }
  return inside / (SUPERSAMPLING * SUPERSAMPLING);
}

/** The symbol in unit coordinates (0–1 both ways, y downwards). */
function inSymbol(x: number, y: number): boolean {
  const bubble = inRoundedRect(x, y, 0, 0.04, 1, 0.76, 0.2) || inTriangle(x, y, [0.18, 0.7], [0.46, 0.7], [0.14, 0.96]);
  const cross =
    (Math.abs(x - 0.5) <= 0.2 && Math.abs(y - 0.4) <= 0.07) || (Math.abs(x - 0.5) <= 0.07 && Math.abs(y - 0.4) <= 0.2);
  return bubble && !cross;
}

function inRoundedRect(
  x: number,
  y: number,
  left: number,
  top: number,
  right: number,
  bottom: number,
  r: number,
): boolean {
  if (x < left || x > right || y < top || y > bottom) return false;
  const cx = Math.min(Math.max(x, left + r), right - r);
  const cy = Math.min(Math.max(y, top + r), bottom - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

function inTriangle(
  x: number,
  y: number,
  a: readonly [number, number],
  b: readonly [number, number],
  c: readonly [number, number],
): boolean {
  const side = (p: readonly [number, number], q: readonly [number, number]): number =>
    (q[0] - p[0]) * (y - p[1]) - (q[1] - p[1]) * (x - p[0]);
  const d1 = side(a, b);
  const d2 = side(b, c);
  const d3 = side(c, a);
  return !((d1 < 0 || d2 < 0 || d3 < 0) && (d1 > 0 || d2 > 0 || d3 > 0));
}

function parseHex(hex: string): Rgb {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) throw new RangeError(`not a #RRGGBB colour: ${hex}`);
  return [parseInt(m[1], 16), parseInt(m[2], 16), parseInt(m[3], 16)];
}

/** WCAG 2 contrast ratio between two sRGB colours (1 to 21). */
function contrastRatio(a: Rgb, b: Rgb): number {
  const luminance = (c: Rgb): number => {
    const [r, g, bl] = c.map((v) => {
      const s = v / 255;
      return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (hi + 0.05) / (lo + 0.05);
}
