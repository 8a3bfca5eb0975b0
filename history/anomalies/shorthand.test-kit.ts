import { readHistory } from '../formats/read-history.ts';
import type { History } from '../operation.ts';

// Hand-written histories for tests, one event a line, read by the real EDN reader:
//   `<process> <type> <f> [value as EDN] [key=K] [node=N] [epoch=E] [error=X]`
// e.g. `0 invoke write 1`, `1 ok read nil key=x node=n2 epoch=3`, `nemesis info start-partition`,
// `cluster info role :leader node=n1 epoch=2`. Blank lines and `;` comments are skipped.

const FIELD = /\s+(key|node|epoch|error)=(\S+)$/;

export function shorthand(text: string): History {
  const maps = text
    .split('\n')
    .map((line) => line.replace(/;.*$/, '').trim())
    .filter((line) => line.length > 0)
    .map(toEdnMap);
  return readHistory(maps.join('\n'), { format: 'edn' });
}

function toEdnMap(line: string): string {
  let rest = line;
  const fields: string[] = [];
  for (let match = FIELD.exec(rest); match; match = FIELD.exec(rest)) {
    const [, name, value] = match;
    fields.unshift(`:${name} ${name === 'node' ? JSON.stringify(value) : value}`);
    rest = rest.slice(0, match.index);
  }
  const [, process, type, f, value] = /^(\S+)\s+(\S+)\s+(\S+)\s*(.*)$/.exec(rest) ?? [];
  if (f === undefined) throw new Error(`shorthand: cannot read "${line}"`);
  const who = /^-?\d+$/.test(process) ? process : `:${process}`;
  return `{:process ${who}, :type :${type}, :f :${f}, :value ${value || 'nil'}${fields.map((field) => `, ${field}`).join('')}}`;
}
