/*
 * Notes read in place: hovering, focusing or tapping a note mark in the essay
 * (an author's note number, a commentary letter, a textual note's degree
 * sign) shows that note beside the mark, without moving the page.
 *
 * The mark stays an ordinary link to its note, which is what a reader
 * without this script (or with the popover closed) follows. The note's text
 * is read from the page the link points to: the essay's own notes from this
 * page, the commentary and textual notes from their pages, fetched once from
 * the same site (the policy's connect-src 'self'). Under a touch screen the
 * first tap opens the note and a second tap on the mark follows the link.
 * Focus from the keyboard opens it too (not the focus a back link from the
 * note gives its mark). Escape closes it; the pointer may move onto it
 * (WCAG 2.2, 1.4.13).
 *
 * An external file with no inline handlers, so it runs under the site's
 * Content-Security-Policy; positions are set through the CSSOM, which the
 * policy allows.
 */
(function () {
  "use strict";

  var marks = document.querySelectorAll("[role='main'] a[data-mark][href*='#']");
  if (!marks.length || !window.fetch || !window.DOMParser) {
    return;
  }

  var popover = document.createElement("div");
  popover.className = "edition-note-popover";
  popover.id = "edition-note-popover";
  popover.setAttribute("role", "tooltip");
  popover.hidden = true;
  document.body.appendChild(popover);

  var pages = {};
  var current = null;
  var hideTimer = 0;
  var request = 0;

  function page(url) {
    if (!pages[url]) {
      pages[url] = fetch(url, { credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) {
            throw new Error(response.status);
          }
          return response.text();
        })
        .then(function (text) {
          return new DOMParser().parseFromString(text, "text/html");
        });
      pages[url].catch(function () {
        delete pages[url];
      });
    }
    return pages[url];
  }

  /* The note a mark links to, as a detached copy fit to stand in the popover. */
  function note(mark) {
    var target = new URL(mark.getAttribute("href"), window.location.href);
    var id = decodeURIComponent(target.hash.slice(1));
    var here = target.origin === window.location.origin && target.pathname === window.location.pathname;
    var found = here
      ? Promise.resolve(document)
      : page(target.href.split("#")[0]);
    return found.then(function (doc) {
      var element = doc.getElementById(id);
      if (!element) {
        return null;
      }
      var copy = element.cloneNode(true);
      /* the note's own number and back link, and marks within it, belong to the listing */
      copy.querySelectorAll(".label, .editorial-backref, a[role='doc-backlink'], a[data-mark], .tn-marker, .ed-marker, .headerlink")
        .forEach(function (node) { node.remove(); });
      copy.querySelectorAll("[id]").forEach(function (node) { node.removeAttribute("id"); });
      copy.removeAttribute("id");
      copy.querySelectorAll("a[href]").forEach(function (link) {
        link.href = new URL(link.getAttribute("href"), target.href).href;
      });
      return copy;
    });
  }

  function place(mark) {
    var rect = mark.getBoundingClientRect();
    /* within the text's own column: furo's sidebars are painted above anything that reaches into them */
    var column = (document.querySelector(".content") || document.documentElement).getBoundingClientRect();
    var low = Math.max(column.left, 0) + 8;
    var high = Math.min(column.right, document.documentElement.clientWidth) - 8;
    popover.style.left = "0px";
    popover.style.top = "0px";
    popover.style.maxWidth = "";
    var measure = parseFloat(window.getComputedStyle(popover).maxWidth) || Infinity; /* the stylesheet's */
    popover.style.maxWidth = Math.min(measure, Math.max(high - low, 160)) + "px";
    var box = popover.getBoundingClientRect();
    var left = Math.min(Math.max(rect.left - 16, low), Math.max(low, high - box.width));
    var below = rect.bottom + 6;
    var top = below + box.height > window.innerHeight && rect.top - box.height - 6 > 0
      ? rect.top - box.height - 6
      : below;
    popover.style.left = left + window.scrollX + "px";
    popover.style.top = top + window.scrollY + "px";
  }

  function show(mark) {
    window.clearTimeout(hideTimer);
    if (current === mark && !popover.hidden) {
      return;
    }
    hide();
    current = mark;
    var asked = ++request;
    note(mark).then(
      function (copy) {
        if (asked !== request || !copy) {
          return;
        }
        var label = document.createElement("p");
        label.className = "edition-note-label";
        label.textContent = mark.getAttribute("aria-label") || "";
        var body = document.createElement("div");
        body.className = "edition-note-body";
        while (copy.firstChild) {
          body.appendChild(copy.firstChild);
        }
        popover.replaceChildren(label, body);
        popover.dataset.for = mark.getAttribute("href");
        popover.hidden = false;
        mark.setAttribute("aria-describedby", popover.id);
        place(mark);
      },
      function () { /* the link still leads to the note */ }
    );
  }

  function hide() {
    window.clearTimeout(hideTimer);
    request++;
    if (current) {
      current.removeAttribute("aria-describedby");
    }
    current = null;
    popover.hidden = true;
  }

  function hideSoon() {
    window.clearTimeout(hideTimer);
    hideTimer = window.setTimeout(hide, 300);
  }

  var touchOpen = false;

  marks.forEach(function (mark) {
    mark.addEventListener("mouseenter", function () { show(mark); });
    mark.addEventListener("mouseleave", hideSoon);
    /* focus from the keyboard only: a back link from the note also focuses its mark,
     * and the reader who has just read the note needs it no more */
    mark.addEventListener("focus", function () {
      if (mark.matches(":focus-visible")) {
        show(mark);
      }
    });
    mark.addEventListener("blur", function (event) {
      if (!popover.contains(event.relatedTarget)) {
        hideSoon();
      }
    });
    /* a tap opens the note; a second tap on the same mark follows the link */
    mark.addEventListener("pointerdown", function (event) {
      touchOpen = event.pointerType !== "mouse" && !(current === mark && !popover.hidden);
    });
    mark.addEventListener("click", function (event) {
      if (touchOpen) {
        touchOpen = false;
        event.preventDefault();
        show(mark);
      }
    });
  });

  popover.addEventListener("mouseenter", function () { window.clearTimeout(hideTimer); });
  popover.addEventListener("mouseleave", hideSoon);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && !popover.hidden) {
      hide();
    }
  });
  document.addEventListener("pointerdown", function (event) {
    if (!popover.hidden && !popover.contains(event.target) && event.target !== current) {
      hide();
    }
  });
  window.addEventListener("resize", function () {
    if (current && !popover.hidden) {
      place(current);
    }
  });
})();
