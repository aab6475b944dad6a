// What this device says it holds, for the supervisor's reconciliation view: its own records per
// report period (counted from the [own+occurredOn] index, never a scan) and what still waits.
import { localDay } from '../../shared/index.ts';
import { periodOf, shiftAnchor, type PeriodKind } from '../../shared/periods.ts';
import type { SotayDB } from '../db/database.ts';

export interface DeviceReportBody {
  clientId: string;
  periodCounts: { from: string; to: string; count: number }[];
  pending: number;
  at: string;
}

/** The periods a dashboard asks about: the current and previous week, month and quarter, 9 months, year. */
export function reportPeriods(today: string): { from: string; to: string }[] {
  const kinds: PeriodKind[] = ['week', 'month', 'quarter'];
  const out = kinds.flatMap((k) => [periodOf(k, today), periodOf(k, shiftAnchor(k, today, -1))]);
  out.push(periodOf('nine_months', today), periodOf('year', today));
  const seen = new Set<string>();
  return out.filter((p) => {
    const key = `${p.from}:${p.to}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export async function buildDeviceReport(db: SotayDB, clientId: string, now: Date): Promise<DeviceReportBody> {
  const periods = reportPeriods(localDay(now));
  const periodCounts = await Promise.all(
    periods.map(async (p) => ({
      ...p,
      count: await db.records.where('[own+occurredOn]').between([1, p.from], [1, p.to], true, true).count(),
    })),
  );
  return { clientId, periodCounts, pending: await db.outbox.count(), at: now.toISOString() };
}
