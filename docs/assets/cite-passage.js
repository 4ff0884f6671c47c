// Cite this passage. Selecting words inside a paragraph offers "Cite this passage"; so does the button beside
// each paragraph's ¶ link, for the keyboard. The dialog gives the quote, a link to those very words (the
// paragraph's id plus a text fragment, "#p1:~:text=…", URL Fragment Text Directives, WICG), and the APA, MLA
// and Chicago citations pinpointed to the paragraph. Every citation is rendered at build time by citeproc-py
// (hooks/citation_passages.py) and read here from the page's JSON data; this script adds only the quote and
// the fragment. It also gives the cite box the paragraph's URL and pinpoint when the address names one.
// The pure part (encodeTerm, snap, countMatches, textFragment) is what tests/test_passages_core.py runs in node.
(function (root, factory) {
  "use strict";
  var core = factory();
  if (typeof module === "object" && module.exports) {
    module.exports = core;
  } else {
    core.start(root);
  }
})(typeof window === "undefined" ? this : window, function () {
  "use strict";

  // Letters, digits, combining marks and apostrophes: what a browser's word breaker keeps inside one word
  // ("Russia’s" is one word, so a match may not start or end inside it).
  var WORD = /[\p{L}\p{N}\p{M}’']/u;
  // encodeURIComponent leaves these alone; "-" is the directive's own syntax (prefix-, -suffix) and the others
  // are reserved characters (RFC 3986 sub-delims). "&" and "," it already encodes.
  var LEFT_ALONE = /[-!'()*]/g;
  // Longer quotes are linked by their first and last words (textStart,textEnd), as the spec advises.
  var MAX_EXACT = 300;
  // Elements whose text a browser lays out apart from what comes before and after.
  var BLOCKS = "address, article, aside, blockquote, dd, details, dialog, div, dl, dt, figcaption, figure, footer, " +
    "form, h1, h2, h3, h4, h5, h6, header, li, main, nav, ol, p, pre, section, summary, table, td, th, tr, ul, " +
    "button, label, option, text";
  var EDGE_WORDS = 4;

  function encodeTerm(text) {
    return encodeURIComponent(text).replace(LEFT_ALONE, function (c) {
      return "%" + c.charCodeAt(0).toString(16).toUpperCase();
    });
  }

  function squash(text) {
    return text.replace(/\s+/g, " ");
  }

  function isWord(c) {
    return Boolean(c) && WORD.test(c);
  }

  // [start, end) of `text` widened to whole words, without white space at either end.
  function snap(text, start, end) {
    while (start > 0 && isWord(text[start - 1]) && isWord(text[start])) start--;
    while (end < text.length && end > 0 && isWord(text[end - 1]) && isWord(text[end])) end++;
    while (start < end && /\s/.test(text[start])) start++;
    while (end > start && /\s/.test(text[end - 1])) end--;
    return [start, end];
  }

  // How often `needle` occurs in `hay` as whole words, ignoring case and runs of white space: how a text
  // directive matches.
  function countMatches(hay, needle) {
    var h = squash(hay).toLowerCase();
    var n = squash(needle).trim().toLowerCase();
    var count = 0;
    if (!n) return 0;
    for (var i = h.indexOf(n); i !== -1; i = h.indexOf(n, i + 1)) {
      var cutBefore = isWord(h[i - 1]) && isWord(n[0]);
      var cutAfter = isWord(h[i + n.length]) && isWord(n[n.length - 1]);
      if (!cutBefore && !cutAfter) count++;
    }
    return count;
  }

  // Where the white-space-separated word before `at` starts (at itself when there is none).
  function wordStartBefore(text, at) {
    var i = at;
    while (i > 0 && /\s/.test(text[i - 1])) i--;
    while (i > 0 && !/\s/.test(text[i - 1])) i--;
    return i;
  }

  // Where the white-space-separated word after `at` ends (at itself when there is none).
  function wordEndAfter(text, at) {
    var i = at;
    while (i < text.length && /\s/.test(text[i])) i++;
    while (i < text.length && !/\s/.test(text[i])) i++;
    return i;
  }

  function join(parts) {
    return parts.filter(Boolean).join(" ");
  }

  // The fragment that points at the words [start, end) of the paragraph `id`, whose text is `text`, in a page
  // whose searchable text is `page`: "p1:~:text=…". The quote alone when it is unique in the page; otherwise
  // with the fewest words before it (prefix-,) and after it (,-suffix) that make it unique. Without a browser's
  // support the fragment is "p1:~:…", and the page's script takes the id before ":~:".
  function textFragment(id, text, start, end, page) {
    var span = snap(text, start, end);
    var quote = squash(text.slice(span[0], span[1])).trim();
    if (!quote) return { quote: "", fragment: id, unique: false };
    var parts = quote.split(" ");
    var ranged = quote.length > MAX_EXACT && parts.length > 2 * EDGE_WORDS;
    var startTerm = ranged ? parts.slice(0, EDGE_WORDS).join(" ") : quote;
    var endTerm = "";
    if (ranged) {
      // The match runs to the first textEnd after textStart: it must be the quote's own last words.
      var rest = parts.slice(EDGE_WORDS).join(" ");
      for (var n = EDGE_WORDS; n <= parts.length - EDGE_WORDS; n++) {
        endTerm = parts.slice(-n).join(" ");
        if (countMatches(rest, endTerm) === 1) break;
      }
    }
    // Context, in whole words as the page has them (", and" stays ", and"): cuts[k] is where the k words
    // before the quote start, ends[k] where the k words after it end (none after a range: see below).
    var cuts = [span[0]];
    var ends = [span[1]];
    while (wordStartBefore(text, cuts[cuts.length - 1]) < cuts[cuts.length - 1]) {
      cuts.push(wordStartBefore(text, cuts[cuts.length - 1]));
    }
    while (!ranged && wordEndAfter(text, ends[ends.length - 1]) > ends[ends.length - 1]) {
      ends.push(wordEndAfter(text, ends[ends.length - 1]));
    }
    // A range is told apart by where it starts: only the prefix helps it.
    var needle = function (before, after) {
      if (ranged) return join([squash(text.slice(cuts[before], span[0])), startTerm]);
      return squash(text.slice(cuts[before], ends[after]));
    };
    // The fewest words of context that make the match unique: n words before, after, or split between them.
    var chosen = [0, 0];
    if (countMatches(page, needle(0, 0)) > 1) {
      chosen = [cuts.length - 1, ends.length - 1];
      search: for (var total = 1; total < cuts.length + ends.length - 1; total++) {
        var tries = [[total, 0], [0, total], [Math.ceil(total / 2), Math.floor(total / 2)]];
        for (var t = 0; t < tries.length; t++) {
          var before = tries[t][0];
          var after = tries[t][1];
          if (before < cuts.length && after < ends.length && countMatches(page, needle(before, after)) === 1) {
            chosen = [before, after];
            break search;
          }
        }
      }
    }
    var prefix = squash(text.slice(cuts[chosen[0]], span[0])).trim();
    var suffix = squash(text.slice(span[1], ends[chosen[1]])).trim();
    var directive = "text=" + (prefix ? encodeTerm(prefix) + "-," : "") + encodeTerm(startTerm);
    if (endTerm) directive += "," + encodeTerm(endTerm);
    if (suffix) directive += ",-" + encodeTerm(suffix);
    var unique = countMatches(page, needle(chosen[0], chosen[1])) === 1;
    return {
      quote: quote,
      start: span[0],
      end: span[1],
      fragment: id + ":~:" + directive,
      unique: unique,
    };
  }

  // ---- In the page ----

  function start(window) {
    var document = window.document;
    var holder = document.getElementById("cite-passages");
    if (!holder) return;
    var data = JSON.parse(holder.textContent);
    var dialog = null;
    var current = null; // {paragraph, opener}
    var offer = null;
    var pending = null; // the selection the offer would cite: {paragraph, start, end}

    function make(tag, attributes, text) {
      var element = document.createElement(tag);
      Object.keys(attributes || {}).forEach(function (name) {
        element.setAttribute(name, attributes[name]);
      });
      if (text) element.textContent = text;
      return element;
    }

    function paragraphOf(node) {
      var element = node && (node.nodeType === 1 ? node : node.parentElement);
      var paragraph = element && element.closest("p[id]");
      return paragraph && data.paragraphs[paragraph.id] && paragraph.closest("article") ? paragraph : null;
    }

    // The paragraph's text as the fragment builder sees it: white space squashed.
    function textOf(paragraph) {
      return squash(paragraph.textContent);
    }

    // The page's searchable text: every text node outside scripts, styles and this script's own dialog.
    function pageText() {
      // What is never drawn (an SVG's <title> and <desc>) a browser does not search either.
      var skip = "script, style, template, noscript, svg title, svg desc, dialog.cite-passage";
      var walker = document.createTreeWalker(document.body, 4 /* NodeFilter.SHOW_TEXT */, {
        acceptNode: function (node) {
          return node.parentElement && node.parentElement.closest(skip) ? 2 /* REJECT */ : 1 /* ACCEPT */;
        },
      });
      // Text runs on across inline elements ("a red line" + "," is "a red line,"), not across blocks.
      var parts = [];
      var last = null;
      while (walker.nextNode()) {
        var block = walker.currentNode.parentElement.closest(BLOCKS);
        parts.push(block === last ? "" : " ", walker.currentNode.nodeValue);
        last = block;
      }
      return parts.join("");
    }

    // [start, end) of the selection in the squashed text of `paragraph`, or null when it lies elsewhere.
    function selectionIn(paragraph) {
      var selection = window.getSelection();
      if (!selection || !selection.rangeCount || selection.isCollapsed) return null;
      var range = selection.getRangeAt(0);
      if (paragraphOf(range.startContainer) !== paragraph || paragraphOf(range.endContainer) !== paragraph) return null;
      if (!range.toString().trim()) return null;
      var before = document.createRange();
      before.selectNodeContents(paragraph);
      before.setEnd(range.startContainer, range.startOffset);
      var raw = before.toString();
      return [squash(raw).length, squash(raw + range.toString()).length];
    }

    function copy(text) {
      var said = dialog.querySelector(".cite-passage__said");
      var done = function () {
        said.textContent = "Copied.";
      };
      var fallback = function () {
        // In a modal dialog the rest of the page is inert: the scratch area must be inside it.
        var area = make("textarea", { readonly: "", class: "cite-passage__scratch", "aria-hidden": "true" });
        area.value = text;
        dialog.appendChild(area);
        area.select();
        var ok = document.execCommand("copy");
        area.remove();
        said.textContent = ok ? "Copied." : "Select the text and copy it.";
      };
      said.textContent = "";
      if (window.navigator.clipboard && window.isSecureContext) {
        window.navigator.clipboard.writeText(text).then(done, fallback);
      } else {
        fallback();
      }
    }

    function copyButton(label, text) {
      var button = make("button", { type: "button", class: "md-button cite-passage__copy", "aria-label": label }, "Copy");
      button.addEventListener("click", function () {
        copy(text());
      });
      return button;
    }

    function build() {
      dialog = make("dialog", { class: "cite-passage md-typeset", "aria-labelledby": "cite-passage-title" });
      dialog.appendChild(make("h2", { id: "cite-passage-title" }, "Cite this passage"));
      dialog.appendChild(make("p", { class: "cite-passage__where", id: "cite-passage-where" }));
      dialog.appendChild(make("label", { for: "cite-passage-quote" }, "Quote (shorten it to the words you cite)"));
      var quote = make("textarea", { id: "cite-passage-quote", rows: "4", spellcheck: "false" });
      quote.addEventListener("input", update);
      dialog.appendChild(quote);
      dialog.appendChild(make("p", { class: "cite-passage__status", id: "cite-passage-status", role: "status" }));
      dialog.appendChild(copyButton("Copy the quote", function () {
        return quote.value.trim();
      }));
      var linkBlock = make("p", { class: "cite-passage__link" });
      linkBlock.appendChild(make("span", { class: "cite-passage__label" }, "Link to these words: "));
      linkBlock.appendChild(make("a", { id: "cite-passage-link", href: data.url }));
      dialog.appendChild(linkBlock);
      dialog.appendChild(copyButton("Copy the link", function () {
        return dialog.querySelector("#cite-passage-link").href;
      }));
      data.styles.forEach(function (style) {
        var figure = make("figure", { class: "cite-passage__style" });
        figure.appendChild(make("figcaption", {}, style.label));
        var inText = make("p", { class: "cite-passage__in-text", id: "cite-passage-" + style.slug });
        figure.appendChild(inText);
        var reference = make("p", { class: "cite-passage__reference" });
        reference.innerHTML = style.reference.html; // citeproc-py's HTML, escaped at build time
        figure.appendChild(reference);
        figure.appendChild(copyButton("Copy the " + style.label + " citation", function () {
          var cite = data.paragraphs[current.paragraph.id].cite[style.slug];
          return cite.text + "\n" + style.reference.text;
        }));
        dialog.appendChild(figure);
      });
      dialog.appendChild(make("p", { class: "cite-passage__said", role: "status" }));
      var close = make("button", { type: "button", class: "md-button cite-passage__close" }, "Close");
      close.addEventListener("click", function () {
        dialog.close();
      });
      dialog.appendChild(close);
      dialog.addEventListener("close", function () {
        if (current && current.opener && current.opener.isConnected) current.opener.focus();
      });
      document.body.appendChild(dialog);
    }

    // The link and citations for what the quote field holds now.
    function update() {
      var paragraph = current.paragraph;
      var info = data.paragraphs[paragraph.id];
      var text = textOf(paragraph);
      var wanted = squash(dialog.querySelector("#cite-passage-quote").value).trim();
      var at = wanted ? text.toLowerCase().indexOf(wanted.toLowerCase()) : -1;
      var status = dialog.querySelector("#cite-passage-status");
      var fragment = paragraph.id;
      if (at === -1) {
        status.textContent = wanted
          ? "These words are not in paragraph " + info.number + ": the link points at the paragraph."
          : "The link points at the paragraph.";
      } else {
        var found = textFragment(paragraph.id, text, at, at + wanted.length, pageText());
        fragment = found.fragment;
        status.textContent = found.unique ? "" : "These words recur on the page: the link may land on another place.";
      }
      var link = dialog.querySelector("#cite-passage-link");
      link.href = data.url + "#" + fragment;
      link.textContent = link.href;
      dialog.querySelector("#cite-passage-where").textContent =
        "Paragraph " + info.number + " of " + document.title.split(" - ")[0];
      data.styles.forEach(function (style) {
        dialog.querySelector("#cite-passage-" + style.slug).innerHTML = info.cite[style.slug].html;
      });
    }

    function open(paragraph, span, opener) {
      if (!dialog) build();
      var text = textOf(paragraph);
      var range = span ? snap(text, span[0], span[1]) : [0, text.length];
      current = { paragraph: paragraph, opener: opener };
      dialog.querySelector("#cite-passage-quote").value = text.slice(range[0], range[1]).trim();
      dialog.querySelector(".cite-passage__said").textContent = "";
      update();
      dialog.showModal();
      hideOffer();
    }

    function hideOffer() {
      pending = null;
      if (offer) offer.hidden = true;
    }

    // Keyboard: a button beside each ¶ link cites the paragraph (or the words selected in it).
    document.querySelectorAll("a.pinpoint").forEach(function (link) {
      var paragraph = paragraphOf(link);
      if (!paragraph) return;
      var number = data.paragraphs[paragraph.id].number;
      var button = make("button", {
        type: "button",
        class: "pinpoint-cite",
        "aria-label": "Cite a passage of paragraph " + number,
        title: "Cite this passage (select words first, or shorten the quote in the dialog)",
      });
      link.after(button);
      button.addEventListener("click", function () {
        open(paragraph, selectionIn(paragraph), button);
      });
    });

    // Pointer: words selected inside one paragraph bring up the offer.
    offer = make("button", { type: "button", class: "cite-passage-offer", hidden: "" }, "Cite this passage");
    offer.addEventListener("click", function () {
      if (!pending) return;
      var button = pending.paragraph.querySelector(".pinpoint-cite");
      open(pending.paragraph, [pending.start, pending.end], button);
    });
    document.body.appendChild(offer);
    document.addEventListener("selectionchange", function () {
      if (dialog && dialog.open) return;
      var selection = window.getSelection();
      var paragraph = selection && selection.rangeCount ? paragraphOf(selection.getRangeAt(0).startContainer) : null;
      var span = paragraph && selectionIn(paragraph);
      if (!span) {
        hideOffer();
        return;
      }
      pending = { paragraph: paragraph, start: span[0], end: span[1] };
      offer.hidden = false;
    });

    // The cite box names the paragraph the address names: its URL, and "para. N" in the in-text citations.
    var url = document.getElementById("cite-url");
    var pageLevel = data.styles.map(function (style) {
      var span = document.getElementById("cite-" + style.slug + "-in-text");
      return span && { span: span, html: span.innerHTML, button: span.parentElement.nextElementSibling };
    });
    var pageCopies = pageLevel.map(function (entry) {
      return entry && entry.button.getAttribute("data-clipboard-text");
    });
    function pinpointCiteBox() {
      var id = decodeURIComponent(window.location.hash.slice(1)).split(":~:")[0];
      var info = data.paragraphs[id];
      if (url) {
        url.textContent = info ? info.url : data.url;
        url.nextElementSibling.setAttribute("data-clipboard-text", url.textContent);
      }
      data.styles.forEach(function (style, i) {
        var entry = pageLevel[i];
        if (!entry) return;
        entry.span.innerHTML = info ? info.cite[style.slug].html : entry.html;
        entry.button.setAttribute("data-clipboard-text", info ? info.cite[style.slug].text : pageCopies[i]);
      });
    }
    window.addEventListener("hashchange", pinpointCiteBox);
    pinpointCiteBox();

    // A browser that knows text fragments takes ":~:…" out of the address and highlights the words itself;
    // one that does not keeps it, and finds no element by that name: land on the paragraph instead.
    var hash = decodeURIComponent(window.location.hash.slice(1));
    if (hash.indexOf(":~:") !== -1) {
      var target = document.getElementById(hash.split(":~:")[0]);
      if (target) {
        target.classList.add("cite-passage--target");
        target.scrollIntoView();
      }
    }
  }

  return { encodeTerm: encodeTerm, snap: snap, countMatches: countMatches, textFragment: textFragment, start: start };
});
