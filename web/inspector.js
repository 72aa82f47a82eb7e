// The package inspector: reads the dropped zip and key in the page with nrfutil-ts/core
// (lib/nrfutil-core.js, the global `nrfutilCore`), shows `pkg display`'s text and, with
// a key, `pkg verify`'s verdict check by check. No network, no storage.
'use strict';
(function () {
  const core = window.nrfutilCore;
  const $ = (id) => document.getElementById(id);
  const state = { zip: undefined, zipName: '', keyText: '' };

  const KIND_WORDS = { application: 'Application', bootloader: 'Bootloader', softdevice: 'SoftDevice', softdevice_bootloader: 'SoftDevice + bootloader' };

  function item(text, kind) {
    const li = document.createElement('li');
    li.className = kind;
    li.textContent = text;
    return li;
  }

  function showError(message) {
    $('error').textContent = message;
    $('error').hidden = false;
  }

  function showVerdict(result) {
    const list = $('checks');
    list.replaceChildren();
    const box = $('verdict');
    box.hidden = false;
    if (!result) {
      box.className = 'unverified';
      $('verdict-title').textContent = 'Not verified: add the public key the bootloader trusts to check this package.';
      return;
    }
    box.className = result.ok ? 'accepted' : 'rejected';
    $('verdict-title').textContent = result.ok
      ? 'The bootloader would accept this package.'
      : 'The bootloader would reject this package.';
    for (const problem of result.problems) list.append(item(problem, 'bad'));
    for (const image of result.images) {
      list.append(item(`${KIND_WORDS[image.kind] || image.kind}: ${image.binFile} with ${image.datFile}`, 'image'));
      for (const check of image.checks) {
        const what = check.check === 'signature' ? 'Signature: ' : 'Image: ';
        list.append(item(what + check.detail, check.ok ? 'ok' : 'bad'));
      }
    }
  }

  async function refresh() {
    $('error').hidden = true;
    if (!state.zip) return;
    let display;
    try {
      display = await core.displayPackage(state.zip, state.zipName);
    } catch (e) {
      $('display').hidden = true;
      $('verdict').hidden = true;
      showError(e.message);
      return;
    }
    $('display-text').textContent = display;
    $('display').hidden = false;
    const keyText = state.keyText.trim();
    if (!keyText) return showVerdict(undefined);
    try {
      showVerdict(await core.verifyPackage(state.zip, keyText, state.zipName));
    } catch (e) {
      showVerdict(undefined);
      showError(e.message); // a key that cannot be read: says which and why
    }
  }

  async function takeZip(file) {
    state.zip = new Uint8Array(await file.arrayBuffer());
    state.zipName = file.name;
    $('zip-name').textContent = `${file.name} (${state.zip.length} bytes)`;
    await refresh();
  }

  async function takeKey(file) {
    state.keyText = await file.text();
    $('key-text').value = state.keyText;
    $('key-name').textContent = file.name;
    await refresh();
  }

  function dropTarget(label, input, take) {
    input.addEventListener('change', () => input.files[0] && take(input.files[0]));
    label.addEventListener('dragover', (e) => {
      e.preventDefault();
      label.classList.add('over');
    });
    label.addEventListener('dragleave', () => label.classList.remove('over'));
    label.addEventListener('drop', (e) => {
      e.preventDefault();
      label.classList.remove('over');
      const file = e.dataTransfer.files[0];
      if (file) take(file);
    });
  }

  dropTarget($('zip-drop'), $('zip-input'), takeZip);
  dropTarget($('key-drop'), $('key-input'), takeKey);
  $('key-text').addEventListener('input', () => {
    state.keyText = $('key-text').value;
    refresh();
  });
  // Dropping a file anywhere else must not make the browser navigate away from the page.
  window.addEventListener('dragover', (e) => e.preventDefault());
  window.addEventListener('drop', (e) => e.preventDefault());
})();
