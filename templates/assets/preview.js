/* 预览模式：保存后自动刷新；构建出错时在页面上方显示错误（文件、行、表、行、列），修好保存后自动恢复。 */
(function () {
  "use strict";
  var script = document.currentScript;
  // The preview server sends `reload` after every build (server-sent events, see preview_server.py).
  var events = new EventSource(new URL("../__preview__/events", script.src));
  events.addEventListener("ready", function () { document.documentElement.setAttribute("data-preview", "ready"); });
  events.addEventListener("reload", function () {
    events.close();
    window.location.reload();
  });
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
