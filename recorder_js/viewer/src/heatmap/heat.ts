// A click heatmap on a canvas: each point adds a soft disc of heat; the summed heat is then
// coloured from blue (little) through green to red (most).

export interface WeightedPoint {
  x: number;
  y: number;
  weight: number;
}

export function drawHeat(canvas: HTMLCanvasElement, points: WeightedPoint[], radius: number): void {
  const ctx = canvas.getContext('2d');
  if (!ctx || canvas.width === 0 || canvas.height === 0) return;
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  const heaviest = Math.max(1, ...points.map((p) => p.weight));
  for (const { x, y, weight } of points) {
    const disc = ctx.createRadialGradient(x, y, 0, x, y, radius);
    disc.addColorStop(0, `rgba(0,0,0,${Math.min(1, 0.15 + weight / heaviest)})`);
    disc.addColorStop(1, 'rgba(0,0,0,0)');
    ctx.fillStyle = disc;
    ctx.fillRect(x - radius, y - radius, 2 * radius, 2 * radius);
  }
  const image = ctx.getImageData(0, 0, canvas.width, canvas.height);
  const px = image.data;
  for (let i = 0; i < px.length; i += 4) {
    const heat = px[i + 3] / 255;
    if (!heat) continue;
    px[i] = Math.round(255 * Math.min(1, 2 * heat));
    px[i + 1] = Math.round(255 * Math.min(1, 2 - 2 * heat));
    px[i + 2] = Math.round(255 * Math.max(0, 1 - 2 * heat));
    px[i + 3] = Math.round(255 * Math.min(0.85, 0.3 + heat));
  }
  ctx.putImageData(image, 0, 0);
}

/** Where an element's clicks go in document coordinates: at their recorded offsets inside its
 * box, or at its centre when the recorder sent no box for them. */
export function elementPoints(
  box: { left: number; top: number; width: number; height: number },
  offsets: { x: number; y: number; clicks: number }[],
  clicks: number,
): WeightedPoint[] {
  const placed = offsets.map((o) => ({
    x: box.left + o.x * box.width,
    y: box.top + o.y * box.height,
    weight: o.clicks,
  }));
  const unplaced = clicks - offsets.reduce((sum, o) => sum + o.clicks, 0);
  if (unplaced > 0) {
    placed.push({ x: box.left + box.width / 2, y: box.top + box.height / 2, weight: unplaced });
  }
  return placed;
}
