/**
 * A small, safe markdown subset for knowledge-base articles: headings (#, ##, ###), paragraphs, bullet and numbered
 * lists, **bold**, *italic*, `code` and [links](https://…). Text is escaped first and the result sanitised again,
 * so nothing an author writes can become script.
 */
import { sanitize } from '../../platform/sanitize.js';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const unesc = (s: string) => s.replace(/&quot;/g, '"').replace(/&gt;/g, '>').replace(/&lt;/g, '<').replace(/&amp;/g, '&');

const LOCAL_BASE = 'https://earshot.invalid';

/**
 * A link target an article may use, normalised, or null (issue 14 item 9). Allowed: absolute http(s) URLs with a
 * host, mailto: with an address, and paths on this site with exactly one leading slash. Refused: anything with a
 * backslash (browsers read `/\evil.test` as `//evil.test`), control characters or whitespace, protocol-relative
 * `//host`, and every other scheme (javascript:, data:, vbscript:, file: …). The result is what the parser made of
 * it (`HTTPS://Example.COM` → `https://example.com/`, `/a/../b` → `/b`).
 */
export function safeLinkTarget(raw: string): string | null {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: a link target with a control character is refused, so the pattern lists them
  if (!raw || raw.length > 2000 || /[\\\s\u0000-\u001f\u007f-\u009f]/.test(raw)) return null;
  if (raw.startsWith('/')) {
    if (raw.startsWith('//')) return null;
    let u: URL;
    try {
      u = new URL(raw, LOCAL_BASE);
    } catch {
      return null;
    }
    if (u.origin !== LOCAL_BASE) return null;
    const out = u.pathname + u.search + u.hash;
    return out.startsWith('//') ? null : out;
  }
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return null;
  }
  if ((u.protocol === 'http:' || u.protocol === 'https:') && u.hostname && !u.username && !u.password) return u.href;
  if (u.protocol === 'mailto:' && /^[^@\s]+@[^@\s]+$/.test(decodeURIComponent(u.pathname))) return u.href;
  return null;
}

/** The link targets of an article body that safeLinkTarget refuses (for a 400 when it is saved). */
export function unsafeLinks(md: string): string[] {
  return [...md.matchAll(LINK_MD)].map((m) => m[2]).filter((t) => safeLinkTarget(t) === null);
}

/** [text](target): the target runs to the first ')' (no spaces inside, as before). */
const LINK_MD = /\[([^\]]+)\]\(([^\s)]*)\)/g;

function inline(s: string): string {
  return esc(s)
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
    .replace(/\*([^*]+)\*/g, '<em>$1</em>')
    .replace(LINK_MD, (_m, text: string, target: string) => {
      const href = safeLinkTarget(unesc(target));
      return href ? `<a href="${esc(href)}">${text}</a>` : text;
    });
}

export function renderMarkdown(md: string): string {
  const out: string[] = [];
  let list: 'ul' | 'ol' | null = null;
  let para: string[] = [];
  const flushPara = () => {
    if (para.length) out.push(`<p>${para.map(inline).join('<br>')}</p>`);
    para = [];
  };
  const closeList = () => {
    if (list) out.push(`</${list}>`);
    list = null;
  };
  for (const raw of md.replace(/\r\n?/g, '\n').split('\n')) {
    const line = raw.trimEnd();
    const h = /^(#{1,3})\s+(.*)$/.exec(line);
    const ul = /^\s*[-*]\s+(.*)$/.exec(line);
    const ol = /^\s*\d+[.)]\s+(.*)$/.exec(line);
    if (!line.trim()) {
      flushPara();
      closeList();
    } else if (h) {
      flushPara();
      closeList();
      // Article pages have their own h1; # and ## are h2, ### is h3 (no skipped heading levels).
      const n = h[1].length === 3 ? 3 : 2;
      out.push(`<h${n}>${inline(h[2])}</h${n}>`);
    } else if (ul || ol) {
      flushPara();
      const kind = ul ? 'ul' : 'ol';
      if (list !== kind) {
        closeList();
        out.push(`<${kind}>`);
        list = kind;
      }
      out.push(`<li>${inline((ul ?? ol)![1])}</li>`);
    } else {
      closeList();
      para.push(line);
    }
  }
  flushPara();
  closeList();
  return sanitize(out.join('\n'));
}

/** Plain text of the markdown (for replies and snippets): markup removed, links as "text (url)". */
export function markdownToText(md: string): string {
  return md
    .replace(/\r\n?/g, '\n')
    .replace(/^#{1,3}\s+/gm, '')
    .replace(/\*\*([^*]+)\*\*/g, '$1')
    .replace(/\*([^*]+)\*/g, '$1')
    .replace(/`([^`]+)`/g, '$1')
    .replace(LINK_MD, (_m, text: string, target: string) => {
      const href = safeLinkTarget(target);
      return href ? `${text} (${href})` : text;
    })
    .trim();
}
