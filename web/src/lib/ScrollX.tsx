/**
 * A region that scrolls sideways when what it holds (a wide table) is wider than the screen, so the page itself never
 * does (a phone at 390 px). While it actually scrolls it is a named, focusable region, so keyboard users can scroll it
 * too (axe: scrollable-region-focusable); when everything fits it is a plain block and no extra tab stop.
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';

export function ScrollX({ label, children }: { label: string; children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  const [scrolls, setScrolls] = useState(false);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => setScrolls(el.scrollWidth > el.clientWidth + 1);
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    if (el.firstElementChild) ro.observe(el.firstElementChild);
    return () => ro.disconnect();
  }, []);
  return (
    <div
      ref={ref}
      style={{ overflowX: 'auto', maxWidth: '100%', minWidth: 0 }}
      data-scroll-x=""
      {...(scrolls ? { role: 'region', 'aria-label': label, tabIndex: 0 } : {})}
    >
      {children}
    </div>
  );
}
