/*
 * The live preview's script: the page follows the sources as they are saved.
 *
 * The preview's server adds it to every page it serves (never to the built
 * pages themselves), as a file of its own origin, which the site's
 * Content-Security-Policy allows; it runs no inline code. It listens on the
 * server's channel (Server-Sent Events, /_preview/events):
 *
 * - After a clean build that changed only this page's text (the part in
 *   <article>), it fetches the page and changes in place only what the
 *   build changed: a text, an attribute, a run of elements. What the page's
 *   own scripts did elsewhere (a note's popover, the theme, the contents'
 *   highlight) stays as it is, and the page is not drawn twice, which a
 *   reload of a long page is (its scripts lay it out again). Where a change
 *   would replace something a reader can use (a link, a button), or the
 *   page's scripts have added something there, or anything beyond the text
 *   changed (the head, the navigation, a stylesheet, a page this one's
 *   notes are read from), it loads the page again instead.
 * - After a build with problems, it lists them over the page, one line
 *   each as the build reported them, and on the console; the page stays
 *   the last good build until a clean build clears them.
 *
 * When the page is drawn after a build, window.previewLoaded says which
 * build, when (milliseconds since 1970), how ("loaded" or "merged") and,
 * after a merge, the build's timing as the server sent it (when the change
 * was seen and the build published, how long it took); a "preview:loaded"
 * event is sent on the document.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var shown = script.getAttribute("data-build");
  var placeholder = script.hasAttribute("data-placeholder");
  var page = pagePath(window.location.pathname);
  var base = null; /* this page's article as the server sent it, parsed: what the live one was made from */
  var panel = null;
  var queue = Promise.resolve();
  var INTERACTIVE = "a, button, input, select, textarea, details, summary, label, [tabindex], [contenteditable]";
  var DATA_FILES = /^(searchindex\.js|objects\.inv|\.buildinfo|[^/]+\.(json|bib|ris))$/;
  var STORED = "preview-timing";

  function pagePath(pathname) {
    var path = decodeURIComponent(pathname).replace(/^\/+/, "");
    return path === "" || path.slice(-1) === "/" ? path + "index.html" : path;
  }

  function settled(how, timing) {
    /* once the page as changed is drawn: after the next frame */
    window.requestAnimationFrame(function () {
      window.setTimeout(function () {
        var state = { build: shown, at: performance.timeOrigin + performance.now(), how: how, timing: timing || {} };
        window.previewLoaded = state;
        document.dispatchEvent(new CustomEvent("preview:loaded", { detail: state }));
      }, 0);
    });
  }

  function article(doc) {
    return doc.querySelector("article[role='main']");
  }

  function fetchPage() {
    var url = window.location.pathname + window.location.search;
    return fetch(url, { cache: "no-store", credentials: "same-origin" }).then(function (response) {
      if (!response.ok) {
        throw new Error("HTTP " + response.status);
      }
      return response.text().then(function (text) {
        return {
          build: response.headers.get("X-Preview-Build"),
          doc: new DOMParser().parseFromString(text, "text/html")
        };
      });
    });
  }

  function replaceable(node) {
    return node.nodeType !== Node.ELEMENT_NODE || (!node.matches(INTERACTIVE) && !node.querySelector(INTERACTIVE));
  }

  function copyOf(node) {
    return document.importNode(node, true);
  }

  /* Change in `live` what differs between `before` and `after`; false where that cannot be done safely. */
  function merge(live, before, after) {
    if (before.isEqualNode(after)) {
      return true;
    }
    if (before.nodeType !== after.nodeType || before.nodeName !== after.nodeName) {
      if (!replaceable(live) || !replaceable(after) || live.nodeName !== before.nodeName) {
        return false;
      }
      live.replaceWith(copyOf(after));
      return true;
    }
    if (live.nodeType !== before.nodeType || live.nodeName !== before.nodeName) {
      return false;
    }
    if (before.nodeType !== Node.ELEMENT_NODE) {
      live.nodeValue = after.nodeValue;
      return true;
    }
    Array.prototype.forEach.call(before.attributes, function (attribute) {
      if (!after.hasAttribute(attribute.name)) {
        live.removeAttribute(attribute.name);
      }
    });
    Array.prototype.forEach.call(after.attributes, function (attribute) {
      if (before.getAttribute(attribute.name) !== attribute.value) {
        live.setAttribute(attribute.name, attribute.value);
      }
    });
    var was = before.childNodes;
    var now = after.childNodes;
    var lives = Array.prototype.slice.call(live.childNodes);
    if (lives.length !== was.length) {
      return false; /* the page's scripts added or removed something here */
    }
    if (now.length === was.length) {
      for (var i = 0; i < was.length; i += 1) {
        if (!merge(lives[i], was[i], now[i])) {
          return false;
        }
      }
      return true;
    }
    /* children added or taken away: all of them replaced, where none is something a reader uses */
    if (!lives.every(replaceable) || !Array.prototype.every.call(now, replaceable)) {
      return false;
    }
    live.replaceChildren.apply(live, Array.prototype.map.call(now, copyOf));
    return true;
  }

  function reload() {
    window.location.reload();
    return new Promise(function () {}); /* nothing more happens on this page */
  }

  function linksInto(other) {
    /* this page's text links to a place in `other`: its notes are read from there */
    var target = window.location.origin + "/" + other;
    return Array.prototype.some.call(document.querySelectorAll("[role='main'] a[href*='#']"), function (link) {
      return link.href.split("#")[0] === target;
    });
  }

  function session(build) {
    return String(build).split(".")[0];
  }

  function update(build, timing) {
    return fetchPage().then(function (got) {
      var next = article(got.doc);
      var live = article(document);
      /* a later build than the one announced is fine (its own event follows); another server's is not */
      if (session(got.build) !== session(build) || !base || !next || !live || !merge(live, base, next)) {
        keep(timing);
        return reload();
      }
      base = next;
      shown = got.build;
      settled("merged", timing);
      return undefined;
    });
  }

  function onBuild(data) {
    hideProblems();
    if (placeholder) {
      return reload();
    }
    var mine = data.pages[page];
    var others = Object.keys(data.pages).filter(function (other) {
      return other !== page && linksInto(other);
    });
    var files = data.files.filter(function (file) {
      return page === "search.html" || !DATA_FILES.test(file);
    });
    if (mine === undefined && !others.length && !files.length) {
      shown = data.build; /* nothing this page shows changed */
      return undefined;
    }
    if (mine === "article" && !others.length && !files.length) {
      return update(data.build, data.timing);
    }
    keep(data.timing);
    return reload();
  }

  /* the build's timing, for the page as loaded again */
  function keep(timing) {
    try {
      window.sessionStorage.setItem(STORED, JSON.stringify(timing || {}));
    } catch (error) {
      /* storage refused: the page loads all the same */
    }
  }

  function kept() {
    try {
      var timing = window.sessionStorage.getItem(STORED);
      window.sessionStorage.removeItem(STORED);
      return timing ? JSON.parse(timing) : {};
    } catch (error) {
      return {};
    }
  }

  function ensureStyles() {
    if (!document.getElementById("preview-styles")) {
      var link = document.createElement("link");
      link.id = "preview-styles";
      link.rel = "stylesheet";
      link.href = "/_preview/preview.css";
      document.head.appendChild(link);
    }
  }

  function showProblems(problems) {
    ensureStyles();
    if (!panel) {
      panel = document.createElement("aside");
      panel.id = "preview-problems";
      panel.setAttribute("role", "alert");
      panel.setAttribute("aria-label", "Problems in the last build");
      document.body.appendChild(panel);
    }
    var heading = document.createElement("p");
    heading.className = "preview-problems-heading";
    heading.textContent =
      "The last build has " + problems.length + (problems.length === 1 ? " problem" : " problems") +
      ". This page is the last good build; it follows the sources again once they build without one.";
    var list = document.createElement("ol");
    problems.forEach(function (problem) {
      var item = document.createElement("li");
      item.textContent = problem;
      list.appendChild(item);
      console.error("preview: " + problem);
    });
    panel.replaceChildren(heading, list);
  }

  function hideProblems() {
    if (panel) {
      panel.remove();
      panel = null;
      console.info("preview: the build is clean again");
    }
  }

  function onState(data) {
    if (data.build !== shown) {
      return reload(); /* built (or the server started again) since this page was sent */
    }
    if (data.problems.length) {
      showProblems(data.problems);
    } else {
      hideProblems();
    }
    return undefined;
  }

  function then(handle) {
    return function (event) {
      var data = JSON.parse(event.data);
      queue = queue.then(function () {
        return handle(data);
      }).catch(function (error) {
        console.error("preview: " + error);
        return reload();
      });
    };
  }

  if (!placeholder) {
    queue = queue.then(fetchPage).then(function (got) {
      if (got.build !== shown) {
        return reload();
      }
      base = article(got.doc);
      return undefined;
    }).catch(function () {
      base = null; /* no merging: every change loads the page again */
    });
  }
  var timing = kept();
  window.addEventListener("load", function () {
    settled("loaded", timing);
  });
  var source = new EventSource("/_preview/events");
  source.addEventListener("state", then(onState));
  source.addEventListener("build", then(onBuild));
  source.addEventListener("problems", then(function (data) {
    showProblems(data.problems);
  }));
})();
