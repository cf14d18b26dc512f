// Optional: apply a filter or a sort as soon as it is chosen. The form works without it.
(function () {
  "use strict";
  var form = document.querySelector("form[data-auto-submit]");
  if (!form) return;
  form.classList.add("auto-submit");
  form.addEventListener("change", function (event) {
    if (event.target.type === "checkbox") form.submit();
  });
  var sort = document.getElementById("search-sort");
  if (sort && sort.form) {
    sort.addEventListener("change", function () { sort.form.submit(); });
  }
})();
