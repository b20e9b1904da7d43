/* 预览模式：保存后自动刷新；构建出错时在页面上方显示错误（文件、行、表、行、列），修好保存后自动恢复。 */
(function () {
  "use strict";
  var script = document.currentScript;
  // The preview server speaks livereload's protocol over a WebSocket (see preview_server.py): the
  // page says hello and who it is, the server answers hello, and sends `reload` after every build.
  // When the server restarts, the page reconnects and reloads (the site may have been rebuilt meanwhile).
  var events = new URL("../__preview__/livereload", script.src);
  events.protocol = events.protocol === "https:" ? "wss:" : "ws:";
  var PROTOCOL = "http://livereload.com/protocols/official-7";
  function listen(lost) {
    var socket = new WebSocket(events);
    socket.addEventListener("open", function () {
      socket.send(JSON.stringify({ command: "hello", protocols: [PROTOCOL] }));
    });
    socket.addEventListener("message", function (message) {
      var data = JSON.parse(message.data);
      if (data.command === "hello") {
        socket.send(JSON.stringify({ command: "info", url: window.location.href, plugins: {} }));
        if (lost) { window.location.reload(); return; }
        document.documentElement.setAttribute("data-preview", "ready");
      } else if (data.command === "reload") {
        socket.close();
        window.location.reload();
      }
    });
    socket.addEventListener("close", function (closed) {
      if (!closed.wasClean) { window.setTimeout(function () { listen(true); }, 500); }
    });
  }
  listen(false);
  var status = new URL("../__preview__/status.json", script.src);
  fetch(status, { cache: "no-store" })
    .then(function (response) { return response.ok ? response.json() : null; })
    .then(function (state) {
      if (!state || state.ok) { return; }
      var box = document.createElement("section");
      box.id = "preview-errors";
      box.setAttribute("role", "alert");
      var title = document.createElement("h2");
      title.textContent = "数据有错误，网站未更新（显示的是上一次成功构建的版本）";
      box.appendChild(title);
      var list = document.createElement("ol");
      state.problems.forEach(function (line) {
        var item = document.createElement("li");
        item.textContent = line;
        list.appendChild(item);
      });
      box.appendChild(list);
      document.body.insertBefore(box, document.body.firstChild);
    })
    .catch(function () {});
})();
