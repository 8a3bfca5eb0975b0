// Everything the page shows comes from the history, and a history can hold any text: a value of
// `</script><script>alert(1)</script>` must stay a value. These are the only two ways data enters the page.

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text for an HTML element's content or a quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

/**
 * JSON to place inside `<script type="application/json">`. A script element ends at the first `</script`
 * whatever JSON thinks, and `<!--` changes how it is parsed, so `<`, `>` and `&` become \u escapes (still
 * the same JSON); U+2028 and U+2029 too, so the text stays valid should it ever be read as JavaScript.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
