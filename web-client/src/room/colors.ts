/** Stable presence colours per member: the same writer has the same colour in every browser. */
const PALETTE = ['#d9480f', '#1c7ed6', '#2f9e44', '#ae3ec9', '#e8590c', '#0c8599', '#c2255c', '#5f3dc4', '#e67700', '#087f5b'];

export function colorFor(memberId: string): { color: string; light: string } {
  let hash = 0;
  for (let i = 0; i < memberId.length; i++) hash = (hash * 31 + memberId.charCodeAt(i)) | 0;
  const color = PALETTE[Math.abs(hash) % PALETTE.length];
  return { color, light: color + '33' };
}

export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  if (!parts.length) return '?';
  return (parts[0][0] + (parts.length > 1 ? parts[parts.length - 1][0] : '')).toUpperCase();
}
