/**
 * The csv generator of fleet scenarios, read from real files (src/node/fleet/load-scenario.ts): values in
 * order, cycling, rounded to the metric's precision in the planned heartbeats; paths relative to the
 * scenario's folder; every problem at once at the generator's line and column; quoting, CRLF and BOM.
 */
import { chmod, mkdir, mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeGenerator } from '../../../src/common/fleet/generators.ts';
import { Prng } from '../../../src/common/fleet/prng.ts';
import { parseScenario, type Scenario } from '../../../src/common/fleet/scenario.ts';
import { planRequests } from '../../../src/common/fleet/schedule.ts';
import { CSV_MAX_BYTES, CSV_MAX_ROWS, loadScenarioFile, loadScenarioText } from '../../../src/node/fleet/load-scenario.ts';

const START = Date.parse('2026-11-30T12:00:00Z');

/** A one-device scenario with one agent metric per value (metric lines start at line 8). */
const scenarioOf = (...values: Array<string | [string, number]>): string =>
  `name: csv
seed: 1
fleets:
  - name: dock
    startup: together
    interval: 1s
    agentMetrics:
${values
  .map((v, i) => {
    const [value, precision] = typeof v === 'string' ? [v, 3] : v;
    return `      - { dimension: agent, name: Metric${String(i).padStart(2, '0')}, value: ${value}, precision: ${precision} }`;
  })
  .join('\n')}
`;

/** Line and column (from 1) of the generator's settings on metric line `i` of `text`. */
const at = (text: string, i: number): { line: number; column: number } => {
  const line = 8 + i;
  return { line, column: text.split('\n')[line - 1]!.indexOf('{ csv:') + '{ csv: '.length + 1 };
};

