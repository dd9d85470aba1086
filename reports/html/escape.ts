/**
 * Scenario names, customer names, order references and Odoo's answers are user
 * data: everything the report prints passes through one of these.
 */
export function html(text: string | number): string {
  return String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Element content only (never an attribute): quotes may stay, which keeps JSON lines a third smaller. */
export function text(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** JSON inside a `<script>` element: no `</script>` or `<!--` can close it early, and JS line separators stay escaped. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** An id fragment safe in `id=` and `href="#…"` whatever the order reference holds; `_` is escaped too, so two references never share one. */
export function anchor(prefix: string, text: string): string {
  return `${prefix}-${text.replace(/[^A-Za-z0-9-]/g, (c) => `_${c.codePointAt(0)!.toString(16)}-`)}`;
}

/** Markdown table cells and list items: neither HTML nor Markdown syntax survives from user data. */
export function markdown(text: string): string {
  return (
    html(text)
      // Without [ and ] no link can form, so parentheses and the rest may stay as they are.
      .replace(/([\\`*_[\]|~])/g, '\\$1')
      .replace(/\r?\n/g, ' ')
  );
}
