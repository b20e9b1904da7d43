/* 站内搜索（search/index.html）：网站在服务器上时用 pagefind 的索引（pagefind/），
   从磁盘打开（file://）或预览时用内置索引（search/index.js，定义 window.PORTAL_SEARCH）。
   No inline script, no eval, no inline style: the page runs under a strict Content-Security-Policy. */
(function () {
  "use strict";
  var form = document.getElementById("search-form");
  var input = document.getElementById("search-q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  if (!form || !input || !status || !list) return;
  var root = form.getAttribute("data-root") || "";
  var LIMIT = 50;
  var served = location.protocol === "http:" || location.protocol === "https:";
  var enginePromise = null;
  var searchNumber = 0;
  var timer = 0;

  function siteUrl(path) {
    return new URL(root + path, document.baseURI).href;
  }

  /* ------------------------------------------------------------ pagefind (served site) */
  /* The index comes in parts (pagefind/parts.json lists all but the first): each is merged into
     the first and searched with its WebAssembly. */
  function loadPagefind() {
    var parts = fetch(siteUrl("pagefind/parts.json")).then(function (response) {
      if (!response.ok) throw new Error("pagefind/parts.json: " + response.status);
      return response.json();
    });
    return Promise.all([import(siteUrl("pagefind/pagefind.js")), parts]).then(function (loaded) {
      var pagefind = loaded[0];
      /* In this page, under its CSP ('wasm-unsafe-eval' only here), not in a worker of its own. */
      return Promise.resolve(pagefind.options({ excerptLength: 30, noWorker: true })).then(function () {
        return Promise.all(loaded[1].parts.map(function (part) {
          return pagefind.mergeIndex(siteUrl("pagefind/" + part), { excerptLength: 30 });
        }));
      }).then(function () {
        return {
          name: "pagefind",
          search: function (query) {
            var total = 0;
            return pagefind.search(query).then(function (found) {
              total = found.results.length;
              return Promise.all(found.results.slice(0, LIMIT).map(function (r) { return r.data(); }));
            }).then(function (pages) {
              return {
                total: total,
                items: pages.map(function (page) {
                  return {
                    url: root + String(page.raw_url || page.url).replace(/^\/+/, ""),
                    title: (page.meta && page.meta.title) || page.url,
                    kind: (page.meta && page.meta.kind) || "",
                    excerpt: markedText(page.excerpt || "")
                  };
                })
              };
            });
          }
        };
      });
    });
  }

  /* pagefind's excerpt: page text with < and > escaped and the hits in <mark>…</mark>. */
  function markedText(excerpt) {
    var parts = [];
    var marked = false;
    excerpt.split(/(<\/?mark>)/).forEach(function (piece) {
      if (piece === "<mark>") marked = true;
      else if (piece === "</mark>") marked = false;
      else if (piece) {
        var text = piece.replace(/&lt;/g, "<").replace(/&gt;/g, ">");
        var last = parts[parts.length - 1];
        if (last && last.mark === marked) last.text += text;  /* 医疗|救助: one mark */
        else parts.push({ text: text, mark: marked });
      }
    });
    return parts;
  }

  /* ------------------------------------------------------------ built-in index (file://) */
  function loadBuiltin() {
    return new Promise(function (resolve, reject) {
      if (window.PORTAL_SEARCH) { resolve(window.PORTAL_SEARCH); return; }
      var script = document.createElement("script");
      script.src = new URL("index.js", document.baseURI).href;
      script.onload = function () { if (window.PORTAL_SEARCH) resolve(window.PORTAL_SEARCH); else reject(new Error("内置索引为空")); };
      script.onerror = function () { reject(new Error("无法载入内置索引 index.js")); };
      document.head.appendChild(script);
    }).then(builtinEngine);
  }

  function builtinEngine(data) {
    var shared = data.shared || [];
    var expand = function (s) { return typeof s === "number" ? shared[s] : s; };
    var pages = data.pages.map(function (p) {
      var body = p.subjects.map(expand).join("　") + "\n" + p.notes.map(expand).join("。");
      var head = p.title + "\n" + (p.unit || "") + (p.year ? "\n" + p.year + "年度" : "");
      return { url: p.url, title: p.title, kind: p.kind, body: body,
               head: head.toLowerCase(), text: body.toLowerCase() };
    });
    return {
      name: "builtin",
      search: function (query) {
        var terms = words(query);
        var found = [];
        pages.forEach(function (page) {
          var score = 0;
          for (var i = 0; i < terms.length; i++) {
            var inHead = page.head.indexOf(terms[i]) >= 0;
            var count = page.text.split(terms[i]).length - 1;
            if (!inHead && !count) return;
            score += (inHead ? 10 : 0) + Math.min(count, 10);
          }
          found.push({ page: page, score: score });
        });
        found.sort(function (a, b) { return b.score - a.score || (a.page.url < b.page.url ? -1 : 1); });
        return Promise.resolve({
          total: found.length,
          items: found.slice(0, LIMIT).map(function (f) {
            return { url: root + f.page.url, title: f.page.title, kind: f.page.kind, excerpt: excerpt(f.page, terms) };
          })
        });
      }
    };
  }

  function words(query) {
    return query.toLowerCase().split(/[\s\u3000"“”'‘’，。、；：,.;:]+/).filter(function (w) { return w; });
  }

  /* About 80 characters of the page's text around the first hit, every hit marked. */
  function excerpt(page, terms) {
    var lower = page.text;
    var at = -1;
    terms.forEach(function (t) { var i = lower.indexOf(t); if (i >= 0 && (at < 0 || i < at)) at = i; });
    var start = Math.max(0, at - 25);
    var end = Math.min(page.body.length, Math.max(at, 0) + 55);
    var text = (start > 0 ? "…" : "") + page.body.slice(start, end).replace(/\s+/g, " ") + (end < page.body.length ? "…" : "");
    var low = text.toLowerCase();
    var parts = [];
    var i = 0;
    while (i < text.length) {
      var next = -1, length = 0;
      terms.forEach(function (t) {
        var j = low.indexOf(t, i);
        if (j >= 0 && (next < 0 || j < next || (j === next && t.length > length))) { next = j; length = t.length; }
      });
      if (next < 0) { parts.push({ text: text.slice(i), mark: false }); break; }
      if (next > i) parts.push({ text: text.slice(i, next), mark: false });
      parts.push({ text: text.slice(next, next + length), mark: true });
      i = next + length;
    }
    return parts;
  }

  /* ------------------------------------------------------------ the page */
  function engine() {
    if (!enginePromise) {
      var usePagefind = served && form.getAttribute("data-pagefind") === "on";
      enginePromise = usePagefind ? loadPagefind().catch(fallBack) : loadBuiltin();
    }
    return enginePromise;
  }

  function fallBack(error) {
    if (window.console) console.warn("pagefind 索引无法使用，改用内置索引：", error);
    enginePromise = loadBuiltin();
    return enginePromise;
  }

  function show(query, result, engineName) {
    list.textContent = "";
    list.setAttribute("data-engine", engineName);
    result.items.forEach(function (item) {
      var li = document.createElement("li");
      li.className = "search-result";
      var title = document.createElement("p");
      title.className = "search-title";
      var link = document.createElement("a");
      link.href = item.url;
      link.textContent = item.title;
      title.appendChild(link);
      if (item.kind) {
        var kind = document.createElement("span");
        kind.className = "badge";
        kind.textContent = item.kind;
        title.appendChild(document.createTextNode(" "));
        title.appendChild(kind);
      }
      li.appendChild(title);
      if (item.excerpt.length) {
        var p = document.createElement("p");
        p.className = "search-excerpt";
        item.excerpt.forEach(function (part) {
          if (part.mark) {
            var mark = document.createElement("mark");
            mark.textContent = part.text;
            p.appendChild(mark);
          } else {
            p.appendChild(document.createTextNode(part.text));
          }
        });
        li.appendChild(p);
      }
      list.appendChild(li);
    });
    var note = engineName === "builtin" ? "（使用内置索引）" : "";
    if (!result.total) status.textContent = "没有找到包含“" + query + "”的页面。" + note;
    else if (result.total > result.items.length) status.textContent = "找到 " + result.total + " 个页面，显示前 " + result.items.length + " 个。" + note;
    else status.textContent = "找到 " + result.total + " 个页面。" + note;
  }

  function run(query, retry) {
    query = query.trim();
    var number = ++searchNumber;
    if (!query) { list.textContent = ""; status.textContent = ""; return; }
    status.textContent = "正在搜索……";
    engine().then(function (active) {
      return active.search(query).then(function (result) {
        if (number === searchNumber) show(query, result, active.name);
      }, function (error) {
        if (active.name === "pagefind" && !retry) { fallBack(error); run(query, true); return; }
        throw error;
      });
    }).catch(function (error) {
      if (number !== searchNumber) return;
      status.textContent = "搜索暂时无法使用。";
      if (window.console) console.warn(error);
    });
  }

  function remember(query) {
    if (!served || !window.history || !history.replaceState) return;
    try {
      history.replaceState(null, "", query ? "?q=" + encodeURIComponent(query) : location.pathname);
    } catch (e) { /* not allowed here: the address stays as it was */ }
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(timer);
    remember(input.value.trim());
    run(input.value, false);
  });
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { remember(input.value.trim()); run(input.value, false); }, 250);
  });

  var initial = new URLSearchParams(location.search).get("q");
  if (initial) {
    input.value = initial;
    run(initial, false);
  }
})();
