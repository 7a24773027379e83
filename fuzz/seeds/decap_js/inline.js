window.CMS.init({
  config: { // inline
    load_config_file: false,
    backend: { name: 'git-gateway', branch: process.env.BRANCH || 'main' },
    preview() { return h('p', {}, 'it\'s') },
  },
});
