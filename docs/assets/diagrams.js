// Diagrams, for reading: the page never draws one smaller than the size its width attribute gives (labels at
// 12 px, hooks/diagram_svg.py), so a wide one scrolls sideways in its box. This script adds what needs a
// script: a cue and keyboard focus on a box that scrolls, and a full-screen view with zoom and pan (mouse,
// touch, keyboard; Esc closes; focus returns to the button that opened it). Before printing, every collapsed
// box (the text version, the citation) is opened.
// Under the site's Content-Security-Policy: no inline style anywhere, so styles are set only through CSSOM
// properties (element.style.x = …); nothing is fetched, so it works the same from file://.
(function () {
  "use strict";

  var DRAWING = ".diagram-drawing";
  var ZOOM_STEP = 1.25;
  var MAX_SCALE = 4;
  var MARGIN = 16; // px of room kept around the diagram in the full-screen view
  var DRAG_THRESHOLD = 4; // px a pointer moves before a press becomes a drag (and is no longer a click)

  function element(tag, className, text) {
    var el = document.createElement(tag);
    if (className) el.className = className;
    if (text) el.textContent = text;
    return el;
  }

  function button(className, text, label) {
    var b = element("button", className, text);
    b.type = "button";
    if (label) b.setAttribute("aria-label", label);
    return b;
  }

  function titleOf(svg) {
    var title = svg.querySelector(":scope > title");
    return (title && title.textContent.trim()) || "Diagram";
  }

  // The full-screen view: one <dialog> per page, made on first use. The diagram's own SVG moves into it and
  // back (a copy would repeat every id of the drawing in the page).
  function Viewer() {
    var self = this;
    var dialog = element("dialog", "diagram-viewer");
    dialog.setAttribute("aria-labelledby", "diagram-viewer-title");
    dialog.setAttribute("aria-describedby", "diagram-viewer-help");
    var bar = element("div", "diagram-viewer__bar");
    var heading = element("h2", "diagram-viewer__title");
    heading.id = "diagram-viewer-title";
    var controls = element("div", "diagram-viewer__controls");
    var zoomOut = button("diagram-viewer__button", "−", "Zoom out");
    var zoomIn = button("diagram-viewer__button", "+", "Zoom in");
    var fit = button("diagram-viewer__button", "Fit", "Fit the whole diagram");
    var level = element("output", "diagram-viewer__level");
    level.setAttribute("aria-live", "polite");
    level.setAttribute("aria-label", "Zoom");
    var close = button("diagram-viewer__button diagram-viewer__close", "Close", "Close the full-screen view");
    controls.append(zoomOut, level, zoomIn, fit, close);
    bar.append(heading, controls);
    var stage = element("div", "diagram-viewer__stage");
    stage.tabIndex = 0;
    stage.setAttribute("role", "group");
    stage.setAttribute("aria-roledescription", "zoomable diagram");
    stage.setAttribute("aria-labelledby", "diagram-viewer-title");
    stage.setAttribute("aria-describedby", "diagram-viewer-help");
    var canvas = element("div", "diagram-viewer__canvas");
    stage.append(canvas);
    var help = element(
      "p",
      "diagram-viewer__help",
      "Drag or use the arrow keys to move; zoom with the wheel, a pinch, or the + and − keys; 0 fits the whole diagram; Esc closes."
    );
    help.id = "diagram-viewer-help";
    dialog.append(bar, stage, help);
    document.body.append(dialog);

    this.dialog = dialog;
    this.stage = stage;
    this.canvas = canvas;
    this.heading = heading;
    this.level = level;
    this.current = null; // {svg, host, opener, width, height, readable}
    this.inHistory = false; // the view's entry is the current history entry
    this.afterHistory = null; // what to do once that entry is popped (follow the link that closed the view)
    this.scale = 1;
    this.x = 0;
    this.y = 0;

    zoomIn.addEventListener("click", function () { self.zoomBy(ZOOM_STEP); });
    zoomOut.addEventListener("click", function () { self.zoomBy(1 / ZOOM_STEP); });
    fit.addEventListener("click", function () { self.fitAll(); });
    close.addEventListener("click", function () { self.dialog.close(); });
    dialog.addEventListener("close", function () { self.restore(); });
    dialog.addEventListener("keydown", function (event) { self.onKey(event); });
    // The browser's Back closes the view, as it closes a full-screen image elsewhere: the view has a history
    // entry of its own (same URL), popped again when the view closes any other way.
    window.addEventListener("popstate", function () {
      if (!self.inHistory) return;
      self.inHistory = false;
      if (self.current) self.dialog.close();
      var next = self.afterHistory;
      self.afterHistory = null;
      if (next) next();
    });
    this.listenToPointers();
    new ResizeObserver(function () { if (self.current) self.apply(); }).observe(stage);
  }

  Viewer.prototype.open = function (svg, host, opener) {
    if (this.current) this.dialog.close();
    var box = svg.viewBox.baseVal;
    // The page's smallest size for this drawing (its width attribute) is the scale at which labels read well.
    var readable = svg.width.baseVal.value / box.width;
    this.current = { svg: svg, host: host, opener: opener, width: box.width, height: box.height, readable: readable };
    host.style.minHeight = host.offsetHeight + "px"; // the page keeps its layout while the drawing is away
    this.heading.textContent = titleOf(svg);
    this.canvas.style.width = box.width + "px";
    this.canvas.style.height = box.height + "px";
    this.canvas.append(svg);
    document.documentElement.classList.add("diagram-viewer-open");
    if (!this.inHistory) {
      history.pushState({ diagramViewer: true }, "");
      this.inHistory = true;
    }
    this.dialog.showModal();
    this.reset();
    this.stage.focus();
  };

  // Back to the page: the drawing returns to its box, and focus to the button that opened the view (not after
  // a click on one of the diagram's links, which takes the reader to the paragraph it names).
  Viewer.prototype.restore = function () {
    var current = this.current;
    if (!current) return;
    this.current = null;
    current.host.append(current.svg);
    current.host.style.minHeight = "";
    document.documentElement.classList.remove("diagram-viewer-open");
    if (!this.followingLink) current.opener.focus();
    this.followingLink = false;
    if (this.inHistory) history.back(); // its popstate finds the view closed
  };

  Viewer.prototype.fitScale = function () {
    var c = this.current;
    var w = this.stage.clientWidth - 2 * MARGIN;
    var h = this.stage.clientHeight - 2 * MARGIN;
    return Math.max(0.05, Math.min(w / c.width, h / c.height));
  };

  Viewer.prototype.limits = function () {
    return [Math.min(this.fitScale(), this.current.readable), Math.max(MAX_SCALE, this.current.readable)];
  };

  // Opens at the larger of "the whole diagram" and "labels readable", with the top of the diagram in view.
  Viewer.prototype.reset = function () {
    this.scale = Math.min(Math.max(this.fitScale(), this.current.readable), 2);
    this.x = (this.stage.clientWidth - this.current.width * this.scale) / 2;
    this.y = MARGIN;
    this.apply();
  };

  Viewer.prototype.fitAll = function () {
    this.scale = this.fitScale();
    this.x = (this.stage.clientWidth - this.current.width * this.scale) / 2;
    this.y = (this.stage.clientHeight - this.current.height * this.scale) / 2;
    this.apply();
  };

  // Zoom by `factor` keeping the point (px, py) of the stage where it is; the stage's centre by default.
  Viewer.prototype.zoomBy = function (factor, px, py) {
    if (px === undefined) {
      px = this.stage.clientWidth / 2;
      py = this.stage.clientHeight / 2;
    }
    var limits = this.limits();
    var scale = Math.min(limits[1], Math.max(limits[0], this.scale * factor));
    this.x = px - ((px - this.x) * scale) / this.scale;
    this.y = py - ((py - this.y) * scale) / this.scale;
    this.scale = scale;
    this.apply();
  };

  Viewer.prototype.panBy = function (dx, dy) {
    this.x += dx;
    this.y += dy;
    this.apply();
  };

  // A diagram smaller than the stage stays centred; a larger one can be moved until its edge, not beyond.
  Viewer.prototype.clamp = function (offset, size, room) {
    if (size + 2 * MARGIN <= room) return (room - size) / 2;
    return Math.min(MARGIN, Math.max(room - size - MARGIN, offset));
  };

  Viewer.prototype.apply = function () {
    var c = this.current;
    this.x = this.clamp(this.x, c.width * this.scale, this.stage.clientWidth);
    this.y = this.clamp(this.y, c.height * this.scale, this.stage.clientHeight);
    this.canvas.style.transform = "translate(" + this.x + "px, " + this.y + "px) scale(" + this.scale + ")";
    this.level.textContent = Math.round(this.scale * 100) + " %";
  };

  Viewer.prototype.onKey = function (event) {
    // Material's own shortcuts (search, next and previous page) listen on the window: not while the view is open.
    event.stopPropagation();
    if (!this.current || event.altKey || event.ctrlKey || event.metaKey) return;
    var step = (event.shiftKey ? 0.5 : 0.15) * Math.min(this.stage.clientWidth, this.stage.clientHeight);
    var actions = {
      "+": function (v) { v.zoomBy(ZOOM_STEP); },
      "=": function (v) { v.zoomBy(ZOOM_STEP); },
      "-": function (v) { v.zoomBy(1 / ZOOM_STEP); },
      "_": function (v) { v.zoomBy(1 / ZOOM_STEP); },
      "0": function (v) { v.fitAll(); },
      ArrowLeft: function (v) { v.panBy(step, 0); },
      ArrowRight: function (v) { v.panBy(-step, 0); },
      ArrowUp: function (v) { v.panBy(0, step); },
      ArrowDown: function (v) { v.panBy(0, -step); },
    };
    var action = actions[event.key];
    if (action) {
      event.preventDefault();
      action(this);
    }
  };

  // Mouse, pen and touch alike: one pointer drags, two pinch; the wheel zooms where the pointer is. A press
  // that did not move stays a click, so the diagram's links still work in the view.
  Viewer.prototype.listenToPointers = function () {
    var self = this;
    var stage = this.stage;
    var pointers = new Map();
    var moved = 0;
    var suppressClick = false;

    function local(event) {
      var r = stage.getBoundingClientRect();
      return { x: event.clientX - r.left, y: event.clientY - r.top };
    }
    function spread() {
      var p = Array.from(pointers.values());
      return {
        mid: { x: (p[0].x + p[1].x) / 2, y: (p[0].y + p[1].y) / 2 },
        distance: Math.hypot(p[0].x - p[1].x, p[0].y - p[1].y),
      };
    }

    stage.addEventListener("pointerdown", function (event) {
      if (event.button !== 0) return;
      // No text selection and no dragging of a link's URL: a press here pans. A press that does not move is
      // still a click.
      event.preventDefault();
      pointers.set(event.pointerId, local(event));
      if (pointers.size === 1) moved = 0;
    });
    stage.addEventListener("pointermove", function (event) {
      var before = pointers.get(event.pointerId);
      if (!before || !self.current) return;
      var now = local(event);
      if (pointers.size === 1) {
        moved += Math.hypot(now.x - before.x, now.y - before.y);
        if (moved > DRAG_THRESHOLD) {
          if (!stage.hasPointerCapture(event.pointerId)) {
            try {
              stage.setPointerCapture(event.pointerId); // keeps the drag when the pointer leaves the stage
            } catch (error) {
              // a pointer that is no longer active (released meanwhile): nothing to keep
            }
          }
          stage.classList.add("is-dragging");
          self.panBy(now.x - before.x, now.y - before.y);
        }
        pointers.set(event.pointerId, now);
      } else if (pointers.size === 2) {
        var a = spread();
        pointers.set(event.pointerId, now);
        var b = spread();
        moved = DRAG_THRESHOLD + 1;
        if (a.distance > 0) self.zoomBy(b.distance / a.distance, b.mid.x, b.mid.y);
        self.panBy(b.mid.x - a.mid.x, b.mid.y - a.mid.y);
      }
    });
    function end(event) {
      if (!pointers.delete(event.pointerId)) return;
      if (moved > DRAG_THRESHOLD) suppressClick = true;
      if (pointers.size === 0) stage.classList.remove("is-dragging");
    }
    stage.addEventListener("pointerup", end);
    stage.addEventListener("pointercancel", end);
    stage.addEventListener("dragstart", function (event) { event.preventDefault(); });
    // Tab to one of the diagram's links: the view pans to it. The browser would scroll the stage itself instead
    // (hidden overflow still scrolls to a focused element), which the transform does not know about.
    stage.addEventListener("focusin", function (event) {
      stage.scrollTop = 0;
      stage.scrollLeft = 0;
      if (event.target === stage || !self.current) return;
      var r = event.target.getBoundingClientRect();
      var s = stage.getBoundingClientRect();
      if (r.left < s.left || r.right > s.right || r.top < s.top || r.bottom > s.bottom) {
        self.panBy(s.left + s.width / 2 - (r.left + r.width / 2), s.top + s.height / 2 - (r.top + r.height / 2));
      }
    });
    stage.addEventListener("scroll", function () {
      stage.scrollTop = 0;
      stage.scrollLeft = 0;
    });
    stage.addEventListener(
      "click",
      function (event) {
        if (suppressClick) {
          suppressClick = false;
          event.preventDefault();
          event.stopPropagation();
          return;
        }
        // A node's link leads to its paragraph: the view closes, its history entry goes, then the link is
        // followed (followed at once, the link's own entry would be the one popped).
        var link = event.target.closest && event.target.closest("a[href]");
        if (link) {
          var href = link.href.baseVal !== undefined ? link.href.baseVal : link.getAttribute("href");
          if (self.inHistory) {
            event.preventDefault();
            self.afterHistory = function () { location.href = new URL(href, location.href).href; };
          }
          self.followingLink = true;
          self.dialog.close();
        }
      },
      true
    );
    stage.addEventListener(
      "wheel",
      function (event) {
        if (!self.current) return;
        event.preventDefault();
        var unit = event.deltaMode === 1 ? 16 : event.deltaMode === 2 ? stage.clientHeight : 1;
        var p = local(event);
        self.zoomBy(Math.exp((-event.deltaY * unit) / 500), p.x, p.y);
      },
      { passive: false }
    );
  };

  var viewer = null;

  // A drawing's box: a button for the full-screen view above it, and when the drawing is wider than the box, a
  // line saying so and keyboard focus on the box (arrow keys then scroll it).
  function setUp(host) {
    var svg = host.querySelector(":scope > svg");
    if (!svg || !svg.viewBox.baseVal || !svg.viewBox.baseVal.width) return;
    var title = titleOf(svg);
    var tools = element("div", "diagram-tools");
    var open = button("md-button diagram-tools__open", "Open full screen", "Open full screen: " + title);
    open.setAttribute("aria-haspopup", "dialog");
    var hint = element("p", "diagram-tools__hint", "Wider than the page: scroll it sideways, or open it full screen.");
    hint.id = (svg.id || "diagram") + "-scroll-hint";
    hint.hidden = true;
    tools.append(open, hint);
    host.before(tools);
    open.addEventListener("click", function () {
      viewer = viewer || new Viewer();
      viewer.open(svg, host, open);
    });

    function update() {
      if (!host.contains(svg)) return; // in the full-screen view just now
      var excess = host.scrollWidth - host.clientWidth;
      // Only a few px too wide, it loses nothing but the blank margin Mermaid draws around it: centred, it needs
      // no scrolling (no scroll bar, no cue) at all.
      var scrolls = excess > 2 * blankMargin(svg) + 1;
      host.classList.toggle("diagram-drawing--trimmed", excess > 1 && !scrolls);
      hint.hidden = !scrolls;
      if (scrolls) {
        host.tabIndex = 0;
        host.setAttribute("role", "group");
        host.setAttribute("aria-label", "Diagram, scrolls sideways: " + title);
        host.setAttribute("aria-describedby", hint.id);
      } else {
        host.removeAttribute("tabindex");
        host.removeAttribute("role");
        host.removeAttribute("aria-label");
        host.removeAttribute("aria-describedby");
      }
    }
    new ResizeObserver(update).observe(host);
    update();
    // Mermaid centres a top-down diagram on its first node: a box that scrolls starts at the middle.
    host.scrollLeft = (host.scrollWidth - host.clientWidth) / 2;
  }

  // The smaller of the blank margins left and right of what the drawing shows, in px on screen.
  function blankMargin(svg) {
    var box = svg.viewBox.baseVal;
    var drawn = svg.getBBox();
    var blank = Math.min(drawn.x - box.x, box.x + box.width - drawn.x - drawn.width);
    return Math.max(0, blank) * (svg.getBoundingClientRect().width / box.width);
  }

  // Printing: the full-screen view gives the drawing back to the page, and every collapsed box opens (CSS opens
  // them too where the browser supports ::details-content); afterwards the boxes are as the reader left them.
  var openedForPrint = [];
  window.addEventListener("beforeprint", function () {
    if (viewer && viewer.current) {
      viewer.dialog.close();
      viewer.restore(); // now: the dialog's close event comes after the page is laid out for print
    }
    document.querySelectorAll(".md-content details:not([open])").forEach(function (details) {
      details.open = true;
      openedForPrint.push(details);
    });
  });
  window.addEventListener("afterprint", function () {
    openedForPrint.forEach(function (details) { details.open = false; });
    openedForPrint = [];
  });

  function setUpAll() {
    document.querySelectorAll(DRAWING).forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUpAll);
  } else {
    setUpAll();
  }
})();
