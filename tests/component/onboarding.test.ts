// First-run onboarding and the install step: Chrome's held install prompt behind
// one button, Safari's illustrated steps on iPhone, nothing when installed; three screens with
// Next/Back/"Bỏ qua", shown once per phone to volunteers and leads, and again on request.
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import axe from 'axe-core';
import { beforeEach, describe, expect, it } from 'vitest';
import App from '../../src/app/App.svelte';
import { createServices, loadServices } from '../../src/app/services.ts';
import { contextOf } from '../../src/app/state/context.ts';
import { catchInstallPrompt, heldInstallPrompt } from '../../src/app/state/install-prompt.ts';
import { VaultAccess, vaultSlot } from '../../src/app/state/capture.svelte.ts';
import { InstallState, installSlot } from '../../src/app/state/install.svelte.ts';
import { ONBOARDED_KEY, OnboardingState, onboardingSlot } from '../../src/app/state/onboarding.svelte.ts';
import Onboarding from '../../src/app/ui/onboarding/Onboarding.svelte';
import { freshDb, loggedInDb } from './support/db.ts';
import { ANDROID_UA, IPHONE_UA, fakeNavigator, fakeWindow, installPromptEvent } from './support/install.ts';

function open(install: InstallState, onboarding = new OnboardingState(localStorage)) {
  render(Onboarding, {
    context: contextOf(
      installSlot.entry(install),
      onboardingSlot.entry(onboarding),
      vaultSlot.entry(new VaultAccess(() => freshDb())),
    ),
  });
  return onboarding;
}

const offline: typeof fetch = () => Promise.reject(new TypeError('Failed to fetch'));

const step = () => screen.getByRole('dialog').dataset.onboarding;

beforeEach(() => localStorage.removeItem(ONBOARDED_KEY));

describe('install step', () => {
  it('keeps the early beforeinstallprompt instead of Chrome’s mini-infobar', () => {
    const win = fakeWindow();
    catchInstallPrompt(win);
    const { event } = installPromptEvent();
    win.dispatchEvent(event);
    expect(event.defaultPrevented).toBe(true);
    expect(heldInstallPrompt()).toBe(event);
  });

  it('on Android Chrome, one button shows the held prompt and says it is installed', async () => {
    const { event, prompt } = installPromptEvent('accepted');
    const install = new InstallState({ win: fakeWindow(), nav: fakeNavigator(ANDROID_UA), held: event });
    open(install);
    expect(step()).toBe('install');

    await fireEvent.click(screen.getByRole('button', { name: 'Cài ứng dụng' }));

    expect(prompt).toHaveBeenCalledTimes(1);
    expect((await screen.findByTestId('install-outcome')).textContent).toContain('Đã cài');
    expect(install.way).toBe('installed');
    expect(screen.queryByRole('button', { name: 'Cài ứng dụng' })).toBeNull();
  });

  it('a prompt Chrome offers later shows the button; dismissed, it says where to install later', async () => {
    const win = fakeWindow();
    const install = new InstallState({ win, nav: fakeNavigator(ANDROID_UA), held: null });
    open(install);
    expect(screen.queryByRole('button', { name: 'Cài ứng dụng' })).toBeNull();
    expect(screen.getByRole('dialog').textContent).toContain('menu của trình duyệt');

    const { event } = installPromptEvent('dismissed');
    win.dispatchEvent(event);
    await fireEvent.click(await screen.findByRole('button', { name: 'Cài ứng dụng' }));

    expect((await screen.findByTestId('install-outcome')).textContent).toContain('mục "Lưu trữ"');
    expect(install.way).toBe('manual');
  });

  it('on iPhone Safari (no prompt): the illustrated Share → "Thêm vào MH chính" steps', () => {
    open(new InstallState({ win: fakeWindow(), nav: fakeNavigator(IPHONE_UA), held: null }));
    expect(screen.getByRole('img', { name: 'Nút Chia sẻ của Safari' }).tagName.toLowerCase()).toBe('svg');
    expect(screen.getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      expect.stringContaining('Chia sẻ'),
      expect.stringContaining('"Thêm vào MH chính"'),
      expect.stringContaining('"Thêm"'),
    ]);
  });

  it('already installed (display-mode standalone, or iOS home-screen app): no install screen at all', () => {
    const android = new InstallState({ win: fakeWindow(true), nav: fakeNavigator(ANDROID_UA), held: null });
    const iphone = new InstallState({
      win: fakeWindow(false),
      nav: fakeNavigator(IPHONE_UA, { standalone: true }),
      held: null,
    });
    expect(android.way).toBe('installed');
    expect(iphone.way).toBe('installed');
    expect(iphone.iosNotInstalled).toBe(false);
    open(iphone);
    expect(step()).toBe('pin');
    expect(screen.getByText('Bước 1/2')).toBeTruthy();
    expect(screen.queryByText('Cài vào màn hình chính')).toBeNull();
  });
});

