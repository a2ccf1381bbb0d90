/* Material for MkDocs 9.8.2's inline script after the content (partials/javascripts/content.html), as a file
   for the Content-Security-Policy: opening a page at #__tabbed_… selects that content tab. */
(function () {
  var target = document.getElementById(location.hash.slice(1));
  if (target && target.name) target.checked = target.name.startsWith("__tabbed_");
})();
