App({
  onLaunch: function () {
    wx.getLocation({ type: "gcj02", success: function (r) { getApp().where = r; } });
  }
});
