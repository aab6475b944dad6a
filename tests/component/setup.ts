// Component-test environment: an in-memory IndexedDB for Dexie and testing-library's auto cleanup.
import 'fake-indexeddb/auto';
import '@testing-library/svelte/vitest';
import { configure } from '@testing-library/svelte';
import { beforeEach } from 'vitest';

// Screens are lazy chunks: their first import in a worker can take seconds while CI runs every
// suite at once, longer than testing-library's 1 s default for findBy/waitFor.
configure({ asyncUtilTimeout: 4000 });

// The app's place lives in the address (`#/records`): each test starts at the home place.
beforeEach(() => history.replaceState(null, '', '/'));
