// Progressive enhancement, loaded after htmx: every page works without it.
// When the deals list is swapped in place (filters, search, pages), move
// focus to the new results heading so that keyboard and screen-reader
// users land on the results, as they would after a full page load.
document.addEventListener("htmx:afterSettle", function (event) {
  if (!event.target || !event.target.closest || !event.target.closest("#deal-browser")) {
    return;
  }
  var heading = document.getElementById("results-heading");
  if (heading) {
    heading.setAttribute("tabindex", "-1");
    heading.focus();
  }
});
