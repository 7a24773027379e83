window.CMS.init({
  config: { // inline
  Z  load_config_file: false,
    backend: { name: 'git-gﬁ
});
