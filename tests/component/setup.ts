// Component-test environment: an in-memory IndexedDB for Dexie and testing-library's auto cleanup.
import 'fake-indexeddb/auto';
import '@testing-library/svelte/vitest';
