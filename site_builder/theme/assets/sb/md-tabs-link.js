/* Material for MkDocs 9.8.2's inline "content.tabs.link" script, as a file for the Content-Security-Policy:
   selects the content tabs the reader chose on another page. */
(function () {
  var tabs = __md_get("__tabs");
  if (!Array.isArray(tabs)) return;
  document.querySelectorAll(".tabbed-set").forEach(function (set) {
    var labels = set.querySelector(".tabbed-labels");
    for (var i = 0; i < tabs.length; i++) {
      var found = Array.prototype.find.call(labels.getElementsByTagName("label"), function (label) {
        return label.innerText.trim() === tabs[i];
      });
      if (found) { document.getElementById(found.htmlFor).checked = true; return; }
    }
  });
})();
