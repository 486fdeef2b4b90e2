// Documents page: the document asked for (?proses=<job id>) is generated in the background;
// its status fragment is polled by htmx and, once the file is ready, downloads it at once.
// Its link stays on the page for a second try. The marker leaves the address, so a reload
// does not download it again.
function downloadReady(root) {
  root.querySelectorAll("a[data-auto-download]").forEach((link) => {
    link.removeAttribute("data-auto-download");
    link.click();
    const url = new URL(window.location.href);
    url.searchParams.delete("proses");
    window.history.replaceState(null, "", url);
  });
}
downloadReady(document);
document.body.addEventListener("htmx:load", () => downloadReady(document));
