/* 适老化: font size (大/中/小) and high contrast, remembered across pages.
   Loaded in <head> so the chosen size applies before the page paints. */
(function () {
  "use strict";
  var root = document.documentElement;
  var FONT = "sb-font", CONTRAST = "sb-contrast";
  function read(key) { try { return localStorage.getItem(key); } catch (e) { return null; } }
  function write(key, value) { try { localStorage.setItem(key, value); } catch (e) { /* private mode */ } }

  var font = read(FONT) || "medium";
  var contrast = read(CONTRAST);
  if (contrast === null && window.matchMedia && window.matchMedia("(prefers-contrast: more)").matches) {
    contrast = "high";
  }
  root.setAttribute("data-sb-font", font);
  root.setAttribute("data-sb-contrast", contrast === "high" ? "high" : "normal");

  function sync() {
    var buttons = document.querySelectorAll("[data-sb-font]");
    for (var i = 0; i < buttons.length; i++) {
      if (buttons[i] === root) continue;
      buttons[i].setAttribute("aria-pressed", String(buttons[i].getAttribute("data-sb-font") === root.getAttribute("data-sb-font")));
    }
    var toggles = document.querySelectorAll("button[data-sb-contrast]");
    for (var j = 0; j < toggles.length; j++) {
      toggles[j].setAttribute("aria-pressed", String(root.getAttribute("data-sb-contrast") === "high"));
    }
  }

  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target.closest("button[data-sb-font], button[data-sb-contrast]") : null;
    if (!target) return;
    if (target.hasAttribute("data-sb-font")) {
      var size = target.getAttribute("data-sb-font");
      root.setAttribute("data-sb-font", size);
      write(FONT, size);
    } else {
      var next = root.getAttribute("data-sb-contrast") === "high" ? "normal" : "high";
      root.setAttribute("data-sb-contrast", next);
      write(CONTRAST, next);
    }
    sync();
  });
  document.addEventListener("DOMContentLoaded", sync);

  /* Material's menu button is a <label> for a hidden checkbox: no keyboard, no name, no state.
     The header has a real <button data-sb-drawer> instead; it toggles the checkbox (which
     Material's CSS and JavaScript follow), Escape closes the drawer, aria-expanded follows. */
  function drawer() { return document.getElementById("__drawer"); }
  function syncDrawer() {
    var box = drawer();
    var buttons = document.querySelectorAll("[data-sb-drawer]");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].setAttribute("aria-expanded", String(!!(box && box.checked)));
    }
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-sb-drawer]") : null;
    var box = drawer();
    if (button && box) box.click();  // fires "change", like Material's own label
  });
  document.addEventListener("keydown", function (event) {
    var box = drawer();
    if (event.key === "Escape" && box && box.checked) {
      box.click();
      var button = document.querySelector("[data-sb-drawer]");
      if (button) button.focus();
    }
  });
  document.addEventListener("change", function (event) {
    if (event.target && event.target.id === "__drawer") syncDrawer();
  });
  document.addEventListener("DOMContentLoaded", syncDrawer);

  /* The drawer (Material's menu, the phones' navigation) tells screen readers which entry is this
     page, or the 栏目 it belongs to, as the tabs do (theme/partials/tabs.html). */
  document.addEventListener("DOMContentLoaded", function () {
    var links = document.querySelectorAll(".md-nav--primary > .md-nav__list > .md-nav__item--active > a.md-nav__link");
    for (var i = 0; i < links.length; i++) {
      links[i].setAttribute("aria-current", links[i].classList.contains("md-nav__link--active") ? "page" : "true");
    }
  });
})();
