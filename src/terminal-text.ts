// Keys, node names, functions and file names come from files anyone can write. Printed raw, an ESC in
// one of them could move the cursor, retitle the window or hide lines on the reader's terminal; so all
// text output goes through here, and every control character but newline and tab is shown escaped
// (`\x1b`). With colours on, the colour codes leaderlog itself writes (SGR: ESC [ digits m) pass.

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters in untrusted text is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters in untrusted text is the point
const CONTROL_OR_COLOUR = /\u001b\[[0-9;]*m|[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

function escaped(char: string): string {
  return `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`;
}

/** `text` safe to print on a terminal; `colours`: leave SGR colour codes as they are. */
export function terminalSafe(text: string, colours = false): string {
  return colours ? text.replace(CONTROL_OR_COLOUR, (match) => (match.length > 1 ? match : escaped(match))) : text.replace(CONTROL, escaped);
}

const JSON_UNSAFE = /[\u007f-\u009f\u2028\u2029]/g;

/**
 * JSON text whose strings hold no raw control character: JSON.stringify escapes C0, not DEL, C1
 * (U+009B is CSI to many terminals) or the line separators; \uXXXX is the same string to any reader.
 */
export function jsonSafe(json: string): string {
  return json.replace(JSON_UNSAFE, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** One line of a message: terminalSafe, with newlines and tabs escaped too, so it stays one line. */
export function oneLine(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters in untrusted text is the point
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, escaped);
}
