/* 预览模式：保存后自动刷新；构建出错时在页面上方显示错误（文件、行、表、行、列），修好保存后自动恢复。 */
(function () {
  "use strict";
  var script = document.currentScript;
  // The preview server sends `reload` after every build (a WebSocket, see preview_server.py). When
  // the server restarts, the page reconnects and reloads (the site may have been rebuilt meanwhile).
  var events = new URL("../__preview__/events", script.src);
  events.protocol = events.protocol === "https:" ? "wss:" : "ws:";
  function listen(lost) {
    var socket = new WebSocket(events);
    socket.addEventListener("message", function (message) {
      var data = JSON.parse(message.data);
      if (data.event === "ready" && lost) {
        window.location.reload();
      } else if (data.event === "ready") {
        document.documentElement.setAttribute("data-preview", "ready");
      } else if (data.event === "reload") {
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
