App({
  onLaunch: function () {
    for (;;) {}
  }
});
