// The countries of the contribution form: a search box over a list of boxes to tick.
// Progressive enhancement of the native multiple select, which stays in the form (hidden)
// and is what is sent: without this script the select works on its own. Keyboard: type to
// narrow the list, Down arrow (or Enter) to reach the first match, Up/Down between matches,
// Space or Enter to tick, Escape to go back to the search box; the list is one stop for Tab
// (a roving tabindex), not 250. Each chosen country is a button that removes it. The number
// of matches is announced in a live region.
(function () {
  "use strict";

  // Case, accents and Arabic vowel marks ignored; the forms of alef, ta marbuta and alef
  // maqsura read as the letters people type for them.
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f\u064b-\u065f\u0670]/g, "")
      .replace(/[\u0622\u0623\u0625]/g, "\u0627").replace(/\u0629/g, "\u0647")
      .replace(/\u0649/g, "\u064a").toLocaleLowerCase().trim();
  }

  function element(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      node.setAttribute(name, attributes[name]);
    });
    if (text) node.textContent = text;
    return node;
  }

  function enhance(wrapper) {
    var select = wrapper.querySelector("select[multiple]");
    if (!select) return;
    var base = select.id;
    var text = wrapper.dataset;
    var label = wrapper.querySelector("label[for='" + base + "']");
    var help = document.getElementById(base + "_help");
    var error = document.getElementById(base + "_error");

    var search = element("input", {
      type: "search",
      id: base + "_search",
      autocomplete: "off",
      spellcheck: "false",
      "aria-controls": base + "_options",
      "aria-describedby": [help && help.id, error && error.id, base + "_count"]
        .filter(Boolean).join(" ")
    });
    if (select.getAttribute("aria-invalid")) search.setAttribute("aria-invalid", "true");
    var count = element("p", {
      id: base + "_count", "class": "picker-count", role: "status", "aria-atomic": "true"
    });
    var chosen = element("div", {"class": "picker-chosen"});
    var chosenLabel = element("p", {"class": "picker-chosen-label", id: base + "_chosen"},
      text.chosen);
    var chosenList = element("ul", {"aria-labelledby": base + "_chosen"});
    var none = element("p", {"class": "picker-none"}, text.none);
    chosen.append(chosenLabel, chosenList, none);
    var group = element("div", {
      role: "group", id: base + "_options", "aria-labelledby": label.id || base + "_label"
    });
    var list = element("ul", {"class": "picker-options"});
    group.append(list);

    var boxes = Array.prototype.map.call(select.options, function (option, index) {
      var item = element("li", {"class": "check"});
      var box = element("input", {type: "checkbox", id: base + "_option_" + index,
        value: option.value});
      box.checked = option.selected;
      var boxLabel = element("label", {"for": box.id}, option.text);
      item.append(box, boxLabel);
      list.append(item);
      return {box: box, item: item, option: option, key: fold(option.text)};
    });

    if (label) {
      if (!label.id) label.id = base + "_label";
      label.setAttribute("for", search.id);
    }
    if (help && text.help) help.textContent = text.help;
    select.hidden = true;
    select.removeAttribute("aria-describedby");
    select.setAttribute("tabindex", "-1");
    wrapper.classList.add("enhanced");
    select.before(chosen, search, count, group);

    function visible() {
      return boxes.filter(function (entry) { return !entry.item.hidden; });
    }

    // Only one box of the list is reached with Tab: the last one used, else the first match.
    function rove(current) {
      var shown = visible();
      if (shown.indexOf(current) === -1) current = shown[0];
      boxes.forEach(function (entry) {
        entry.box.tabIndex = entry === current ? 0 : -1;
      });
    }

    function showChosen() {
      chosenList.replaceChildren();
      boxes.forEach(function (entry) {
        if (!entry.option.selected) return;
        var button = element("button", {
          type: "button", "class": "secondary",
          "aria-label": text.remove.replace("{name}", entry.option.text)
        });
        button.append(document.createTextNode(entry.option.text + " "),
          element("span", {"aria-hidden": "true"}, "×"));
        button.addEventListener("click", function () {
          var buttons = Array.prototype.slice.call(chosenList.querySelectorAll("button"));
          var at = buttons.indexOf(button);
          entry.option.selected = false;
          entry.box.checked = false;
          showChosen();
          var rest = chosenList.querySelectorAll("button");
          (rest[Math.min(at, rest.length - 1)] || search).focus();
          count.textContent = text.removed.replace("{name}", entry.option.text);
        });
        var item = element("li");
        item.append(button);
        chosenList.append(item);
      });
      var empty = chosenList.children.length === 0;
      chosenList.hidden = empty;
      none.hidden = !empty;
    }

    var pending = null;
    function filter() {
      var query = fold(search.value);
      boxes.forEach(function (entry) {
        entry.item.hidden = query !== "" && entry.key.indexOf(query) === -1 &&
          entry.option.value.toLocaleLowerCase() !== query;
      });
      rove(null);
      window.clearTimeout(pending);
      // Announced once the person pauses, not at every key.
      pending = window.setTimeout(function () {
        var found = visible().length;
        count.textContent = found ? text.found.replace("{count}", found) : text.notFound;
      }, 400);
    }

    function move(entry, step) {
      var shown = visible();
      var at = shown.indexOf(entry) + step;
      if (at < 0) search.focus();
      else if (at < shown.length) shown[at].box.focus();
    }

    search.addEventListener("input", filter);
    search.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "Enter") {
        event.preventDefault();  // Enter here must not send the step
        var first = visible()[0];
        if (first) first.box.focus();
      } else if (event.key === "Escape" && search.value) {
        event.preventDefault();
        search.value = "";
        filter();
      }
    });
    boxes.forEach(function (entry) {
      entry.box.addEventListener("change", function () {
        entry.option.selected = entry.box.checked;
        showChosen();
      });
      entry.box.addEventListener("focus", function () { rove(entry); });
      entry.box.addEventListener("keydown", function (event) {
        if (event.key === "ArrowDown" || event.key === "ArrowUp") {
          event.preventDefault();
          move(entry, event.key === "ArrowDown" ? 1 : -1);
        } else if (event.key === "Enter") {
          event.preventDefault();
          entry.box.click();
        } else if (event.key === "Escape") {
          event.preventDefault();
          search.focus();
        }
      });
    });
    // The error summary links to the select: take the person to the search box instead.
    document.querySelectorAll("a[href='#" + base + "']").forEach(function (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        search.focus();
      });
    });
    rove(null);
    showChosen();
  }

  document.querySelectorAll("[data-country-picker]").forEach(enhance);
})();
