// The page a phone gets instead of the app when it opened the server by a plain http:// address other
// than localhost: there the browser gives the app no service worker and no WebCrypto, so it cannot work.
import type { FastifyInstance, FastifyRequest } from 'fastify';

/** What the notice looks at: the parts of a request that tell whether the browser sees a secure page. */
export interface NoticeRequest {
  /** Fastify's protocol: `https` behind a TRUST_PROXY proxy that says so in X-Forwarded-Proto. */
  protocol: string;
  /** The client address (the phone's, behind a trusted proxy). */
  ip: string;
  /** The Host the browser used, with its port. */
  host: string;
  /** Raw X-Forwarded-Proto, believed or not. */
  forwardedProto: string | undefined;
}

function isLoopbackAddress(ip: string): boolean {
  const bare = ip.startsWith('::ffff:') ? ip.slice('::ffff:'.length) : ip;
  return bare === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(bare);
}

/** The browser treats these host names as secure even over http (localhost, 127.0.0.0/8, [::1]). */
function isLoopbackHost(host: string): boolean {
  const name = (host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : (host.split(':')[0] ?? ''))
    .toLowerCase()
    .replace(/\.$/, '');
  return (
    name === 'localhost' ||
    name.endsWith('.localhost') ||
    name === '[::1]' ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name)
  );
}

/**
 * True when the page would reach the browser over plain http at a non-local address. Pure.
 * Any X-Forwarded-Proto: https is believed here, even from a proxy not in TRUST_PROXY: the notice
 * guards nothing (a phone's browser cannot add that header), and a proxy that serves HTTPS but
 * was left out of TRUST_PROXY must not turn the working app into this page.
 */
export function needsHttpsNotice(request: NoticeRequest): boolean {
  if (request.protocol === 'https') return false;
  const forwarded = (request.forwardedProto ?? '').split(',')[0]?.trim().toLowerCase();
  if (forwarded === 'https') return false;
  // Both must be local: a browser on the server itself that opened its LAN address is not secure either.
  return !(isLoopbackAddress(request.ip) && isLoopbackHost(request.host));
}

/** The section of docs/operations.md the page sends an admin to. */
export const HTTPS_DOCS = 'docs/operations.md, mục “HTTPS to the phones”';

export const HTTPS_NOTICE_HTML = `<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Cần địa chỉ https:// — Sổ tay Tổ CNS</title>
<style>
body{font-family:system-ui,sans-serif;margin:0;padding:1.5rem;max-width:40rem;line-height:1.5;color:#1f2937}
h1{font-size:1.35rem;color:#b91c1c;margin-top:0}
h2{font-size:1.05rem;margin-bottom:.25rem}
code{background:#f3f4f6;padding:0 .25rem;border-radius:.25rem}
p.en{color:#4b5563;font-size:.9rem;border-top:1px solid #e5e7eb;padding-top:1rem;margin-top:2rem}
</style>
</head>
<body>
<main>
<h1>Sổ tay Tổ CNS cần được mở bằng địa chỉ https://</h1>
<p>Bạn đang mở ứng dụng bằng một địa chỉ <code>http://</code> (không mã hóa). Trên địa chỉ như vậy,
trình duyệt không cho ứng dụng cài đặt, không cho dùng khi mất mạng và không cho mã hóa số định danh
của người dân, nên ứng dụng không chạy ở đây. Dữ liệu đã lưu trên máy này không bị mất.</p>
<h2>Tình nguyện viên</h2>
<p>Hãy hỏi quản trị viên của xã <strong>địa chỉ bắt đầu bằng https://</strong> (hoặc xin mã QR đăng ký
máy) rồi mở địa chỉ đó.</p>
<h2>Quản trị viên</h2>
<p>Đặt máy chủ sau HTTPS theo hướng dẫn trong ${HTTPS_DOCS}: có tên miền thì dùng Caddy (tự lấy chứng
chỉ); xã chưa có tên miền thì làm theo cách thứ hai trong mục đó. Nếu đã có HTTPS phía trước mà vẫn thấy
trang này, proxy chưa gửi <code>X-Forwarded-Proto: https</code>.</p>
<p>Thiết lập lần đầu (trang <code>/setup</code>) cũng không mở qua <code>http://</code> từ máy khác, vì mật
khẩu quản trị sẽ đi qua mạng không mã hóa: mở liên kết thiết lập ngay trên máy chủ
(<code>http://127.0.0.1:…</code>), qua đường hầm SSH (<code>ssh -L 8080:127.0.0.1:8080 …</code>), sau khi
đã có HTTPS, hoặc dùng lệnh <code>--setup</code>.</p>
<p class="en" lang="en">Sổ tay Tổ CNS needs an https:// address: over plain http at this address the browser
allows no offline use, no install and no encryption, so the app cannot run. Volunteers: ask your admin
for the https:// address. Admins: see ${HTTPS_DOCS}.</p>
</main>
</body>
</html>
`;

function wantsPage(request: FastifyRequest): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  const path = request.url.split('?')[0] ?? '';
  if (path === '/api' || path.startsWith('/api/')) return false;
  // The app's page is what a navigation asks for; its files, the API and scripts are left alone.
  return (request.headers.accept ?? '').includes('text/html');
}

/** Before any route: a page navigation over plain http at a non-local address gets the notice. */
export function registerHttpsNotice(app: FastifyInstance): void {
  app.addHook('onRequest', async (request, reply) => {
    if (!wantsPage(request)) return;
    const proto = request.headers['x-forwarded-proto'];
    const notice = needsHttpsNotice({
      protocol: request.protocol,
      ip: request.ip,
      host: request.host,
      forwardedProto: Array.isArray(proto) ? proto[0] : proto,
    });
    if (!notice) return;
    return reply
      .code(200)
      .header('cache-control', 'no-store')
      .type('text/html; charset=utf-8')
      .send(HTTPS_NOTICE_HTML);
  });
}
