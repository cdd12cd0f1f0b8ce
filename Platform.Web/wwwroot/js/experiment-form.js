// The New experiment form (/experiments/new): a select with data-reload-with reloads the page for
// its value (another family has other defaults and another config section); a select with
// data-sets-modalities sets that select to its chosen option's data-modalities (a Baselines
// variant needs one modality combination).
(function () {
  const form = document.getElementById('experiment-form');
  if (!form) return;

  form.addEventListener('change', event => {
    const select = event.target;
    if (!(select instanceof HTMLSelectElement)) return;
    if (select.dataset.reloadWith) {
      const url = new URL(window.location.href);
      url.search = new URLSearchParams({ [select.dataset.reloadWith]: select.value }).toString();
      window.location.assign(url);
      return;
    }
    const target = select.dataset.setsModalities && document.getElementById(select.dataset.setsModalities);
    const modalities = select.selectedOptions[0]?.dataset.modalities;
    if (target && modalities && target.value !== modalities) {
      target.value = modalities;
      target.dispatchEvent(new Event('change', { bubbles: true }));
    }
  });
})();
