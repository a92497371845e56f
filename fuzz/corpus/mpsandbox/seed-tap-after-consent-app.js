App({
  onLaunch: function () {
    wx.onNeedPrivacyAuthorization(function (resolve) { getApp().agree = resolve; });
  }
});
