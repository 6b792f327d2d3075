/**
 * Readable badges (issue 13): Mantine's `light` variant with a shade ("green.9") paints the background in that shade
 * and the text in the colour's light-colour — also shade 9 — so the text vanished. Every `light` badge, button or
 * alert here gets a pale tint of its colour behind text that is a dark shade of the same colour, darkened further
 * until it reaches WCAG AA contrast (4.5:1) against that tint; other variants keep Mantine's colours.
 */
import { defaultVariantColorsResolver, parseThemeColor, type VariantColorsResolver } from '@mantine/core';

type Rgb = [number, number, number];

export function hexToRgb(hex: string): Rgb | null {
  const m = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(hex.trim());
  if (!m) return null;
  const h = m[1].length === 3 ? m[1].split('').map((c) => c + c).join('') : m[1];
  return [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16)) as Rgb;
}
const toHex = (c: Rgb) => `#${c.map((v) => Math.max(0, Math.min(255, Math.round(v))).toString(16).padStart(2, '0')).join('')}`;

/** WCAG relative luminance of an sRGB colour (0–255 channels). */
export function luminance([r, g, b]: Rgb): number {
  const lin = (v: number) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}
/** WCAG contrast ratio of two colours (1–21). */
export function contrastRatio(a: Rgb, b: Rgb): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** `fg`, darkened step by step until it reads on `bg` at `min`:1 (with a little margin for rounding). */
export function readableOn(bg: string, fg: string, min = 4.5): string {
  const b = hexToRgb(bg), f = hexToRgb(fg);
  if (!b || !f) return fg;
  let c: Rgb = f;
  for (let i = 0; i < 40 && contrastRatio(b, c) < min + 0.1; i++) c = c.map((v) => v * 0.92) as Rgb;
  return toHex(c);
}

export const variantColorResolver: VariantColorsResolver = (input) => {
  const base = defaultVariantColorsResolver(input);
  if (input.variant !== 'light') return base;
  const parsed = parseThemeColor({ color: input.color || input.theme.primaryColor, theme: input.theme });
  if (!parsed.isThemeColor) return base;
  const palette = input.theme.colors[parsed.color];
  const bg = palette[0];
  return { ...base, background: bg, hover: palette[1], color: readableOn(bg, palette[9]) };
};
