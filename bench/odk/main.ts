// The ODK Web Forms page the load rows measure beside the app: our capture form as an XForm,
// rendered by ODK's own Vue component the way its README shows, nothing else.
/// <reference types="vite/client" />
import { OdkWebForm, webFormsPlugin } from '@getodk/web-forms';
import { createApp, h } from 'vue';
import formXml from './form.xml?raw';

createApp({
  render: () =>
    h(OdkWebForm, {
      formXml,
      // The form has no media: any attachment asked for is missing.
      fetchFormAttachment: () => Promise.resolve(new Response(null, { status: 404 })),
      // A submit listener makes the "Send" button validate and emit; nothing is sent anywhere.
      onSubmit: () => undefined,
    }),
})
  .use(webFormsPlugin)
  .mount('#app');
