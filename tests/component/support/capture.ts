// Mounting the capture side as the shell does: its state classes handed in through context slots
// (state/context.ts), never a database prop.
import { fireEvent, render, screen } from '@testing-library/svelte';
import type { SotayDB } from '../../../src/app/db/database.ts';
import { CaptureState, VaultAccess, captureSlot, vaultSlot } from '../../../src/app/state/capture.svelte.ts';
import { contextOf } from '../../../src/app/state/context.ts';
import CaptureScreen from '../../../src/app/ui/capture/CaptureScreen.svelte';
import { HAMLETS } from './fake-server.ts';

export interface CaptureSetup {
  contactKey?: string | undefined;
  /** Provide the PIN vault too (the contact section then shows its PIN prompt). */
  vault?: boolean;
  onSaved?: () => void;
  onDirty?: (dirty: boolean) => void;
}

/** The context map the shell provides to the capture side, for `db`. */
export function captureContext(db: SotayDB, setup: Pick<CaptureSetup, 'contactKey' | 'vault'> = {}) {
  const state = new CaptureState({ db, hamlets: HAMLETS, contactKey: setup.contactKey });
  const entries: (readonly [symbol, unknown])[] = [captureSlot.entry(state)];
  if (setup.vault) entries.push(vaultSlot.entry(new VaultAccess(() => db)));
  return { state, context: contextOf(...entries) };
}

/** The vault alone, for the PIN views (contact view, PIN prompt) and the editor. */
export function vaultContext(db: SotayDB) {
  return contextOf(vaultSlot.entry(new VaultAccess(() => db)));
}

/** Render the capture screen over `db` the way App.svelte mounts it. */
export function renderCapture(db: SotayDB, setup: CaptureSetup = {}) {
  const { state, context } = captureContext(db, setup);
  const props = { onSaved: setup.onSaved, onDirty: setup.onDirty };
  return { state, ...render(CaptureScreen, { props, context }) };
}

/**
 * Opens the form's "Liên hệ theo dõi" section and waits for the `toggle` event the browser fires a
 * task after the click: bind:open hears that event, so the section's state is open once it has come.
 */
export async function openContactSection(): Promise<void> {
  const summary = await screen.findByText('Liên hệ theo dõi');
  const details = summary.closest('details');
  if (!details) throw new Error('"Liên hệ theo dõi" is not the summary of a <details>');
  const toggled = new Promise((resolve) => details.addEventListener('toggle', resolve, { once: true }));
  await fireEvent.click(summary);
  await toggled;
}
