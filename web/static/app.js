// InterviewPlanner's small page helpers. Every page works without them;
// they add what a browser can do better: confirmations, time-zone pickers
// that know the browser's zone, list filters, and live meeting states.
(function () {
  "use strict";

  // On a phone the navigation folds behind the Menu button; the Admin menu
  // closes when a click lands elsewhere.
  document.documentElement.classList.add("js");
  var navButton = document.querySelector(".navbutton");
  var mainNav = document.getElementById("mainnav");
  if (navButton && mainNav) {
    navButton.addEventListener("click", function () {
      var open = mainNav.classList.toggle("open");
      navButton.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }
  document.addEventListener("click", function (ev) {
    document.querySelectorAll("details.navmenu[open]").forEach(function (d) {
      if (!d.contains(ev.target)) { d.removeAttribute("open"); }
    });
  });

  // Forms with data-confirm ask before they submit.
  document.addEventListener("submit", function (ev) {
    var form = ev.target;
    var msg = form.getAttribute && form.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) {
      ev.preventDefault();
    }
  }, true);

  // Time-zone fields (input[data-tz]) get every IANA zone as suggestions
  // to search, and the browser's zone when empty.
  // Browsers name some zones by their old IANA names (ICU keeps CLDR's
  // "Asia/Calcutta"); people search for today's ("Kolkata").
  var renamed = {
    "Asia/Calcutta": "Asia/Kolkata", "Asia/Katmandu": "Asia/Kathmandu", "Asia/Saigon": "Asia/Ho_Chi_Minh",
    "Asia/Rangoon": "Asia/Yangon", "Europe/Kiev": "Europe/Kyiv", "America/Godthab": "America/Nuuk",
    "Atlantic/Faeroe": "Atlantic/Faroe", "Pacific/Truk": "Pacific/Chuuk", "Pacific/Ponape": "Pacific/Pohnpei",
    "Pacific/Enderbury": "Pacific/Kanton", "Africa/Asmera": "Africa/Asmara", "Asia/Thimbu": "Asia/Thimphu",
    "America/Buenos_Aires": "America/Argentina/Buenos_Aires", "America/Catamarca": "America/Argentina/Catamarca",
    "America/Cordoba": "America/Argentina/Cordoba", "America/Jujuy": "America/Argentina/Jujuy",
    "America/Mendoza": "America/Argentina/Mendoza", "America/Indianapolis": "America/Indiana/Indianapolis",
    "America/Louisville": "America/Kentucky/Louisville", "Asia/Ulan_Bator": "Asia/Ulaanbaatar"
  };
  function current(z) { return renamed[z] || z; }
  function zones() {
    try {
      if (Intl.supportedValuesOf) {
        var seen = {};
        return Intl.supportedValuesOf("timeZone").map(current).filter(function (z) {
          if (seen[z]) { return false; }
          seen[z] = true;
          return true;
        }).sort();
      }
    } catch (e) { /* older browser: no list, the field still takes a name */ }
    return [];
  }
  function browserZone() {
    try { return current(Intl.DateTimeFormat().resolvedOptions().timeZone || ""); } catch (e) { return ""; }
  }
  var tzInputs = document.querySelectorAll("input[data-tz]");
  if (tzInputs.length) {
    var list = document.getElementById("tz-zones");
    if (!list) {
      list = document.createElement("datalist");
      list.id = "tz-zones";
      zones().forEach(function (z) {
        var o = document.createElement("option");
        o.value = z;
        list.appendChild(o);
      });
      document.body.appendChild(list);
    }
    var here = browserZone();
    tzInputs.forEach(function (input) {
      input.setAttribute("list", "tz-zones");
      input.setAttribute("autocomplete", "off");
      if (!input.value && here) { input.value = here; }
      var hint = input.parentNode.querySelector(".tz-hint");
      if (hint && here) { hint.textContent = "Your browser's zone: " + here; }
    });
  }

  // input[data-filter="#list"] hides the list's labels that do not match.
  document.querySelectorAll("input[data-filter]").forEach(function (input) {
    var target = document.querySelector(input.getAttribute("data-filter"));
    if (!target) { return; }
    input.addEventListener("input", function () {
      var q = input.value.trim().toLowerCase();
      target.querySelectorAll("label").forEach(function (l) {
        l.hidden = q !== "" && l.textContent.toLowerCase().indexOf(q) < 0;
      });
    });
  });

  // [data-live="URL"] is re-read every few seconds while its meetings are
  // still changing; the fresh fragment replaces it.
  document.querySelectorAll("[data-live]").forEach(function (el) {
    var url = el.getAttribute("data-live");
    var timer = setInterval(function () {
      if (document.hidden) { return; }
      fetch(url, { headers: { "Accept": "text/html" }, credentials: "same-origin" }).then(function (res) {
        if (!res.ok) { throw new Error(res.status); }
        return res.text();
      }).then(function (html) {
        var box = document.createElement("div");
        box.innerHTML = html;
        var fresh = box.querySelector("#" + el.id);
        if (!fresh) { return; }
        el.innerHTML = fresh.innerHTML;
        if (!fresh.hasAttribute("data-live")) { clearInterval(timer); }
      }).catch(function () { /* keep the page as it is; try again next tick */ });
    }, 3000);
  });
})();
