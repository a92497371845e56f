App({
  onLaunch: function () {
    var keep = [];
    for (;;) { keep.push(new Array(100000).fill(7)); }
  }
});
