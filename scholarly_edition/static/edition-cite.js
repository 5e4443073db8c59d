/*
 * Copy buttons for citations: the formatted citations on the "Cite this
 * edition" page, and the citation of one paragraph beside each ¶ number of
 * the essay.
 *
 * The citations themselves are made at build time by the CSL processor;
 * this script only puts them on the clipboard, as plain text and as HTML
 * (so that a word processor keeps the italics). It is an external file with
 * no inline handlers, so it runs under a Content-Security-Policy that
 * allows scripts from the site only. The buttons stay hidden when the
 * browser offers no clipboard.
 */
(function () {
  "use strict";

  if (!navigator.clipboard || !window.isSecureContext) {
    return;
  }

  var status = document.createElement("div");
  status.className = "edition-sr-only";
  status.setAttribute("role", "status");
  document.body.appendChild(status);

  function clean(text) {
    return text.replace(/\s+/g, " ").trim();
  }

  function write(text, markup) {
    if (markup && window.ClipboardItem && navigator.clipboard.write) {
      var item = new ClipboardItem({
        "text/plain": new Blob([text], { type: "text/plain" }),
        "text/html": new Blob([markup], { type: "text/html" }),
      });
      return navigator.clipboard.write([item]).catch(function () {
        return navigator.clipboard.writeText(text);
      });
    }
    return navigator.clipboard.writeText(text);
  }

  /* A paragraph's button draws its word from data-label (so the word is no
   * part of the paragraph's text); the cite page's buttons hold it as text. */
  function show(button, word) {
    if (button.hasAttribute("data-label")) {
      button.dataset.label = word;
    } else {
      button.textContent = word;
    }
  }

  function report(button, ok) {
    var shown = button.hasAttribute("data-label") ? button.dataset.label : button.textContent;
    var idle = button.dataset.idle || shown;
    button.dataset.idle = idle;
    show(button, ok ? "Copied" : "Not copied");
    status.textContent = ok ? "Citation copied to the clipboard." : "The citation could not be copied.";
    window.clearTimeout(button._editionTimer);
    button._editionTimer = window.setTimeout(function () {
      show(button, idle);
    }, 2000);
  }

  /* A paragraph's permalink, when the build knew no base URL: the page's own
   * address, if it is a web address (a file:// path is no use in a citation). */
  function permalink(fragment) {
    if (!/^https?:$/.test(window.location.protocol)) {
      return null;
    }
    return new URL(fragment, window.location.href).href;
  }

  function withPermalink(text, markup, url) {
    var link = document.createElement("a");
    link.href = url;
    link.textContent = url;
    return [
      text.replace(/\.$/, "") + ", " + url + ".",
      markup.replace(/\.\s*$/, "") + ", " + link.outerHTML + ".",
    ];
  }

  function copyCitation(event) {
    var button = event.currentTarget;
    var target = document.getElementById(button.dataset.copyTarget);
    if (!target) {
      return;
    }
    write(clean(target.innerText), target.innerHTML).then(
      function () { report(button, true); },
      function () { report(button, false); }
    );
  }

  function copyParagraph(event) {
    var button = event.currentTarget;
    var text = button.dataset.citation;
    var markup = button.dataset.citationHtml;
    if (button.dataset.permalink) {
      var url = permalink(button.dataset.permalink);
      if (url) {
        var both = withPermalink(text, markup, url);
        text = both[0];
        markup = both[1];
      }
    }
    write(text, markup).then(
      function () { report(button, true); },
      function () { report(button, false); }
    );
  }

  document.querySelectorAll("button.copy-citation").forEach(function (button) {
    button.addEventListener("click", copyCitation);
    button.hidden = false;
  });
  document.querySelectorAll("button.cite-paragraph").forEach(function (button) {
    button.addEventListener("click", copyParagraph);
    button.hidden = false;
  });
})();
