/* Material for MkDocs 9.8.2's inline head script (partials/javascripts/base.html), as a file so that the
   Content-Security-Policy can forbid inline scripts. __md_scope is the site root: Material computes it from
   the page's base_url; this file is assets/sb/md-scope.js, so the root is two levels up from it. */
var __md_scope = (function (script) {
    var scope = script && script.getAttribute("data-scope");
    return scope ? new URL(scope, location) : new URL("../../", script ? script.src : location.href);
  })(document.currentScript),
  __md_hash = function (e) {
    return Array.from(e).reduce(function (e, _) { return (e << 5) - e + _.charCodeAt(0); }, 0);
  },
  __md_get = function (e, _, t) {
    _ = _ || localStorage;
    t = t || __md_scope;
    return JSON.parse(_.getItem(t.pathname + "." + e));
  },
  __md_set = function (e, _, t, a) {
    t = t || localStorage;
    a = a || __md_scope;
    try { t.setItem(a.pathname + "." + e, JSON.stringify(_)); } catch (e) {}
  };
