/*
 * Log text is attacker-controlled: a user agent or session name can carry terminal escape
 * sequences that rewrite what an analyst sees. Everything printed to a terminal goes through
 * here first.
 */

// C0 controls, DEL and C1 controls (ESC, CSI…), plus bidi overrides that reorder text.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** Replaces control characters with a visible `\uXXXX` so nothing is interpreted. */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Shortens long text for a table cell, keeping the start. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