describe('onboarding', () => {
  const android = () => new InstallState({ win: fakeWindow(), nav: fakeNavigator(ANDROID_UA), held: null });

  it('goes through install, PIN set-up and sync with Next and Back, then is done on this phone', async () => {
    const onboarding = open(android());
    expect(onboarding.showsFor('volunteer')).toBe(true);
    expect(screen.getByText('Bước 1/3')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Quay lại' })).toBeNull();

    await fireEvent.click(screen.getByRole('button', { name: 'Tiếp theo' }));
    expect(step()).toBe('pin');
    expect(screen.getByRole('heading', { name: 'Đặt mã PIN trước người dân đầu tiên' })).toBeTruthy();
    // The PIN set-up itself, the same one the capture form's contact section shows.
    await waitFor(() => expect(screen.getByTestId('pin-gate').dataset.status).toBe('none'));
    expect(screen.getByRole('button', { name: 'Đặt mã PIN' })).toBeTruthy();

    await fireEvent.click(screen.getByRole('button', { name: 'Quay lại' }));
    expect(step()).toBe('install');
    await fireEvent.click(screen.getByRole('button', { name: 'Tiếp theo' }));
    await fireEvent.click(screen.getByRole('button', { name: 'Tiếp theo' }));
    expect(step()).toBe('sync');
    expect(screen.getByText('Bước 3/3')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Bỏ qua' })).toBeNull();
    expect(localStorage.getItem(ONBOARDED_KEY)).toBeNull();

    await fireEvent.click(screen.getByRole('button', { name: 'Bắt đầu' }));
    expect(onboarding.showsFor('volunteer')).toBe(false);
    expect(localStorage.getItem(ONBOARDED_KEY)).toBe('1');
  });

  it('Escape ends it like "Bỏ qua"', async () => {
    const onboarding = open(android());
    await fireEvent.keyDown(screen.getByRole('button', { name: 'Tiếp theo' }), { key: 'Escape' });
    expect(onboarding.showsFor('volunteer')).toBe(false);
  });

  it('"Bỏ qua" ends it at once, and the phone remembers it', async () => {
    const onboarding = open(android());
    await fireEvent.click(screen.getByRole('button', { name: 'Tiếp theo' }));
    await fireEvent.click(screen.getByRole('button', { name: 'Bỏ qua' }));
    expect(onboarding.showsFor('lead')).toBe(false);
    // A new page (reload) reads the same phone's answer.
    expect(new OnboardingState(localStorage).showsFor('volunteer')).toBe(false);
  });

  it('shows once to volunteers and leads only, and again when asked', () => {
    const fresh = new OnboardingState(localStorage);
    expect(fresh.showsFor('volunteer')).toBe(true);
    expect(fresh.showsFor('lead')).toBe(true);
    expect(fresh.showsFor('supervisor')).toBe(false);
    expect(fresh.showsFor('admin')).toBe(false);
    fresh.finish();
    fresh.reopen();
    expect(fresh.showsFor('volunteer')).toBe(true);
    fresh.finish();
    expect(fresh.showsFor('volunteer')).toBe(false);
  });

  it('with storage refused (private mode), still ends for this page', () => {
    const broken = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('SecurityError');
      },
    };
    const onboarding = new OnboardingState(broken);
    expect(onboarding.showsFor('volunteer')).toBe(true);
    onboarding.finish();
    expect(onboarding.showsFor('volunteer')).toBe(false);
  });

  it('has no axe violation on any of its screens', async () => {
    open(android());
    for (let i = 0; i < 3; i++) {
      const result = await axe.run(document.body, { rules: { 'color-contrast': { enabled: false } } });
      expect(result.violations.map((v) => `${step()}: ${v.id}`)).toEqual([]);
      if (i < 2) await fireEvent.click(screen.getByRole('button', { name: 'Tiếp theo' }));
    }
  });
});

describe('onboarding in the app', () => {
  it('shows over the capture form for a volunteer once; skipped, a new page does not show it', async () => {
    const db = await loggedInDb();
    const services = createServices({ db, fetch: offline });
    await loadServices(services);
    const first = render(App, { props: { services } });
    const dialog = await screen.findByRole('dialog', { name: 'Hướng dẫn bắt đầu' });
    // The app behind it is inert while it shows, and again usable once it is skipped.
    const capture = screen.getByRole('radiogroup', { name: 'Loại hỗ trợ' });
    await waitFor(() => expect(capture.closest('[inert]')).not.toBeNull());
    expect(dialog.closest('[inert]')).toBeNull();

    await fireEvent.click(within(dialog).getByRole('button', { name: 'Bỏ qua' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(document.querySelector('[data-onboarding]')).toBeNull();
    expect(document.querySelector('[inert]')).toBeNull();
    first.unmount();

    const again = createServices({ db, fetch: offline });
    await loadServices(again);
    render(App, { props: { services: again } });
    expect(screen.getByRole('radiogroup', { name: 'Loại hỗ trợ' })).toBeTruthy();
    // It would render in the same pass as the capture form.
    expect(document.querySelector('[data-onboarding]')).toBeNull();
  });
});
