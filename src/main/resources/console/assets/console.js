// The console's pages: each view reads the API's JSON operations with the session's cookie and CSRF token.
// Every value is put on the page as text (textContent, attributes set one by one): nothing from the API,
// and so nothing from Z-API (subjects, links, errors), is ever parsed as HTML.
'use strict';
(function () {
  const view = document.getElementById('view');
  const status = document.getElementById('status');
  let csrf = null;
  let timer = null;
  // each show() is one generation: a view whose answers arrive after the next show() began draws nothing
  let generation = 0;

  /** An element with attributes and children (strings become text nodes). */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? '' : String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function say(text) { status.textContent = text; }

  async function api(path, options) {
    const response = await fetch(path, Object.assign({ credentials: 'same-origin',
      headers: { 'X-CSRF-Token': csrf, 'Accept': 'application/json' } }, options || {}));
    if (response.status === 401) {
      window.location.assign('/console/sign-in');
      throw new Error('signed out');
    }
    if (!response.ok) {
      let detail = response.statusText;
      try { detail = (await response.json()).detail || detail; } catch (e) { /* not a problem document */ }
      throw new Error(response.status + ': ' + detail);
    }
    return response;
  }
  async function json(path) { return (await api(path)).json(); }

  function badge(value) { return el('span', { class: 'badge ' + value }, value); }
  function when(iso) { return iso ? iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC') : '—'; }
  function duration(seconds) {
    if (seconds === null || seconds === undefined) return '?';
    const m = Math.floor(seconds / 60), s = seconds % 60;
    return m > 0 ? m + 'm' + String(s).padStart(2, '0') + 's' : s + 's';
  }

  /** A button that copies {@code text}; says so in words, not only by a change of colour. */
  function copyButton(text, what) {
    const button = el('button', { type: 'button', class: 'secondary copy', 'aria-label': 'Copy ' + what }, 'Copy');
    button.addEventListener('click', async () => {
      try {
        if (navigator.clipboard && window.isSecureContext) await navigator.clipboard.writeText(text);
        else {
          const area = el('textarea', { 'aria-hidden': 'true', style: null });
          area.value = text;
          area.className = 'skip';
          document.body.append(area);
          area.select();
          document.execCommand('copy');
          area.remove();
        }
        button.textContent = 'Copied';
        say('Copied ' + what + '.');
      } catch (e) {
        say('Could not copy: ' + e.message);
      }
    });
    return button;
  }

  function linkCell(link, what) {
    if (!link) return el('td', { 'data-label': what }, '—');
    return el('td', { 'data-label': what, class: 'link' }, el('span', {}, link), ' ', copyButton(link, what));
  }

  /** A table that turns into labelled cards on a narrow screen. */
  function table(caption, columns, rows) {
    return el('table', { class: 'responsive' },
      el('caption', { class: 'skip' }, caption),
      el('thead', {}, el('tr', {}, columns.map(c => el('th', { scope: 'col', class: c.num ? 'num' : null }, c.label)))),
      el('tbody', {}, rows.length ? rows : el('tr', {}, el('td', { colspan: columns.length }, 'Nothing yet.'))));
  }
  function cell(label, value, num) { return el('td', { 'data-label': label, class: num ? 'num' : null }, value === null || value === undefined ? '—' : value); }

  function chart(target, title, opts, data) {
    const width = Math.max(280, Math.min(target.clientWidth || 600, 1200));
    const holder = el('div', { class: 'chart', role: 'img', 'aria-label': title });
    target.append(holder);
    /* global uPlot */
    return new uPlot(Object.assign({ title: title, width: width, height: 260 }, opts), data, holder);
  }

  // ---- Overview ------------------------------------------------------------------------------------------
  async function overview(mine) {
    const [now, runs] = await Promise.all([json('/api/overview'), json('/api/runs?limit=10')]);
    if (mine !== generation) return;
    const rate = now.requestRate;
    view.replaceChildren(
      el('h1', {}, 'Overview'),
      el('h2', {}, 'Sources'),
      table('Sources', [{ label: 'Source' }, { label: 'State' }, { label: 'Cause' }, { label: 'Since' }],
        now.sources.map(s => el('tr', {}, cell('Source', s.name), el('td', { 'data-label': 'State' }, badge(s.state)),
          cell('Cause', s.cause || ''), cell('Since', when(s.since))))),
      el('h2', {}, 'Z-API request rate'),
      el('p', { id: 'request-rate' }, (rate.perSecond === undefined ? 'measuring…' : rate.perSecond + ' requests/s') + ' of a budget of '
        + rate.budgetPerSecond + ' requests/s (at most ' + rate.maxPerSecond + ')'),
      el('h2', {}, 'In progress'),
      now.inProgress.length ? el('div', { class: 'cards' }, now.inProgress.map(progressCard)) : el('p', { class: 'muted' }, 'No batch or tick is running.'),
      el('h2', {}, 'Last runs'),
      runsTable(runs.runs),
      actions());
    timer = setTimeout(() => { if (!view.contains(document.activeElement) || document.activeElement === view) show(); else overviewLater(mine); }, 3000);
  }

  // refreshed only while no control of the view has the keyboard (a form being filled is not redrawn)
  function overviewLater(mine) {
    timer = setTimeout(() => { if (mine === generation) { if (!view.contains(document.activeElement) || document.activeElement === view) show(); else overviewLater(mine); } }, 3000);
  }

  /** Upload a list (POST /api/batches) and fire a check tick (POST /api/schedules/{name}/ticks). */
  function actions() {
    const file = el('input', { id: 'upload-file', type: 'file', accept: '.txt,.csv,text/plain,text/csv', required: true });
    const upload = el('form', { id: 'upload', class: 'filters' },
      el('div', {}, el('label', { for: 'upload-file' }, 'List of group IDs (.txt or .csv)'), file),
      el('button', { type: 'submit' }, 'Upload as a batch'));
    upload.addEventListener('submit', async event => {
      event.preventDefault();
      if (!file.files.length) return;
      const chosen = file.files[0];
      try {
        const response = await api('/api/batches', { method: 'POST', body: await chosen.text(),
          headers: { 'X-CSRF-Token': csrf, 'Accept': 'application/json', 'Content-Type': chosen.name.endsWith('.csv') ? 'text/csv' : 'text/plain' } });
        const batch = await response.json();
        say('Batch ' + batch.id + ' accepted.');
        followBatch(batch.id);
      } catch (e) {
        say('Upload refused: ' + e.message);
      }
    });
    const name = el('input', { id: 'tick-schedule', type: 'text', required: true, pattern: '[A-Za-z0-9._-]+', value: 'managed-groups' });
    const tick = el('form', { id: 'tick', class: 'filters' },
      el('div', {}, el('label', { for: 'tick-schedule' }, 'Schedule name'), name),
      el('button', { type: 'submit' }, 'Fire a check tick now'));
    tick.addEventListener('submit', async event => {
      event.preventDefault();
      try {
        const response = await api('/api/schedules/' + encodeURIComponent(name.value) + '/ticks?action=check', { method: 'POST',
          headers: { 'X-CSRF-Token': csrf, 'Accept': 'application/json' } });
        const batch = await response.json();
        say('Tick ' + batch.id + ' fired.');
        followBatch(batch.id);
      } catch (e) {
        say('Tick refused: ' + e.message);
      }
    });
    return el('section', { id: 'actions' }, el('h2', {}, 'Actions'), upload, tick, el('div', { id: 'followed' }));
  }

  /** A progress bar for one batch, from GET /api/batches/{id}, until it is no longer running. */
  async function followBatch(id) {
    const holder = document.getElementById('followed');
    if (!holder) return;
    const bar = el('progress', { id: 'batch-' + id, max: 100, value: 0 });
    const text = el('p', { class: 'batch-text' }, 'Batch ' + id + ': waiting');
    holder.replaceChildren(el('div', { class: 'card' }, el('label', { for: 'batch-' + id }, 'Progress of batch ' + id), bar, text));
    for (;;) {
      const batch = await json('/api/batches/' + encodeURIComponent(id));
      if (batch.percent !== undefined) bar.value = batch.percent;
      text.textContent = 'Batch ' + id + ': ' + batch.status + (batch.done !== undefined ? ' · ' + batch.done + ' / ' + (batch.total === undefined ? '?' : batch.total) : '')
        + (batch.percent !== undefined ? ' (' + batch.percent + '%)' : '');
      if (!['ACCEPTED', 'QUEUED', 'RUNNING', 'PENDING'].includes(batch.status)) break;
      await new Promise(resolve => setTimeout(resolve, 1000));
    }
  }

  function progressCard(p) {
    const percent = p.expected ? Math.min(100, Math.floor(p.done * 100 / p.expected)) : null;
    return el('div', { class: 'card progress-card' },
      el('p', {}, el('strong', {}, p.source)),
      el('label', { for: 'progress-' + p.runId }, 'Progress of ' + p.source),
      el('progress', { id: 'progress-' + p.runId, max: p.expected || null, value: p.expected ? p.done : null }, percent === null ? '' : percent + '%'),
      el('p', { class: 'progress-text' }, p.done + ' / ' + (p.expected === undefined ? '?' : p.expected) + ' groups'
        + (percent === null ? '' : ' (' + percent + '%)') + ' · ' + p.groupsPerSecond + ' groups/s · ETA ' + duration(p.etaSeconds)),
      el('p', { class: 'muted' }, 'OK ' + p.ok + ', PARTIAL ' + p.partial + ', FAILED ' + p.failed + ', REJECTED ' + p.rejected));
  }

  function runsTable(runs) {
    return table('Runs', [{ label: 'Source' }, { label: 'Status' }, { label: 'Started' }, { label: 'Finished' },
      { label: 'OK', num: true }, { label: 'PARTIAL', num: true }, { label: 'FAILED', num: true }, { label: 'REJECTED', num: true }],
    runs.map(r => el('tr', {}, cell('Source', r.source), el('td', { 'data-label': 'Status' }, badge(r.status), r.stopReason ? ' ' + r.stopReason : ''),
      cell('Started', when(r.startedAt)), cell('Finished', when(r.finishedAt)), cell('OK', r.ok, true), cell('PARTIAL', r.partial, true),
      cell('FAILED', r.failed, true), cell('REJECTED', r.rejected, true))));
  }

  // ---- Groups --------------------------------------------------------------------------------------------
  const groupsState = { q: '', status: '', cursors: [''] };

  async function groups(mine) {
    const after = groupsState.cursors[groupsState.cursors.length - 1];
    const query = new URLSearchParams({ limit: '25' });
    if (groupsState.q) query.set('q', groupsState.q);
    if (groupsState.status) query.set('status', groupsState.status);
    if (after) query.set('after', after);
    const page = await json('/api/groups?' + query);
    if (mine !== generation) return;
    const search = el('input', { id: 'group-search', type: 'search', name: 'q', maxlength: '100', value: groupsState.q, placeholder: 'ID start or subject' });
    const statusSelect = el('select', { id: 'group-status', name: 'status' },
      ['', 'OK', 'PARTIAL', 'FAILED', 'LEFT'].map(s => el('option', { value: s, selected: s === groupsState.status }, s || 'any')));
    const form = el('form', { class: 'filters', role: 'search' },
      el('div', {}, el('label', { for: 'group-search' }, 'Search'), search),
      el('div', {}, el('label', { for: 'group-status' }, 'Status'), statusSelect),
      el('button', { type: 'submit' }, 'Search'));
    form.addEventListener('submit', event => {
      event.preventDefault();
      groupsState.q = search.value.trim();
      groupsState.status = statusSelect.value;
      groupsState.cursors = [''];
      show();
    });
    const pageNumber = groupsState.cursors.length;
    const previous = el('button', { type: 'button', class: 'secondary', id: 'previous-page', disabled: pageNumber === 1 }, 'Previous page');
    previous.addEventListener('click', () => { groupsState.cursors.pop(); show(); });
    const next = el('button', { type: 'button', class: 'secondary', id: 'next-page', disabled: !page.next }, 'Next page');
    next.addEventListener('click', () => { groupsState.cursors.push(page.next); show(); });
    view.replaceChildren(el('h1', {}, 'Groups'), form,
      table('Groups', [{ label: 'Group' }, { label: 'Subject' }, { label: 'Status' }, { label: 'Participants', num: true },
        { label: 'Link' }, { label: 'Last seen' }],
      page.groups.map(g => el('tr', { class: 'group-row' },
        el('td', { 'data-label': 'Group' }, el('a', { href: '#/group/' + encodeURIComponent(g.groupId) }, g.groupId)),
        cell('Subject', g.subject), el('td', { 'data-label': 'Status' }, badge(g.status), g.leftAt ? [' ', badge('LEFT')] : null),
        cell('Participants', g.participantsCount, true), linkCell(g.invitationLink, 'link of ' + g.groupId), cell('Last seen', when(g.lastSeenAt))))),
      el('div', { class: 'pager' }, previous, el('span', { id: 'page-number' }, 'Page ' + pageNumber), next));
  }

  // ---- Group detail --------------------------------------------------------------------------------------
  async function group(mine, id) {
    const path = '/api/groups/' + encodeURIComponent(id);
    const [g, links, readings] = await Promise.all([json(path), json(path + '/links?page=0&size=100'), json(path + '/readings?limit=100')]);
    if (mine !== generation) return;
    const facts = el('dl', { class: 'facts' });
    const fact = (name, value) => facts.append(el('dt', {}, name), el('dd', {}, value === null || value === undefined ? '—' : value));
    fact('Group ID', g.groupId);
    fact('Subject', g.subject);
    facts.append(el('dt', {}, 'Status'), el('dd', {}, badge(g.status)));
    fact('Participants', g.participantsCount);
    facts.append(el('dt', {}, 'Current link'), el('dd', { class: 'link' }, g.invitationLink || '—', ' ', g.invitationLink ? copyButton(g.invitationLink, 'current link') : null));
    fact('Last seen', when(g.lastSeenAt));
    fact('Last OK', when(g.lastOkAt));
    const error = g.errorCode || g.errorMessage
      ? el('p', { class: 'alert', id: 'last-error' }, 'Last error: ' + [g.errorCode, g.errorMessage].filter(Boolean).join(': '))
      : el('p', { class: 'muted', id: 'last-error' }, 'No error at the last fetch.');
    const timeline = el('ol', { class: 'timeline', id: 'link-history' }, links.links.map(l => el('li', {},
      el('span', { class: 'link' }, l.invitationLink), ' ', copyButton(l.invitationLink, 'link'),
      el('br'), el('span', { class: 'muted' }, 'first seen ' + when(l.firstSeenAt) + ', last seen ' + when(l.lastSeenAt)))));
    view.replaceChildren(el('p', {}, el('a', { href: '#/groups' }, '← Groups')), el('h1', {}, g.subject || g.groupId), facts, error,
      el('h2', {}, 'Link history (' + links.total + ')'), timeline);
    const chronological = links.links.slice().reverse();
    if (chronological.length) {
      const xs = chronological.map(l => Date.parse(l.firstSeenAt) / 1000);
      chart(view, 'Links the group has had, by when each was first seen', {
        scales: { x: { time: true } },
        series: [{}, { label: 'link number', stroke: '#0b5cad', points: { size: 8 } }]
      }, [xs, chronological.map((l, i) => i + 1)]);
    }
    participantsHistory(readings);
  }

  // The participants count at each check that brought metadata: a chart, and the same numbers in a table.
  function participantsHistory(readings) {
    const list = readings.readings;
    view.append(el('h2', {}, 'Participants over the checks (' + list.length + ')'));
    const chronological = list.slice().reverse();
    if (chronological.length) {
      chart(view, 'Participants count at each check', {
        scales: { x: { time: true } },
        series: [{}, { label: 'participants', stroke: '#0b5cad', points: { size: 8 } }]
      }, [chronological.map(r => Date.parse(r.checkedAt) / 1000), chronological.map(r => r.participantsCount)]);
    }
    const rows = list.map(r => el('tr', {}, cell('Checked', when(r.checkedAt)), cell('Participants', r.participantsCount, true)));
    const readingsTable = table('Participants count at each check, newest first',
      [{ label: 'Checked' }, { label: 'Participants', num: true }], rows);
    readingsTable.id = 'participants-history';
    view.append(readingsTable);
  }

  // ---- Rotations -----------------------------------------------------------------------------------------
  let rotationDays = '7';
  async function rotations(mine) {
    const [changes, runs, now] = await Promise.all([json('/api/rotations?days=' + rotationDays), json('/api/runs?limit=50'), json('/api/overview')]);
    if (mine !== generation) return;
    const days = el('select', { id: 'rotation-days' }, ['1', '7', '30', '90'].map(d => el('option', { value: d, selected: d === rotationDays }, d + ' days')));
    days.addEventListener('change', () => { rotationDays = days.value; show(); });
    const ticks = runs.runs.filter(r => r.source.startsWith('schedule:'));
    const inTick = (r, t) => Date.parse(r.rotatedAt) >= Date.parse(t.startedAt) && (!t.finishedAt || Date.parse(r.rotatedAt) <= Date.parse(t.finishedAt));
    view.replaceChildren(el('h1', {}, 'Rotations'),
      rotateControl(now.rotation) || '',
      el('div', { class: 'filters' }, el('div', {}, el('label', { for: 'rotation-days' }, 'Period'), days)),
      el('div', { id: 'rotations-chart' }),
      el('h2', {}, 'Ticks'),
      ...(ticks.length ? ticks.map(t => el('section', { class: 'tick' },
        el('h3', {}, t.source + ' · ' + when(t.startedAt) + ' · ', badge(t.status)),
        t.hasReport ? downloadButton(t) : el('p', { class: 'muted' }, 'No report (the tick did not complete).'),
        rotationTable(changes.rotations.filter(r => inTick(r, t))))) : [el('p', { class: 'muted' }, 'No schedule tick recorded.')]),
      el('h2', {}, 'All link changes in the period (' + changes.rotations.length + ')'),
      rotationTable(changes.rotations));
    if (changes.perDay.length) {
      const xs = changes.perDay.map(d => Date.parse(d.day + 'T00:00:00Z') / 1000);
      // the period itself, not uPlot's range around the days that had changes (one day alone spread over years)
      const today = Math.floor(Date.now() / 86400000) * 86400;
      const period = [today - (Number(rotationDays) - 1) * 86400 - 43200, today + 43200];
      chart(document.getElementById('rotations-chart'), 'Link changes per day', {
        scales: { x: { time: true, range: () => period } },
        series: [{}, { label: 'changes', stroke: '#0b5cad', fill: 'rgba(11,92,173,0.35)', paths: uPlot.paths.bars({ size: [0.6, 40] }) }]
      }, [xs, changes.perDay.map(d => d.rotations)]);
    }
  }

  /**
   * "Rotate links…", only where a rotate tick may revoke links (the opt-in zapi.rotate.enabled, and not every rotate
   * a dry run): a dry run first (action=plan), then a confirmation naming how many links it found; only its
   * "Revoke N links" fires the rotate tick.
   */
  function rotateControl(rotation) {
    if (!rotation || !rotation.enabled || rotation.dryRun) return null;
    const button = el('button', { type: 'button', id: 'rotate-links' }, 'Rotate links…');
    const result = el('p', { id: 'rotate-result', role: 'status' });
    button.addEventListener('click', async () => {
      button.disabled = true;
      try {
        await rotateLinks(rotation.schedule, result);
      } catch (e) {
        result.textContent = 'Rotation stopped: ' + e.message;
      } finally {
        button.disabled = false;
        button.focus();
      }
    });
    return el('section', { id: 'rotate' }, el('h2', {}, 'Rotate links'),
      el('p', { class: 'muted' }, 'Revokes the invitation link of each group of schedule ' + rotation.schedule + ' (at most '
        + rotation.maxGroups + ') and issues a new one. A dry run counts them first; nothing is revoked before you confirm.'),
      button, result);
  }

  async function rotateLinks(schedule, result) {
    result.textContent = 'Dry run: counting the links a rotation would revoke…';
    const plan = await finished(await fireTick(schedule, 'plan'));
    if (plan.status !== 'DONE') {
      result.textContent = 'The dry run ended ' + plan.status + (plan.reason ? ': ' + plan.reason : '') + '; nothing was revoked.';
      return;
    }
    const links = plan.counts.ok;
    if (links === 0) {
      result.textContent = 'The dry run found no link to revoke; nothing was revoked.';
      return;
    }
    if (!await confirmRevoke(schedule, links)) {
      result.textContent = 'Cancelled; nothing was revoked.';
      return;
    }
    result.textContent = 'Rotating ' + links + ' links…';
    const rotate = await finished(await fireTick(schedule, 'rotate'));
    result.textContent = 'Rotate tick ' + rotate.id + ' ended ' + rotate.status + ': ' + rotate.counts.ok + ' links revoked and reissued'
      + (rotate.counts.failed ? ', ' + rotate.counts.failed + ' failed' : '') + '.';
  }

  async function fireTick(schedule, action) {
    const response = await api('/api/schedules/' + encodeURIComponent(schedule) + '/ticks?action=' + action, { method: 'POST',
      headers: { 'X-CSRF-Token': csrf, 'Accept': 'application/json' } });
    return (await response.json()).id;
  }

  /** GET /api/batches/{id} until the batch no longer runs. */
  async function finished(id) {
    for (;;) {
      const batch = await json('/api/batches/' + encodeURIComponent(id));
      if (!['ACCEPTED', 'QUEUED', 'RUNNING', 'PENDING'].includes(batch.status)) return batch;
      await new Promise(resolve => setTimeout(resolve, 500));
    }
  }

  /** A modal dialog naming how many links go; Cancel has the focus, Escape cancels. Resolves true only on "Revoke". */
  function confirmRevoke(schedule, links) {
    return new Promise(resolve => {
      const cancel = el('button', { type: 'button', class: 'secondary', id: 'rotate-cancel', autofocus: true }, 'Cancel');
      const revoke = el('button', { type: 'button', id: 'rotate-confirm' }, 'Revoke ' + links + ' links');
      const dialog = el('dialog', { id: 'rotate-dialog', 'aria-labelledby': 'rotate-dialog-title', 'aria-describedby': 'rotate-dialog-text' },
        el('h2', { id: 'rotate-dialog-title' }, 'Revoke ' + links + ' invitation links?'),
        el('p', { id: 'rotate-dialog-text' }, 'The dry run found ' + links + ' groups in schedule ' + schedule + '. Their current invitation links '
          + 'will stop working and new ones are issued; this cannot be undone.'),
        el('div', { class: 'dialog-buttons' }, cancel, revoke));
      let confirmed = false;
      cancel.addEventListener('click', () => dialog.close());
      revoke.addEventListener('click', () => { confirmed = true; dialog.close(); });
      dialog.addEventListener('close', () => { dialog.remove(); resolve(confirmed); });
      document.body.append(dialog);
      dialog.showModal();
      cancel.focus();
    });
  }

  function rotationTable(rows) {
    return table('Link changes', [{ label: 'Group' }, { label: 'Subject' }, { label: 'Previous link' }, { label: 'New link' }, { label: 'Changed' }],
      rows.map(r => el('tr', { class: 'rotation-row' },
        el('td', { 'data-label': 'Group' }, el('a', { href: '#/group/' + encodeURIComponent(r.groupId) }, r.groupId)), cell('Subject', r.subject),
        linkCell(r.previousLink, 'previous link'), linkCell(r.newLink, 'new link'), cell('Changed', when(r.rotatedAt)))));
  }

  function downloadButton(tick) {
    const button = el('button', { type: 'button', class: 'secondary download' }, 'Download the rotation report (CSV)');
    button.addEventListener('click', async () => {
      try {
        const blob = await (await api('/api/runs/' + encodeURIComponent(tick.runId) + '/rotations.csv', { headers: { 'X-CSRF-Token': csrf, 'Accept': 'text/csv' } })).blob();
        const url = URL.createObjectURL(blob);
        const a = el('a', { href: url, download: tick.runId + '-rotations.csv' });
        document.body.append(a);
        a.click();
        a.remove();
        setTimeout(() => URL.revokeObjectURL(url), 10000);
      } catch (e) {
        say('Download failed: ' + e.message);
      }
    });
    return button;
  }

  // ---- Runs ----------------------------------------------------------------------------------------------
  async function runs(mine) {
    const list = (await json('/api/runs?limit=50')).runs.slice().reverse();
    if (mine !== generation) return;
    view.replaceChildren(el('h1', {}, 'Runs'), el('div', { id: 'runs-chart' }), el('h2', {}, 'Runs, newest first'), runsTable(list.slice().reverse()));
    if (!list.length) return;
    const xs = list.map((r, i) => i + 1);
    const outcomes = [['ok', 'OK', '#1d6b35'], ['partial', 'PARTIAL', '#d08a00'], ['failed', 'FAILED', '#a4161a'], ['rejected', 'REJECTED', '#4a5360']];
    // stacked: each series is drawn up to the sum of itself and those below it, the tallest first
    const sums = outcomes.map((o, k) => list.map(r => outcomes.slice(0, k + 1).reduce((total, p) => total + r[p[0]], 0)));
    const bars = uPlot.paths.bars({ size: [0.7, 60] });
    const series = [{ label: 'run', value: (u, v) => v === null ? '' : list[v - 1].source + ' ' + when(list[v - 1].startedAt) }];
    const data = [xs];
    for (let k = outcomes.length - 1; k >= 0; k--) {
      const key = outcomes[k][0];
      series.push({ label: outcomes[k][1], stroke: outcomes[k][2], fill: outcomes[k][2], paths: bars,
        value: (u, v, si, i) => i === null || i === undefined ? '' : list[i][key] });
      data.push(sums[k]);
    }
    chart(document.getElementById('runs-chart'), 'Outcomes per run (stacked)', { scales: { x: { time: false } }, series: series,
      axes: [{ label: 'run (oldest to newest)' }, { label: 'groups' }] }, data);
  }

  // ---- routing -------------------------------------------------------------------------------------------
  const views = { overview: overview, groups: groups, rotations: rotations, runs: runs };

  async function show() {
    clearTimeout(timer);
    const mine = ++generation;
    const hash = window.location.hash || '#/overview';
    const [, name, arg] = hash.match(/^#\/([a-z]+)(?:\/(.*))?$/) || [null, 'overview', null];
    document.querySelectorAll('nav a').forEach(a => {
      if (a.dataset.view === (name === 'group' ? 'groups' : name)) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    });
    try {
      if (name === 'group' && arg) await group(mine, decodeURIComponent(arg));
      else await (views[name] || overview)(mine);
      if (mine === generation) say('');
    } catch (e) {
      if (e.message !== 'signed out' && mine === generation) say('Could not load: ' + e.message);
    }
  }

  async function start() {
    const response = await fetch('/console/session', { credentials: 'same-origin' });
    if (!response.ok) {
      window.location.assign('/console/sign-in');
      return;
    }
    const session = await response.json();
    csrf = session.csrfToken;
    document.getElementById('sign-out-csrf').value = csrf;
    document.getElementById('who').textContent = 'Key ' + session.keyName;
    window.addEventListener('hashchange', () => { show().then(() => view.focus()); });
    await show();
  }
  start();
}());
