// The edition bar of a frozen edition, brought up to date from the publish tree's versions.json.
// A frozen edition's bytes never change, so what was published after it is read here, from the same origin:
// the edition menu lists every edition; the banner says which edition is current and links to this page in it
// (or to the page that replaced it, or to the change log when it is gone), keeping the anchor the reader is at;
// and <head> gains the RFC 5829 successor-version link. From disk (the offline copy) nothing is fetched.
(function () {
  "use strict";

  function dateText(iso) {
    return new Date(iso + "T00:00:00Z").toLocaleDateString("en-GB", {
      day: "numeric", month: "long", year: "numeric", timeZone: "UTC"
    });
  }

  // Where `src` is in `edition`: its page, the page that replaced it, or nothing.
  function pathIn(edition, src) {
    if (Object.prototype.hasOwnProperty.call(edition.pages || {}, src)) return { path: edition.pages[src], kind: "page" };
    if (Object.prototype.hasOwnProperty.call(edition.moved || {}, src)) return { path: edition.moved[src], kind: "moved" };
    return null;
  }

  function withHash(path) {
    return path.indexOf("#") < 0 && location.hash ? path + location.hash : path;
  }

  function menuItem(root, edition, src, data, version) {
    var found = pathIn(edition, src);
    var item = document.createElement("li");
    var link = document.createElement("a");
    link.href = new URL(edition.path + (found ? found.path : ""), root).href;
    link.textContent = "Edition " + edition.version;
    if (edition.version === version) link.setAttribute("aria-current", "page");
    var time = document.createElement("time");
    time.dateTime = edition.date;
    time.textContent = dateText(edition.date);
    item.append(link, ", ", time);
    if (edition.version === data.latest) item.append(" (current)");
    return item;
  }

  function update(bar, data) {
    var root = new URL(bar.getAttribute("data-publish-root"), location.href);
    var src = bar.getAttribute("data-edition-src");
    var version = bar.getAttribute("data-edition");
    var editions = data.editions || [];
    var list = bar.querySelector(".edition-menu__list");
    if (list) {
      var keep = list.querySelector(".edition-menu__current");
      list.replaceChildren.apply(list, (keep ? [keep] : []).concat(editions.map(function (edition) {
        return menuItem(root, edition, src, data, version);
      })));
    }
    var latest = editions.filter(function (e) { return e.version === data.latest; })[0];
    var link = bar.querySelector(".edition-bar__current");
    var status = bar.querySelector(".edition-bar__status");
    if (!latest || !link) return;
    var found = pathIn(latest, src);
    var target = found ? withHash(found.path) : latest.changelog;
    link.href = new URL(target, root).href;
    if (!found) link.textContent = "This page is not in the current edition: read the change log";
    if (status) {
      status.textContent = latest.version === version
        ? "It is the current edition."
        : "The current edition is " + latest.version + " of " + dateText(latest.date) + ".";
      status.hidden = false;
    }
    var index = editions.map(function (e) { return e.version; }).indexOf(version);
    if (index > 0) {
      var next = editions[index - 1];
      var there = pathIn(next, src);
      var rel = document.createElement("link");
      rel.rel = "successor-version";
      rel.href = new URL(next.path + (there ? there.path : ""), root).href;
      document.head.appendChild(rel);
    }
    if (found && found.path.indexOf("#") < 0) {
      window.addEventListener("hashchange", function () {
        link.href = new URL(withHash(found.path), root).href;
      });
    }
  }

  function setUp() {
    // The root is rebuilt at every release, so its bar is up to date as built; only a frozen copy asks.
    var bar = document.querySelector(".edition-bar[data-frozen]");
    if (!bar || location.protocol === "file:") return;
    var root = new URL(bar.getAttribute("data-publish-root"), location.href);
    fetch(new URL("versions.json", root), { cache: "no-cache" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (data) update(bar, data);
      })
      .catch(function () { /* no versions.json (a build outside the publish tree): the bar stays as built */ });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
