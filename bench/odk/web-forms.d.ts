// @getodk/web-forms names a declaration file in its exports but does not ship it: the two exports
// the bench page uses, as loosely as it uses them.
declare module '@getodk/web-forms' {
  import type { Component, Plugin } from 'vue';

  export const OdkWebForm: Component;
  export const webFormsPlugin: Plugin;
}
