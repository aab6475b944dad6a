// The record form's parts that are not in the first load (its byte budget): one chunk, fetched
// as soon as a form renders (RecordFields' `loadFields`).
export { default as MoreFields } from './MoreFields.svelte';
export { default as ServiceFields } from './ServiceFields.svelte';
