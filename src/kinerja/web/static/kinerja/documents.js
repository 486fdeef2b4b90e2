// Documents page: the document just generated (?dibuat=<id>) downloads at once; its link
// stays on the page for a second try. The marker leaves the address, so a reload does not
// download it again.
document.querySelectorAll("a[data-auto-download]").forEach((link) => {
  link.click();
  const url = new URL(window.location.href);
  url.searchParams.delete("dibuat");
  window.history.replaceState(null, "", url);
});
