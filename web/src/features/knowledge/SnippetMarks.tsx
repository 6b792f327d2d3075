/** A search snippet with its matches marked (the server wraps each match in ⟦…⟧). */
import { snippetParts } from './api';

export function SnippetMarks({ snippet }: { snippet: string }) {
  return (
    <>
      {/* biome-ignore lint/suspicious/noArrayIndexKey: the parts of one snippet string, in order; they never reorder */}
      {snippetParts(snippet).map((part, i) => (i % 2 ? <mark key={i}>{part}</mark> : <span key={i}>{part}</span>))}
    </>
  );
}
