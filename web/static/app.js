// Optional enhancement: forms marked data-autosubmit submit as soon as a
// checkbox changes. Without JavaScript the "Apply filters" button does it.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (!el || el.type !== "checkbox" || !el.form) {
      return;
    }
    if (el.form.hasAttribute("data-autosubmit")) {
      el.form.submit();
    }
  });
})();
