// Invariant 13: devices whose clocks are ten years slow or fast get the same results, versions and
// order as with correct clocks; the server orders by version only, device times are informative.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MutationResult } from '../../src/shared/index.ts';
import { makeRecord, rng } from '../support/factories.ts';
import { Device, sharedFields } from './support/device.ts';
import { Network } from './support/network.ts';
import { ServerTemplate, removeDir, snapshot } from './support/server.ts';

const TEN_YEARS = 10 * 365.25 * 24 * 3600 * 1000;
const BASE = Date.parse('2026-11-20T01:00:00.000Z');

let template: ServerTemplate;
beforeAll(async () => {
  template = await ServerTemplate.create(['demo-tnv', 'demo-tnv', 'demo-lead']);
});
afterAll(() => template?.dispose());

interface Outcome {
  /** Push results in arrival order: device, status, version. */
  results: string[];
  /** Every record by the order it was created in the scenario: version, deleted, fields but times. */
  server: Record<string, unknown>[];
  /** Each device's records, same form. */
  devices: Record<string, Record<string, unknown>[]>;
  /** Record creation indexes in pull (version) order. */
  order: number[];
  /** The device times the server stored, to show the skew really was in play. */
  createdYears: number[];
  updatedAtOfR1: string;
}

/** The same script of edits, pushes and pulls, with each device's clock offset by `skew` ms. */
async function play(skew: { a: number; b: number; c: number }): Promise<Outcome> {
  const server = await template.start();
  const net = new Network(server.url);
  let tick = 0;
  const clock = (offset: number) => () => new Date(BASE + offset + tick * 60_000);
  const a = await Device.open({
    name: 'tnv-a',
    login: template.logins[0]!,
    fetch: net.fetchFor('tnv-a'),
    now: clock(skew.a),
  });
  const c = await Device.open({
    name: 'tnv-c',
    login: template.logins[1]!,
    fetch: net.fetchFor('tnv-c'),
    now: clock(skew.c),
  });
  const b = await Device.open({
    name: 'lead',
    login: template.logins[2]!,
    fetch: net.fetchFor('lead'),
    now: clock(skew.b),
  });
  const ids: string[] = [];
  const make = async (d: Device, seed: number) => {
    tick++;
    const r = d.stamp(makeRecord({ hamletId: 'thon-tay', outcome: 'done', category: 'vneid_l1' }, rng(seed)));
    await d.create(r);
    ids.push(r.id);
    return r.id;
  };
  const step = async (fn: () => Promise<unknown>) => {
    tick++;
    await fn();
  };
  try {
    const r1 = await make(a, 1);
    const r2 = await make(a, 2);
    const r3 = await make(b, 3);
    for (const d of [a, b, c, a]) await step(() => d.sync());

    // Volunteer then lead on the same field: the last arrival (the lead) wins.
    await step(() => a.edit(r1, { note: 'Ghi chú của TNV' }));
    await step(() => b.edit(r1, { note: 'Ghi chú của tổ trưởng', ageBand: '18_59' }));
    await step(() => a.sync());
    await step(() => b.sync());
    // Lead then volunteer on the same field: the lead's edit beats the stale volunteer edit.
    await step(() => b.edit(r2, { sex: 'female' }));
    await step(() => a.edit(r2, { sex: 'male', paidOnline: true }));
    await step(() => b.sync());
    await step(() => a.sync());
    // One volunteer, two phones, clocks twenty years apart: the last to arrive wins, whatever its time.
    await step(() => c.sync());
    await step(() => c.edit(r1, { followUpOn: '2026-12-01' }));
    await step(() => a.edit(r1, { followUpOn: '2026-12-02' }));
    await step(() => c.sync());
    await step(() => a.sync());
    const r4 = await make(c, 4);
    await step(() => b.remove(r3));
    for (const d of [c, b, a, c, b, a]) await step(() => d.sync());
    void r4;

    const s = snapshot(server.dataDir);
    const index = (id: string) => ids.indexOf(id);
    const strip = (o: Record<string, unknown>) => {
      const { id, createdAt: _c, updatedAt: _u, ...rest } = o;
      return { n: index(String(id)), ...rest };
    };
    const results = net.log
      .filter((l) => l.path.endsWith('/sync/push') && l.status === 200)
      .flatMap((l) =>
        (l.answer as { results: MutationResult[] }).results.map(
          (r) => `${l.device}:${r.status}@${r.version}`,
        ),
      );
    const devices: Record<string, Record<string, unknown>[]> = {};
    for (const d of [a, b, c]) {
      const recs = await d.records();
      devices[d.name] = recs
        .map((r) => ({ ...strip(sharedFields(r)), v: r.serverVersion, state: r.syncState }))
        .sort((x, y) => x.n - y.n);
      expect(await d.db.outbox.count()).toBe(0);
    }
    const r1Row = s.records.find((r) => r.id === r1)!;
    return {
      results,
      server: s.records
        .map((r) => ({ ...strip({ id: r.id, ...r.wire }), v: r.version, deleted: r.deleted }))
        .sort((x, y) => x.n - y.n),
      devices,
      order: s.records.map((r) => index(r.id)),
      createdYears: s.records
        .filter((r) => !r.deleted)
        .map((r) => new Date(String(r.wire.createdAt)).getUTCFullYear()),
      updatedAtOfR1: String(r1Row.wire.updatedAt),
    };
  } finally {
    for (const d of [a, b, c]) await d.destroy();
    await server.stop();
    removeDir(server.dataDir);
  }
}

describe('device clocks off by ten years', () => {
  it('give the same push results, versions, merged records and pull order as correct clocks', async () => {
    const correct = await play({ a: 0, b: 0, c: 0 });
    const skewed = await play({ a: -TEN_YEARS, b: TEN_YEARS, c: TEN_YEARS });

    expect(skewed.results).toEqual(correct.results);
    expect(skewed.server).toEqual(correct.server);
    expect(skewed.devices).toEqual(correct.devices);
    expect(skewed.order).toEqual(correct.order);

    // The rules were in play: a lead won by arriving last, a stale volunteer edit lost to the lead.
    expect(correct.results.some((r) => r.startsWith('lead:merged'))).toBe(true);
    expect(correct.results.some((r) => r.startsWith('tnv-a:conflict'))).toBe(true);
    const r1 = correct.server.find((r) => r.n === 0)!;
    expect(r1).toMatchObject({ note: 'Ghi chú của tổ trưởng', ageBand: '18_59', followUpOn: '2026-12-02' });
    expect(correct.server.find((r) => r.n === 1)).toMatchObject({ sex: 'female', paidOnline: true });
    expect(correct.server.find((r) => r.n === 2)).toMatchObject({ deleted: true });

    // The skew really reached the server, as information only.
    expect(new Set(correct.createdYears)).toEqual(new Set([2026]));
    expect(new Set(skewed.createdYears)).toEqual(new Set([2016, 2036]));
    // r1's last write came from the slow phone: its 2016 time is kept, not "corrected".
    expect(skewed.updatedAtOfR1.slice(0, 4)).toBe('2016');
  });
});
