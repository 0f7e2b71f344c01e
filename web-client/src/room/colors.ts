/** Stable presence colours per member: the same writer has the same colour in every browser. */
export function colorFor(memberId: string): { color: string; light: string } {
  let hash = 0;
  for (let i = 0; i < memberId.length; i++) hash = (hash * 31 + memberId.charCodeAt(i)) | 0;
  // 24 hues 15 degrees apart, dark enough for white initials and cursor labels
  const hue = (Math.abs(hash) % 24) * 15;
  return { color: `hsl(${hue} 62% 42%)`, light: `hsl(${hue} 62% 42% / 0.2)` };
}

export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  if (!parts.length) return '?';
  return (parts[0][0] + (parts.length > 1 ? parts[parts.length - 1][0] : '')).toUpperCase();
}
