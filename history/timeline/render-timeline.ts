import { readFileSync } from 'node:fs';
import { escapeHtml, jsonForScript } from './html-escape.ts';
import { pageScript } from './page-script.ts';
import type { TimelineInput } from './timeline-data.ts';
import { timelineData } from './timeline-data.ts';

export type { TimelineInput } from './timeline-data.ts';

// The page's parts are ordinary files beside this one, kept readable; the page inlines them so it is one
// file that opens anywhere, offline. The policy forbids every fetch: the page can load nothing.
// They are read on the first page drawn, not on import: a command that draws no page never reads them.
const asset = (name: string) => readFileSync(new URL(`./page/${name}`, import.meta.url), 'utf8');
let assets: { readonly styles: string; readonly chrome: string; readonly script: string } | undefined;
function pageAssets(): NonNullable<typeof assets> {
  assets ??= { styles: asset('timeline.css'), chrome: asset('chrome.html'), script: pageScript() };
  return assets;
}
const POLICY = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'";

/** A complete, self-contained HTML page drawing the history as a timeline (see page/timeline.ts). */
export function renderTimeline(input: TimelineInput): string {
  const title = input.title ?? 'leaderlog timeline';
  // One pass with a function: a title holding `$&` or `{{source}}` must stay as written.
  const fields: Record<string, string> = { title, source: input.source ?? '' };
  const { styles, chrome: template, script } = pageAssets();
  const chrome = template.replace(/\{\{(title|source)\}\}/g, (_, name: string) => escapeHtml(fields[name]));
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${POLICY}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>\n${styles}</style>`,
    '</head>',
    '<body>',
    chrome,
    `<script type="application/json" id="timeline-data">${jsonForScript(timelineData(input))}</script>`,
    `<script>\n${script}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
