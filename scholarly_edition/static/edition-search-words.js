// Where a search result leads (the page's address has ?highlight=...), Sphinx's
// own scripts mark the words searched for. Only such a visit loads them: a
// reader who comes another way does not pay for three scripts to do nothing.
(() => {
  "use strict";
  if (!new URLSearchParams(window.location.search).has("highlight")) return;
  const here = document.currentScript.src;
  for (const name of ["documentation_options.js", "doctools.js", "sphinx_highlight.js"]) {
    const script = document.createElement("script");
    script.src = new URL(name, here).href;
    script.async = false; // in this order, as Sphinx links them
    document.head.append(script);
  }
})();
