// Barrage (danmaku) overlay: items fly right to left in lanes that never overlap.
//
// Written here rather than vendoring the `danmaku` npm package (MIT, ~8 KB min): in live mode that
// library keeps every comment ever emitted in an array (a busy room grows it without bound), and
// when no lane is free it wraps onto an occupied one instead of waiting or dropping. This is a
// small lane allocator plus one requestAnimationFrame loop moving elements with CSS transforms.
//
// All items move at the same speed, so once an item's tail has cleared the right edge by GAP
// pixels, nothing that enters its lane later can catch up with it: that is the whole rule.

const GAP = 24; // px between the tail of one item and the head of the next in a lane
const QUEUE_MAX = 60; // items waiting for a lane; beyond this the oldest are dropped
const QUEUE_AGE = 3000; // ms an item may wait before it is stale and dropped

export function createDanmaku(layer, { onDraw } = {}) {
  let width = layer.clientWidth;
  let laneHeight = 30;
  let lanes = []; // per lane: the most recent item placed in it
  const running = new Set();
  const queue = [];
  let raf = 0;
  let dropped = 0;

  function measure() {
    width = layer.clientWidth;
    laneHeight = parseFloat(getComputedStyle(layer).getPropertyValue('--lane')) || 30;
    const n = Math.max(1, Math.floor(layer.clientHeight / laneHeight));
    if (n !== lanes.length) lanes = Array.from({ length: n }, (_, i) => lanes[i] || null);
  }
  measure();
  const ro = typeof ResizeObserver === 'function' ? new ResizeObserver(measure) : null;
  if (ro) ro.observe(layer);

  // Crossing takes ~7 s whatever the width (but never crawls on a phone).
  const speed = () => Math.max(80, width / 7) / 1000; // px per ms

  function laneFree(last, now) {
    if (!last) return true;
    if (last.w == null) return false; // not measured yet: placed this very frame
    return (now - last.t0) * last.v >= last.w + GAP;
  }

  function place(item, now) {
    for (let i = 0; i < lanes.length; i++) {
      if (!laneFree(lanes[i], now)) continue;
      const el = document.createElement('span');
      el.className = item.mine ? 'barrage-item mine' : 'barrage-item';
      el.dataset.testid = 'barrage-item';
      el.textContent = item.text;
      el.style.top = `${i * laneHeight}px`;
      el.style.transform = `translate3d(${width}px,0,0)`;
      layer.append(el);
      const r = { el, t0: now, v: speed(), w: null, x0: width };
      lanes[i] = r;
      running.add(r);
      if (onDraw) onDraw(item);
      return true;
    }
    return false;
  }

  function frame(now) {
    raf = 0;
    // Reads first (one layout for every item added last frame), then writes.
    for (const r of running) if (r.w == null) r.w = r.el.offsetWidth;
    for (const r of running) {
      const x = r.x0 - (now - r.t0) * r.v;
      if (x + r.w < 0) { r.el.remove(); running.delete(r); continue; }
      r.el.style.transform = `translate3d(${x}px,0,0)`;
    }
    while (queue.length && now - queue[0].at > QUEUE_AGE) { queue.shift(); dropped++; }
    // Mine first: a person should always see what they just sent.
    queue.sort((a, b) => (b.mine ? 1 : 0) - (a.mine ? 1 : 0));
    while (queue.length && place(queue[0], now)) queue.shift();
    if (running.size || queue.length) raf = requestAnimationFrame(frame);
  }

  function add(item) {
    queue.push({ ...item, at: performance.now() });
    while (queue.length > QUEUE_MAX) {
      const i = queue.findIndex((q) => !q.mine);
      queue.splice(i < 0 ? 0 : i, 1);
      dropped++;
    }
    if (!raf) raf = requestAnimationFrame(frame);
  }

  function destroy() {
    if (raf) cancelAnimationFrame(raf);
    if (ro) ro.disconnect();
    running.forEach((r) => r.el.remove());
    running.clear();
    queue.length = 0;
  }

  return { add, destroy, get dropped() { return dropped; } };
}
