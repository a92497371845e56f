module.exports = {
  save: function (data) {
    wx.request({ url: "http://member.example.cn/user/save", method: "POST", data: data });
  }
};
