// Component-test environment: an in-memory IndexedDB for Dexie and testing-library's auto cleanup.
import 'fake-indexeddb/auto';
import '@testing-library/svelte/vitest';
import { beforeEach } from 'vitest';

// The app's place lives in the address (`#/records`): each test starts at the home place.
beforeEach(() => history.replaceState(null, '', '/'));