const agentValues = (scenario: Scenario, ms: number): number[][] =>
  [...planRequests(scenario, ms, START)]
    .filter((r) => r.operation === 'SendHeartbeat')
    .map((r) => (r.body.AgentMetrics as Array<{ Value: number }>).map((m) => m.Value));

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hb-fleet-csv-'));
});
afterEach(async () => {
  await chmod(dir, 0o700).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

describe('the csv generator', () => {
  it('gives the rows in order, cycling, rounded to the precision, from paths relative to the scenario (or absolute)', async () => {
    await mkdir(join(dir, 'scenarios', 'data'), { recursive: true });
    await mkdir(join(dir, 'shared'));
    await writeFile(join(dir, 'scenarios', 'data', 'temp.csv'), 'time,temp\n0,20.04\n1,20.06\n2,-1.25\n');
    await writeFile(join(dir, 'shared', 'load.csv'), 'load\n7\n8\n');
    await writeFile(join(dir, 'abs.csv'), 'x\n0.12345\n');
    const file = join(dir, 'scenarios', 'fleet.yaml');
    await writeFile(
      file,
      scenarioOf(
        ['{ csv: { file: data/temp.csv, column: temp } }', 1],
        '{ csv: { file: data/temp.csv, column: 1 } }',
        '{ csv: { file: ../shared/load.csv, column: load } }',
        `{ csv: { file: ${JSON.stringify(join(dir, 'abs.csv'))}, column: x } }`,
      ),
    );
    // Run from elsewhere: the paths are the scenario's folder's, not the working folder's.
    expect(process.cwd()).not.toBe(join(dir, 'scenarios'));
    const { scenario, problems } = await loadScenarioFile(file);
    expect(problems).toEqual([]);
    expect(agentValues(scenario!, 7000)).toEqual([
      [20, 0, 7, 0.123],
      [20.1, 1, 8, 0.123],
      [-1.2, 2, 7, 0.123], // floor(-12.5 + 0.5) / 10
      [20, 0, 8, 0.123],
      [20.1, 1, 7, 0.123],
      [-1.2, 2, 8, 0.123],
      [20, 0, 7, 0.123],
    ]);
    // The same text from the app's editor, its folder given.
    const text = scenarioOf('{ csv: { file: data/temp.csv, column: temp } }');
    const fromText = await loadScenarioText(text, join(dir, 'scenarios'));
    expect(agentValues(fromText.scenario!, 4000)).toEqual([[20.04], [20.06], [-1.25], [20.04]]);
  });

  it('reads quoted cells, CRLF line ends, a BOM, blank lines and spaces around numbers', async () => {
    await writeFile(
      join(dir, 'q.csv'),
      '\ufeff"time","temp, °C",note\r\n"0"," 12.5 ","a, b"\r\n1,"-3","two\r\nlines"\r\n\r\n2,1e2,"say ""hi"""\r\n',
    );
    const { scenario, problems } = await loadScenarioText(scenarioOf('{ csv: { file: q.csv, column: "temp, °C" } }'), dir);
    expect(problems).toEqual([]);
    expect(agentValues(scenario!, 4000)).toEqual([[12.5], [-3], [100], [12.5]]);
  });

  it('gives every problem at once, in reading order, each at its generator’s line and column, and no scenario', async () => {
    await mkdir(join(dir, 'folder.csv'));
    await writeFile(join(dir, 'empty.csv'), '');
    await writeFile(join(dir, 'header.csv'), 'temp\r\n\r\n');
    await writeFile(join(dir, 'cols.csv'), 'a, b\n1,2\n');
    await writeFile(join(dir, 'bad.csv'), 'note,t\n"x\ny",1\nz,n/a\nw,3\nv,\n');
    await writeFile(join(dir, 'short.csv'), 'a,b\n1,2\n3\n');
    await writeFile(join(dir, 'broken.csv'), 'a\n1\n"2\n');
    await writeFile(join(dir, 'big.csv'), '');
    await truncate(join(dir, 'big.csv'), CSV_MAX_BYTES + 1); // sparse: nothing written
    const text = scenarioOf(
      '{ csv: { file: missing.csv, column: t } }',
      '{ csv: { file: folder.csv, column: t } }',
      '{ csv: { file: empty.csv, column: t } }',
      '{ csv: { file: header.csv, column: temp } }',
      '{ csv: { file: cols.csv, column: temp } }',
      '{ csv: { file: cols.csv, column: 3 } }',
      '{ csv: { file: bad.csv, column: t } }',
      '{ csv: { file: short.csv, column: b } }',
      '{ csv: { file: broken.csv, column: a } }',
      '{ csv: { file: big.csv, column: a } }',
      '{ csv: { file: cols.csv, column: b } }',
    );
    await writeFile(join(dir, 's.yaml'), text);
    const { scenario, problems } = await loadScenarioFile(join(dir, 's.yaml'));
    expect(scenario).toBeUndefined();
    const path = (i: number, member: string) => `/fleets/0/agentMetrics/${i}/value/csv/${member}`;
    expect(problems).toEqual([
      {
        path: path(0, 'file'),
        ...at(text, 0),
        message: `The CSV file missing.csv does not exist (looked for ${join(dir, 'missing.csv')}).`,
      },
      { path: path(1, 'file'), ...at(text, 1), message: 'The CSV file folder.csv is a folder; name a CSV file.' },
      {
        path: path(2, 'file'),
        ...at(text, 2),
        message: 'The CSV file empty.csv is empty; it needs a header row and at least one row of values.',
      },
      { path: path(3, 'file'), ...at(text, 3), message: 'The CSV file header.csv has a header but no rows of values.' },
      { path: path(4, 'column'), ...at(text, 4), message: 'The CSV file cols.csv has no column "temp"; its columns are "a", "b".' },
      { path: path(5, 'column'), ...at(text, 5), message: 'The CSV file cols.csv has 2 columns; there is no column 3.' },
      {
        path: path(6, 'column'),
        ...at(text, 6),
        // Line 4 of the file: the quoted cell of line 2 spans two lines.
        message: 'bad.csv:4: the cell "n/a" in column "t" is not a number; 1 more row of the column is not a number either.',
      },
      { path: path(7, 'column'), ...at(text, 7), message: 'short.csv:3: the row has no cell in column "b".' },
      {
        path: path(8, 'file'),
        ...at(text, 8),
        message: expect.stringMatching(/^The CSV file broken\.csv is not valid CSV: Quote Not Closed: .* at line 3\.$/),
      },
      {
        path: path(9, 'file'),
        ...at(text, 9),
        message: 'The CSV file big.csv is 67,108,865 bytes; a CSV file may have at most 67,108,864 bytes.',
      },
    ]);
  });

  it('refuses a file of more than the most rows, and an unreadable one', async () => {
    await writeFile(join(dir, 'many.csv'), `v\n${'1\n'.repeat(CSV_MAX_ROWS + 1)}`);
    await writeFile(join(dir, 'enough.csv'), `v\n${'1\n'.repeat(CSV_MAX_ROWS)}`);
    const text = scenarioOf('{ csv: { file: many.csv, column: v } }', '{ csv: { file: enough.csv, column: v } }');
    // enough.csv, at the most, has no problem.
    expect((await loadScenarioText(text, dir)).problems).toEqual([
      {
        path: '/fleets/0/agentMetrics/0/value/csv/file',
        ...at(text, 0),
        message: 'The CSV file many.csv has more than 1,000,000 rows of values; split it or sample it.',
      },
    ]);
    // What even root cannot read as a CSV file: a device, a name too long for the file system.
    const odd = scenarioOf('{ csv: { file: /dev/null, column: v } }', `{ csv: { file: ${'x'.repeat(300)}.csv, column: v } }`);
    expect((await loadScenarioText(odd, dir)).problems.map((p) => [p.line, p.message])).toEqual([
      [8, 'The CSV file /dev/null is not a regular file.'],
      [9, `The CSV file ${'x'.repeat(300)}.csv cannot be read (ENAMETOOLONG).`],
    ]);
    if (process.getuid?.() !== 0) {
      await chmod(join(dir, 'enough.csv'), 0o000);
      expect((await loadScenarioText(scenarioOf('{ csv: { file: enough.csv, column: v } }'), dir)).problems).toEqual([
        expect.objectContaining({ message: 'The CSV file enough.csv cannot be read (permission denied).', line: 8 }),
      ]);
    }
  }, 30_000);

  it('reads no CSV when the scenario has problems, and says so when the scenario file itself is missing', async () => {
    const text = scenarioOf('{ csv: { file: missing.csv, column: t } }').replace('interval: 1s', 'interval: soon');
    expect((await loadScenarioText(text, dir)).problems.map((p) => [p.path, p.line])).toEqual([['/fleets/0/interval', 6]]);
    expect(await loadScenarioFile(join(dir, 'nope.yaml'))).toEqual({
      problems: [{ path: '', message: `There is no file ${join(dir, 'nope.yaml')}.` }],
    });
    expect((await loadScenarioFile(dir)).problems[0]!.message).toBe(`${dir} is a folder; name a scenario file.`);
  });

  it('parses (without I/O) a file that is a path and a column that is a name or a number from 1, and says where each csv generator is', () => {
    const bad = scenarioOf(
      '{ csv: { file: "", column: t } }',
      '{ csv: { file: a.csv, column: 0 } }',
      '{ csv: { file: a.csv, column: 1.5 } }',
      '{ csv: { file: a.csv, column: true } }',
      '{ csv: { column: t } }',
      '{ csv: { file: a.csv, column: t, values: [1] } }',
    );
    const parsed = parseScenario(bad);
    expect(parsed.csvSources).toBeUndefined();
    expect(parsed.problems.map((p) => [p.path, p.line, p.message])).toEqual([
      [
        '/fleets/0/agentMetrics/0/value/csv/file',
        8,
        "csv.file must be the path of a CSV file, relative to the scenario's folder or absolute.",
      ],
      ['/fleets/0/agentMetrics/1/value/csv/column', 9, "csv.column must be a name in the CSV file's header row or a column number from 1."],
      ['/fleets/0/agentMetrics/2/value/csv/column', 10, expect.stringMatching(/^csv.column must/)],
      ['/fleets/0/agentMetrics/3/value/csv/column', 11, expect.stringMatching(/^csv.column must/)],
      ['/fleets/0/agentMetrics/4/value/csv', 12, expect.stringMatching(/^csv.file must/)],
      ['/fleets/0/agentMetrics/5/value/csv/values', 13, '"values" is not a member here; use file, column.'],
    ]);
    const good = scenarioOf('{ csv: { file: a.csv, column: t } }', '{ csv: { file: /data/b.csv, column: 2 } }');
    const { scenario, csvSources = [] } = parseScenario(good);
    expect(csvSources).toEqual([
      { path: '/fleets/0/agentMetrics/0/value/csv', ...at(good, 0), csv: { file: 'a.csv', column: 't' } },
      { path: '/fleets/0/agentMetrics/1/value/csv', ...at(good, 1), csv: { file: '/data/b.csv', column: 2 } },
    ]);
    // The sources are the scenario's own settings objects: filling them fills the scenario.
    expect(csvSources[1]!.csv).toBe((scenario!.fleets[0]!.agentMetrics[1]!.value as { csv: object }).csv);
  });

  it('yields exactly a random numeric column’s values in order, cycling (property)', async () => {
    const cell = fc
      .record({ k: fc.integer({ min: -1_000_000, max: 1_000_000 }), d: fc.integer({ min: 0, max: 3 }) })
      .map(({ k, d }) => k / 10 ** d);
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }).chain((width) =>
          fc.record({
            width: fc.constant(width),
            rows: fc.array(fc.array(cell, { minLength: width, maxLength: width }), { minLength: 1, maxLength: 40 }),
            pick: fc.integer({ min: 0, max: width - 1 }),
            byNumber: fc.boolean(),
            quoted: fc.boolean(),
            crlf: fc.boolean(),
            bom: fc.boolean(),
          }),
        ),
        async ({ width, rows, pick, byNumber, quoted, crlf, bom }) => {
          const q = (s: string) => (quoted ? `" ${s} "` : s);
          const eol = crlf ? '\r\n' : '\n';
          const header = Array.from({ length: width }, (_, i) => `c${i + 1}`);
          const csv =
            (bom ? '\ufeff' : '') + [header, ...rows.map((r) => r.map((v) => q(String(v))))].map((r) => r.join(',')).join(eol) + eol;
          const name = `p${run++}.csv`;
          await writeFile(join(dir, name), csv);
          const column = byNumber ? String(pick + 1) : header[pick]!;
          const { scenario, problems } = await loadScenarioText(scenarioOf(`{ csv: { file: ${name}, column: ${column} } }`), dir);
          expect(problems).toEqual([]);
          const next = makeGenerator(scenario!.fleets[0]!.agentMetrics[0]!.value, new Prng(1), 3);
          const expected = rows.map((r) => r[pick]!);
          const n = expected.length * 2 + 1;
          expect(Array.from({ length: n }, (_, t) => next(t))).toEqual(Array.from({ length: n }, (_, i) => expected[i % expected.length]));
        },
      ),
      { numRuns: 60 },
    );
  });
});
