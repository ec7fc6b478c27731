// nutgraf serve: reload the page after each build, swap stylesheets after a CSS-only change,
// and show the build's errors over the page while the last build failed.
(() => {
  "use strict";
  const OVERLAY_ID = "nutgraf-error-overlay";

  function removeOverlay() {
    const old = document.getElementById(OVERLAY_ID);
    if (old) old.remove();
  }

  function showOverlay(report) {
    removeOverlay();
    const box = document.createElement("div");
    box.id = OVERLAY_ID;
    box.setAttribute("role", "alert");
    box.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;padding:2rem;" +
      "background:rgba(20,20,20,.94);color:#fff;font:14px/1.5 ui-monospace,monospace;white-space:pre-wrap";
    const title = document.createElement("h2");
    title.textContent = "nutgraf: the last build failed";
    title.style.cssText = "color:#ff8a80;font:bold 18px/1.3 system-ui,sans-serif;margin:0 0 1rem";
    box.append(title);
    for (const item of report.errors || []) {
      const line = document.createElement("p");
      line.className = "nutgraf-error";
      line.style.margin = "0 0 .75rem";
      line.textContent = item;  // text, never markup: messages quote the user's files
      box.append(line);
    }
    document.body.append(box);
  }

  function swapStylesheets() {
    for (const link of document.querySelectorAll('link[rel="stylesheet"]')) {
      const url = new URL(link.href);
      url.searchParams.set("nutgraf-reload", String(Date.now()));
      link.href = url.href;
    }
  }

  const source = new EventSource("/__nutgraf/events");
  source.addEventListener("reload", () => location.reload());
  source.addEventListener("css", () => { removeOverlay(); swapStylesheets(); });
  source.addEventListener("build-error", (event) => showOverlay(JSON.parse(event.data)));
  window.__nutgrafLive = source;
})();
