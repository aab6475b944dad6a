// The sync proofs run the real client engine (Dexie) in Node: fake-indexeddb stands in for the
// browser's IndexedDB, the one part that cannot run here.
import 'fake-indexeddb/auto';
