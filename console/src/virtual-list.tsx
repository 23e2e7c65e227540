/** A windowed list: only the rows in view (and a few around) are in the DOM, so 10 000 rows scroll smoothly. */
import type { ComponentChildren } from 'preact';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';

export function VirtualList<T>({ items, rowHeight, label, render, follow }: { items: readonly T[]; rowHeight: number; label: string; render: (item: T, index: number) => ComponentChildren; follow: boolean }) {
  const ref = useRef<HTMLDivElement>(null);
  const [top, setTop] = useState(0);
  const [height, setHeight] = useState(400);
  /** Whether the list was scrolled to its end before the last update: then it follows new rows. */
  const atEnd = useRef(true);
  useLayoutEffect(() => {
    const el = ref.current;
    if (el === null) return;
    setHeight(el.clientHeight);
    const observer = new ResizeObserver(() => setHeight(el.clientHeight));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  useLayoutEffect(() => {
    const el = ref.current;
    // Follow the newest entries while scrolled to the bottom.
    if (el !== null && follow && atEnd.current) el.scrollTop = el.scrollHeight;
  }, [items.length]);
  const first = Math.max(0, Math.floor(top / rowHeight) - 10);
  const last = Math.min(items.length, Math.ceil((top + height) / rowHeight) + 10);
  const rows: ComponentChildren[] = [];
  for (let i = first; i < last; i++) rows.push(<li key={i} style={{ top: `${i * rowHeight}px`, height: `${rowHeight}px` }} class="vrow">{render(items[i] as T, i)}</li>);
  return (
    <div class="vlist" ref={ref} onScroll={(e) => {
      const el = e.currentTarget;
      atEnd.current = el.scrollHeight - el.scrollTop - el.clientHeight < rowHeight * 3;
      setTop(el.scrollTop);
    }} tabIndex={0} aria-label={label} role="region">
      <ul style={{ height: `${items.length * rowHeight}px` }} aria-rowcount={items.length}>{rows}</ul>
    </div>
  );
}
