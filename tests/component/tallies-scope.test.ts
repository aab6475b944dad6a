// "Thống kê" says whose figures it shows: the reader's own records on this phone (a lead's own
// too, never the team's, which the dashboard shows under the team's name).
import { render, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { contextOf } from '../../src/app/state/context.ts';
import { talliesSlot } from '../../src/app/state/tallies-slot.ts';
import TalliesScreen from '../../src/app/ui/tallies/TalliesScreen.svelte';
import { loggedInDb } from './support/db.ts';

describe('own tallies scope', () => {
  it('names its scope under the title, before and after the counts load', async () => {
    const db = await loggedInDb();
    const { container } = render(TalliesScreen, {
      props: { now: new Date(2025, 9, 15, 10, 0) },
      context: contextOf(talliesSlot.entry({ db })),
    });
    const scope = container.querySelector('[data-scope="own"]');
    expect(scope!.textContent).toBe(
      'Phạm vi: cá nhân, chỉ các lượt hỗ trợ do bạn ghi trên máy này; bản ghi của người khác trong tổ không tính.',
    );
    expect(scope!.previousElementSibling!.textContent).toBe('Thống kê của tôi');
    await waitFor(() => expect(container.querySelector('[data-period="today"]')).toBeTruthy());
    expect(container.querySelector('[data-scope="own"]')).toBe(scope);
  });
});
