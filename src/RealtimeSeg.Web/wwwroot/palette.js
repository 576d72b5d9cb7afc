// Display colours, identical to the C# side (RealtimeSeg.Core.Palette.ColorFor): a track has one colour in the viewer,
// the overlay video and recordings. Checked against the C# function by the test suite.

// .NET's Math.Round(double) rounds halves to even; JavaScript's Math.round rounds them up.
function roundHalfEven(x) {
  const f = Math.floor(x);
  const d = x - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

/** 0xRRGGBB for an index (a track id): spread around the hue circle by the golden angle. */
export function colorFor(index) {
  const hue = (index * 137.508) % 360.0;
  const s = 0.65, v = 0.95;
  const c = v * s, x = c * (1 - Math.abs(((hue / 60.0) % 2) - 1)), m = v - c;
  const h6 = hue / 60.0;
  let r, g, b;
  if (h6 < 1) [r, g, b] = [c, x, 0];
  else if (h6 < 2) [r, g, b] = [x, c, 0];
  else if (h6 < 3) [r, g, b] = [0, c, x];
  else if (h6 < 4) [r, g, b] = [0, x, c];
  else if (h6 < 5) [r, g, b] = [x, 0, c];
  else [r, g, b] = [c, 0, x];
  const R = roundHalfEven((r + m) * 255), G = roundHalfEven((g + m) * 255), B = roundHalfEven((b + m) * 255);
  return (R << 16) | (G << 8) | B;
}

export function cssColor(rgb, alpha = 1) {
  return `rgba(${(rgb >> 16) & 255}, ${(rgb >> 8) & 255}, ${rgb & 255}, ${alpha})`;
}
