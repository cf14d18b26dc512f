// Optional: apply a filter as soon as it is ticked, without reloading the page. The form
// works without this script (the "Apply filters" button sends it).
//
// Ticking a box fetches the same page for the new choices and replaces the filters and the
// results in place: the focus stays on the box that changed, and the new count is written
// into the live region (role=status), which screen readers announce. The address follows
// (history), so that reloading or sharing it gives the same page.
(function () {
  "use strict";
  var form = document.querySelector("form[data-auto-submit]");
  if (!form || !window.fetch || !window.DOMParser || !window.history.pushState) return;
  form.classList.add("auto-submit");

  var filters = form.querySelector("[data-filters]");
  var wide = window.matchMedia("(min-width: 48rem)");
  function openOnWideScreens() {
    if (filters && wide.matches) filters.open = true;
  }
  openOnWideScreens();

  function addressFor(data) {
    var params = new URLSearchParams();
    data.forEach(function (value, key) {
      if (value !== "") params.append(key, value);
    });
    var query = params.toString();
    return form.getAttribute("action").split("#")[0] + (query ? "?" + query : "");
  }

  function openGroups() {
    var open = [];
    form.querySelectorAll("details.facet-group[open]").forEach(function (group) {
      open.push(group.getAttribute("data-facet"));
    });
    return open;
  }

  function replaceRegions(doc) {
    ["facets", "results"].forEach(function (name) {
      var selector = "[data-search-region='" + name + "']";
      var current = form.querySelector(selector);
      var fresh = doc.querySelector(selector);
      if (current && fresh) current.replaceWith(document.importNode(fresh, true));
    });
    var summary = form.querySelector("[data-search-summary]");
    var freshSummary = doc.querySelector("[data-search-summary]");
    if (summary && freshSummary) summary.textContent = freshSummary.textContent;
    document.title = doc.title;
    // The head's feed link follows the search too, for feed readers that look for it.
    var feedSelector = "link[rel='alternate'][type='application/atom+xml']";
    var feed = document.head.querySelector(feedSelector);
    var freshFeed = doc.head && doc.head.querySelector(feedSelector);
    if (feed && freshFeed) feed.setAttribute("href", freshFeed.getAttribute("href"));
  }

  function announce(doc) {
    var live = form.querySelector("[data-search-count]");
    var fresh = doc.querySelector("[data-search-count]");
    if (!live || !fresh) return;
    // Emptied first, so that the same number said twice is still announced.
    live.textContent = "";
    window.setTimeout(function () { live.textContent = fresh.textContent; }, 150);
  }

  var pending = null;
  function update(changed) {
    var name = changed.name;
    var value = changed.value;
    var open = openGroups();
    var address = addressFor(new FormData(form));
    if (pending) pending.abort();
    pending = new AbortController();
    form.setAttribute("aria-busy", "true");
    fetch(address, { signal: pending.signal, headers: { Accept: "text/html" } })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.text();
      })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        replaceRegions(doc);
        open.forEach(function (key) {
          var group = form.querySelector("details.facet-group[data-facet='" + key + "']");
          if (group) group.open = true;
        });
        window.history.pushState({ search: true }, "", address);
        var again = form.querySelector(
          "input[name='" + name + "'][value='" + window.CSS.escape(value) + "']"
        );
        if (again) {
          var group = again.closest("details.facet-group");
          if (group) group.open = true;
          again.focus();
        }
        announce(doc);
      })
      .catch(function (error) {
        if (error.name !== "AbortError") form.submit();
      })
      .finally(function () { form.removeAttribute("aria-busy"); });
  }

  form.addEventListener("change", function (event) {
    if (event.target.type === "checkbox") update(event.target);
  });
  window.addEventListener("popstate", function () { window.location.reload(); });
})();
