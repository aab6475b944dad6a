// Enrolment QR codes made from an address phones cannot open (the server machine's own localhost,
// where the set-up page is first opened, or plain http): the admin is told before printing them.
import { render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import EnrolmentQr from '../../src/app/ui/admin/EnrolmentQr.svelte';
import QrSheet from '../../src/app/ui/admin/QrSheet.svelte';
import type { ImportedPerson } from '../../src/shared/people-import.ts';

const enrolment = {
  token: 'qr-token-1-abcdefghijklmnopqrstuvwxyz',
  userId: 'u-1',
  expiresAt: '2026-12-08T01:00:00.000Z',
};

const person: ImportedPerson = {
  line: 2,
  teamName: 'Tổ số 1',
  user: {
    id: 'u-1',
    username: 'lan',
    displayName: 'Người Thử',
    role: 'volunteer',
    teamId: 't1',
    active: true,
    hasPassword: false,
  },
  enrolment,
};

function one(origin: string) {
  return render(EnrolmentQr, { props: { enrolment, name: 'Người Thử', origin, onClose: () => undefined } });
}

function sheet(origin: string) {
  return render(QrSheet, { props: { people: [person], phones: new Map(), origin, print: () => undefined } });
}

describe('enrolment codes and the address they carry', () => {
  it.each(['http://127.0.0.1:8080', 'http://localhost:8080', 'https://localhost', 'http://[::1]:8080'])(
    'warns that phones cannot open a code made at %s, on one code and on the sheet',
    (origin) => {
      const a = one(origin);
      expect(screen.getByTestId('enrolment-origin-warning').textContent).toContain('https://');
      a.unmount();
      sheet(origin);
      expect(screen.getByTestId('enrolment-origin-warning').textContent).toContain(origin);
    },
  );

  it('warns about a plain-http LAN address, where phones get the HTTPS notice instead of the app', () => {
    one('http://192.168.1.10:8080');
    expect(screen.getByTestId('enrolment-origin-warning').getAttribute('role')).toBe('alert');
  });

  it('says nothing about the https address the phones use', () => {
    one('https://192.168.1.10');
    expect(screen.queryByTestId('enrolment-origin-warning')).toBeNull();
    sheet('https://sotay.xa.example.vn');
    expect(screen.queryByTestId('enrolment-origin-warning')).toBeNull();
  });
});
