// Importing volunteers and leads from a spreadsheet over real HTTP on both stores: a CSV with ";"
// and a BOM, an XLSX made with exceljs, each row's problem in Vietnamese, a preview that writes
// nothing, a commit that writes all rows with their enrolment codes or none, own commune only.
import { crc32, deflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { AdminDirectory } from '../../src/shared/admin.ts';
import { ErrorResponse, LoginResponse } from '../../src/shared/index.ts';
import {
  ImportCommitResponse,
  ImportPreviewResponse,
  MAX_IMPORT_ROWS,
  type ImportRow,
} from '../../src/shared/people-import.ts';
import {
  STORE_KINDS,
  setupAll,
  startServer,
  testDatabase,
  type TestDatabase,
  type TestServer,
} from './harness.ts';
import { OTHER_PASSWORD, seedOtherCommune } from './admin-support.ts';

const BOM = '\uFEFF';
const b64 = (text: string | Uint8Array) => Buffer.from(text).toString('base64');
const code = (body: unknown): string => ErrorResponse.parse(body).error.code;
const fieldCodes = (body: unknown): string[] => {
  const details = ErrorResponse.parse(body).error.details as { fields?: { code: string }[] };
  return (details.fields ?? []).map((f) => f.code);
};
const problems = (row: ImportRow | undefined) => (row?.problems ?? []).map((p) => `${p.field}:${p.code}`);

/** A zip of one entry of `size` zero bytes, deflated (a "zip bomb" when size is large). */
function zipOfZeros(size: number): Uint8Array {
  const data = deflateRawSync(Buffer.alloc(size));
  const name = Buffer.from('xl/worksheets/sheet1.xml');
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(crc32(Buffer.alloc(size)), 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(size, 22);
  local.writeUInt16LE(name.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(crc32(Buffer.alloc(size)), 16);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(size, 24);
  central.writeUInt16LE(name.length, 28);
  const cdOffset = local.length + name.length + data.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + name.length, 12);
  end.writeUInt32LE(cdOffset, 16);
  return new Uint8Array(Buffer.concat([local, name, data, central, name, end]));
}

async function xlsx(rows: (string | number)[][]): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Danh sách');
  for (const r of rows) ws.addRow(r);
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

describe.each(STORE_KINDS)('importing people on %s', (kind) => {
  let server: TestServer;
  let db: TestDatabase;
  let admin: string;
  let otherAdmin: string;

  setupAll(async () => {
    db = await testDatabase(kind);
    server = await startServer({ db });
    await seedOtherCommune(server);
    admin = (await server.login('demo-admin')).token;
    otherAdmin = (await server.login('other-admin', OTHER_PASSWORD)).token;
  });
  afterAll(async () => {
    await server?.stop();
    await db?.drop();
  });

  const preview = (file: string | Uint8Array, token = admin) =>
    server.request('/api/v1/admin/users/import/preview', { token, body: { file: b64(file) } });
  const commit = (rows: ImportRow[], token = admin) =>
    server.request('/api/v1/admin/users/import/commit', {
      token,
      body: {
        rows: rows.map((r) => ({
          line: r.line,
          name: r.name,
          username: r.username,
          role: r.role,
          team: r.team,
          phone: r.phone,
        })),
      },
    });

  it('previews a CSV saved by Excel with ";" and a BOM, Vietnamese headers in any case and accents, extra columns and blank rows', async () => {
    const csv =
      BOM +
      'STT;HO TEN;tên đăng nhập;Vai Trò;TỔ;Số điện thoại;Ghi chú\r\n' +
      '1;Phạm Thị Lan (test);test-lan;Tình nguyện viên;to cns so 1;0912 345 678;x\r\n' +
      ';;;;;;\r\n' +
      '2;"Hoàng Văn Minh; tổ trưởng (test)";Test-Minh;tổ trưởng;Tổ CNS số 2;;\r\n';
    const before = await db.count('users');
    const res = await preview(csv);
    expect(res.status).toBe(200);
    const { rows } = ImportPreviewResponse.parse(res.body);
    expect(rows.map((r) => [r.line, r.name, r.username, r.roleValue, r.teamId, r.phone])).toEqual([
      [2, 'Phạm Thị Lan (test)', 'test-lan', 'volunteer', 'team-1', '0912345678'],
      [4, 'Hoàng Văn Minh; tổ trưởng (test)', 'test-minh', 'lead', 'team-2', ''],
    ]);
    expect(rows.every((r) => r.problems.length === 0)).toBe(true);
    // A preview writes nothing.
    expect(await db.count('users')).toBe(before);
    expect(await db.count('enrolments')).toBe(0);
  });

  it('previews an XLSX with English headers, and a phone typed as a number keeps its leading 0', async () => {
    const file = await xlsx([
      ['Name', 'Username', 'Role', 'Team', 'Phone'],
      ['Lý Thị Nga (test)', 'test-nga', 'volunteer', 'Tổ CNS số 1', 912345678],
      ['Mai Văn Oanh (test)', 'test-oanh', 'lead', 'TO CNS SO 2', '+84 98 765 4321'],
    ]);
    const res = await preview(file);
    expect(res.status).toBe(200);
    const { rows } = ImportPreviewResponse.parse(res.body);
    expect(rows.map((r) => [r.line, r.username, r.roleValue, r.teamName, r.phone, r.problems])).toEqual([
      [2, 'test-nga', 'volunteer', 'Tổ CNS số 1', '0912345678', []],
      [3, 'test-oanh', 'lead', 'Tổ CNS số 2', '0987654321', []],
    ]);
  });

  it('names each row’s problem in Vietnamese: missing name, bad or taken or repeated username, role, team, phone, ID number', async () => {
    const csv = [
      'Họ tên,Tên đăng nhập,Vai trò,Tổ,SĐT',
      ',test-khong-ten,tình nguyện viên,Tổ CNS số 1,',
      'Người Thử (test),Nguyễn Văn,tình nguyện viên,Tổ CNS số 1,',
      'Người Thử (test),demo-tnv,tình nguyện viên,Tổ CNS số 1,',
      'Người Thử A (test),test-trung,tình nguyện viên,Tổ CNS số 1,',
      'Người Thử B (test),test-trung,tình nguyện viên,Tổ CNS số 1,',
      'Người Thử (test),test-quan-tri,quản trị,Tổ CNS số 1,',
      'Người Thử (test),test-to-la,tình nguyện viên,Tổ không có,',
      'Người Thử (test),test-so-sai,tình nguyện viên,Tổ CNS số 1,12345',
      'Người Thử 0010 9501 2345 (test),test-cccd,tình nguyện viên,Tổ CNS số 1,',
      // Another commune's team is not found either.
      'Người Thử (test),test-to-khac,tình nguyện viên,Tổ khác,',
    ].join('\n');
    const res = await preview(csv);
    expect(res.status).toBe(200);
    const { rows } = ImportPreviewResponse.parse(res.body);
    expect(rows.map(problems)).toEqual([
      ['name:required'],
      ['username:invalid'],
      ['username:taken'],
      ['username:duplicate'],
      ['username:duplicate'],
      ['role:unknown_role'],
      ['team:unknown_team'],
      ['phone:invalid'],
      ['name:looks_like_id'],
      ['team:unknown_team'],
    ]);
    expect(rows[0]?.problems[0]?.message).toBe('Thiếu họ tên.');
    expect(rows[2]?.problems[0]?.message).toBe('Tên đăng nhập đã có người dùng.');
    expect(rows[6]?.problems[0]?.message).toMatch(/^Không có tổ "Tổ không có" trong xã/);
    expect(rows[8]?.problems[0]?.message).toMatch(/số định danh/);
  });

  it('refuses a file that cannot be read as people with 400 naming the file: missing columns, too many rows, not UTF-8, a zip bomb', async () => {
    const missing = await preview('Họ tên;Tổ\nAi đó;Tổ CNS số 1\n');
    expect(missing.status).toBe(400);
    expect(fieldCodes(missing.body)).toEqual(['missing_columns']);
    const many = ['Họ tên;Tên đăng nhập;Vai trò;Tổ'];
    for (let i = 0; i <= MAX_IMPORT_ROWS; i++) many.push(`Người ${i};test-nhieu-${i};tnv;Tổ CNS số 1`);
    const tooMany = await preview(many.join('\n'));
    expect(tooMany.status).toBe(400);
    expect(fieldCodes(tooMany.body)).toEqual(['too_many_rows']);
    const latin1 = await preview(new Uint8Array([0x48, 0x6f, 0x20, 0x74, 0xea, 0x6e, 0x3b, 0x0a]));
    expect(latin1.status).toBe(400);
    expect(fieldCodes(latin1.body)).toEqual(['encoding']);
    // An XLSX that would inflate to 100 MB is refused before it is unzipped; a damaged one too.
    const bomb = await preview(zipOfZeros(100 * 1024 * 1024));
    expect(bomb.status).toBe(400);
    expect(fieldCodes(bomb.body)).toEqual(['too_large']);
    const damaged = await preview(zipOfZeros(1000).slice(0, 200));
    expect(damaged.status).toBe(400);
    expect(fieldCodes(damaged.body)).toEqual(['unreadable']);
    const big = await server.request('/api/v1/admin/users/import/preview', {
      token: admin,
      body: { file: 'A'.repeat(3 * 1024 * 1024) },
    });
    expect(big.status).toBe(413);
    expect(code(big.body)).toBe('payload_too_large');
  });

  it('commits the previewed rows: accounts without password in the right teams, each with a one-time enrolment code that enrols a phone', async () => {
    const csv = `${BOM}Họ tên;Tên đăng nhập;Vai trò;Tổ\nĐinh Thị Phương (test);test-phuong;TNV;tổ cns số 2\nTạ Văn Quang (test);test-quang;Tổ trưởng;Tổ CNS số 1\n`;
    const { rows } = ImportPreviewResponse.parse((await preview(csv)).body);
    const res = await commit(rows);
    expect(res.status).toBe(201);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const { people } = ImportCommitResponse.parse(res.body);
    expect(
      people.map((p) => [p.user.username, p.user.role, p.user.teamId, p.teamName, p.user.hasPassword]),
    ).toEqual([
      ['test-phuong', 'volunteer', 'team-2', 'Tổ CNS số 2', false],
      ['test-quang', 'lead', 'team-1', 'Tổ CNS số 1', false],
    ]);
    const dir = AdminDirectory.parse(
      (await server.request('/api/v1/admin/directory', { token: admin })).body,
    );
    expect(dir.users.find((u) => u.username === 'test-quang')?.teamId).toBe('team-1');
    const enrolled = await server.request('/api/v1/auth/enrol', {
      body: { token: people[0]?.enrolment.token, label: 'Điện thoại thử' },
    });
    expect(enrolled.status).toBe(200);
    expect(LoginResponse.parse(enrolled.body).user.username).toBe('test-phuong');
    // Previewed again, the same rows are now taken.
    const again = ImportPreviewResponse.parse((await preview(csv)).body);
    expect(again.rows.map(problems)).toEqual([['username:taken'], ['username:taken']]);
  });

  it('commits nothing when one row has a problem, checked again on the server whatever the preview said', async () => {
    const csv =
      'Họ tên;Tên đăng nhập;Vai trò;Tổ\nVõ Thị Rạng (test);test-rang;tnv;Tổ CNS số 1\nHồ Văn Sơn (test);test-son;tnv;Tổ CNS số 1\n';
    const { rows } = ImportPreviewResponse.parse((await preview(csv)).body);
    expect(rows.every((r) => r.problems.length === 0)).toBe(true);
    const users = await db.count('users');
    const enrolments = await db.count('enrolments');
    // The second row's team is edited to one of another commune after the preview.
    const res = await commit([rows[0]!, { ...rows[1]!, team: 'Tổ khác' }]);
    expect(res.status).toBe(400);
    expect(fieldCodes(res.body)).toEqual(['row_problems']);
    const details = ErrorResponse.parse(res.body).error.details as { rows: ImportRow[] };
    expect(details.rows.map((r) => [r.line, problems(r)])).toEqual([[3, ['team:unknown_team']]]);
    expect(await db.count('users')).toBe(users);
    expect(await db.count('enrolments')).toBe(enrolments);
  });

  it('reads teams in the admin’s own commune only: the other commune’s admin finds its own team, not ours', async () => {
    const csv =
      'Họ tên;Tên đăng nhập;Vai trò;Tổ\nNgười Xã Khác (test);test-xa-khac;tnv;Tổ CNS số 1\nNgười Xã Khác 2 (test);test-xa-khac-2;tnv;to khac\n';
    const { rows } = ImportPreviewResponse.parse((await preview(csv, otherAdmin)).body);
    expect(rows.map(problems)).toEqual([['team:unknown_team'], []]);
    expect(rows[1]?.teamId).toBe('other-team');
    const res = await commit([rows[1]!], otherAdmin);
    expect(res.status).toBe(201);
    expect(ImportCommitResponse.parse(res.body).people[0]?.user.teamId).toBe('other-team');
  });

  it('answers only admins', async () => {
    const volunteer = (await server.login('demo-tnv')).token;
    const res = await preview('Họ tên;Tên đăng nhập;Vai trò;Tổ\n', volunteer);
    expect(res.status).toBe(403);
  });
});
