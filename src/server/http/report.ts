// The commune's report (docs/reporting.md, "The report"): GET /report, one answer per period and view
// for the dashboard and the printout, and the admin's report settings (GET and PUT /report-settings).
import type { FastifyInstance } from 'fastify';
import {
  AppError,
  ReportQuery,
  ReportSettings,
  type FieldIssue,
  type ReportSummary,
} from '../../shared/index.ts';
import { buildReport, readSettings } from '../reporting/summary.ts';
import { audit } from '../security/audit.ts';
import { access, currentUser } from '../security/access.ts';
import type { Store } from '../store/store.ts';
import { parseBody, screenFreeText } from './parse.ts';

const READERS = ['lead', 'supervisor', 'admin'] as const;

/** The Vietnamese names of the settings' fields, for the messages of a refused value. */
const SETTING_LABELS: Record<keyof ReportSettings, string> = {
  issuer: 'Cơ quan ban hành',
  numberSuffix: 'Ký hiệu số văn bản',
  addressees: 'Kính gửi',
  bases: 'Căn cứ',
  recipients: 'Nơi nhận',
  signerCapacity: 'Thẩm quyền ký',
  signerTitle: 'Chức vụ người ký',
  signerName: 'Họ tên người ký',
};

export function registerReport(app: FastifyInstance, store: Store): void {
  app.get(
    '/report',
    { bodyLimit: 1024, config: access(READERS, 'team') },
    async (request, reply): Promise<ReportSummary> => {
      const user = currentUser(request);
      const q = parseBody(ReportQuery, request.query);
      if (q.from > q.to) {
        const fields: FieldIssue[] = [
          { field: 'to', code: 'before_from', message: 'Ngày kết thúc phải sau ngày bắt đầu.' },
        ];
        throw new AppError('invalid_request', { fields });
      }
      const view = q.view ?? 'all';
      const summary = await buildReport(store, { user, from: q.from, to: q.to, view, now: new Date() });
      audit(request, 'view', 'report', { from: q.from, to: q.to, view });
      reply.header('cache-control', 'no-store');
      return summary;
    },
  );

  app.get(
    '/report-settings',
    { bodyLimit: 1024, config: access(READERS, 'commune') },
    async (request, reply): Promise<ReportSettings> => {
      const user = currentUser(request);
      const stored = await store.getReportSettings(user.communeCode);
      audit(request, 'view', 'report-settings');
      reply.header('cache-control', 'no-store');
      return readSettings(stored?.settings ?? null);
    },
  );

  app.put(
    '/report-settings',
    { bodyLimit: 32 * 1024, config: access(['admin'], 'commune') },
    async (request): Promise<ReportSettings> => {
      const user = currentUser(request);
      const settings = parseBody(ReportSettings, request.body);
      // Free text printed on a letter that leaves the commune: never an ID number (docs/privacy.md).
      const texts: [string, string, string][] = [];
      for (const [field, label] of Object.entries(SETTING_LABELS) as [keyof ReportSettings, string][]) {
        const value = settings[field];
        if (typeof value === 'string') texts.push([field, label, value]);
        else for (const line of value) texts.push([field, label, line]);
      }
      screenFreeText(...texts);
      const before = await store.getReportSettings(user.communeCode);
      const previous = readSettings(before?.settings ?? null);
      await store.transaction((tx) =>
        tx.putReportSettings({
          communeCode: user.communeCode,
          settings,
          updatedBy: user.id,
          updatedAt: new Date().toISOString(),
        }),
      );
      const changed = (Object.keys(SETTING_LABELS) as (keyof ReportSettings)[]).filter(
        (k) => JSON.stringify(previous[k]) !== JSON.stringify(settings[k]),
      );
      audit(request, 'report_settings_change', `report-settings:${user.communeCode}`, { changed });
      return settings;
    },
  );
}
