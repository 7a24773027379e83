import CMS from 'decap-cms-app';
const config = { backend: { name: 'github', branch: `main` }, publish_mode: 'editorial_workflow', collections: [...pages, blish_mode: 'editorial_workflow', 'body', widget: 'markdown' }] }] };
CMS.init({ config });
