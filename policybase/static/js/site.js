// Progressive enhancement only: every page works without this file.
// [data-copy="#id"] copies the text of #id to the clipboard; [data-print] opens the print dialog.
document.addEventListener("click", function (event) {
  var copy = event.target.closest("[data-copy]");
  if (copy) {
    var source = document.querySelector(copy.getAttribute("data-copy"));
    if (!source || !navigator.clipboard) return;
    navigator.clipboard.writeText(source.textContent.trim()).then(function () {
      var status = document.getElementById(copy.getAttribute("aria-describedby") || "");
      if (status) status.textContent = "已复制";
    });
  }
  if (event.target.closest("[data-print]")) window.print();
});

// A GET form marked [data-omit-empty] leaves its empty fields out of the URL: they are disabled for the
// submission (a disabled field is not sent) and enabled again, so that going back shows the form as it was.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!form.matches || !form.matches("form[data-omit-empty]")) return;
  var emptied = Array.prototype.filter.call(form.elements, function (field) {
    return field.name && !field.disabled && field.value === "" && field.type !== "submit";
  });
  emptied.forEach(function (field) { field.disabled = true; });
  setTimeout(function () {
    emptied.forEach(function (field) { field.disabled = false; });
  }, 0);
});

// The list page of a very large result shows its results first; its filters with their counts
// ([data-facets-url]) are fetched after and put in place. Without this script the link in the legend does it.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-facets-url]").forEach(function (fieldset) {
    fetch(fieldset.getAttribute("data-facets-url"), { headers: { "X-Requested-With": "fetch" } })
      .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
      .then(function (html) {
        var holder = document.createElement("div");
        holder.innerHTML = html;
        var loaded = holder.querySelector("fieldset");
        if (loaded) fieldset.replaceWith(loaded);
      })
      .catch(function () {
        fieldset.removeAttribute("aria-busy");
        var legend = fieldset.querySelector("legend");
        if (legend) legend.textContent = "筛选（计数暂时无法加载）";
      });
  });
});
