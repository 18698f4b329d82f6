// Helpline reports: fetch the figures once, draw the charts (chart.js from the project's node_modules), render
// every table with its CSV download. Plain script, no build step.
(() => {
  const params = new URLSearchParams(location.search);
  const range = new URLSearchParams();
  for (const k of ['from', 'to']) {
    const v = params.get(k);
    if (v && /^\d{4}-\d{2}-\d{2}$/.test(v)) {
      range.set(k, v);
      document.getElementById(k).value = v;
    }
  }
  const query = range.toString() ? `?${range}` : '';

  const el = (tag, attrs = {}, ...children) => {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (k === 'text') e.textContent = v;
      else e.setAttribute(k, v);
    }
    for (const c of children) e.append(c);
    return e;
  };

  function renderTable(t) {
    const section = el('section', { class: 'report-table', id: `table-${t.id}`, 'aria-labelledby': `h-${t.id}` });
    const head = el('div', { class: 'table-head' }, el('h2', { id: `h-${t.id}`, text: t.title }));
    head.append(
      el('a', {
        class: 'btn btn-small',
        href: `/reports/csv/${encodeURIComponent(t.id)}${query}`,
        download: `helpline-${t.id}.csv`,
        'data-csv': t.id,
        text: 'Download CSV',
        'aria-label': `Download "${t.title}" as CSV`,
      }),
    );
    section.append(head);
    if (t.rows.length === 0) {
      section.append(el('p', { class: 'empty', text: 'Nothing in this period.' }));
      return section;
    }
    const table = el('table', { 'data-table': t.id });
    table.append(el('caption', { class: 'sr-only', text: t.title }));
    const tr = el('tr');
    for (const c of t.columns) tr.append(el('th', { scope: 'col', text: c }));
    table.append(el('thead', {}, tr));
    const body = el('tbody');
    for (const row of t.rows) {
      const r = el('tr');
      row.forEach((cell, i) => {
        const td = el('td');
        const text = cell === null ? '–' : String(cell);
        if (i === t.ticketColumn && typeof cell === 'string')
          td.append(el('a', { href: `/reports/tickets/${encodeURIComponent(cell)}`, text }));
        else td.textContent = text;
        if (typeof cell === 'number') td.className = 'num';
        r.append(td);
      });
      body.append(r);
    }
    table.append(body);
    section.append(
      el('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-labelledby': `h-${t.id}` }, table),
    );
    return section;
  }

  const COLOURS = { met: '#2f7d4f', breached: '#c0392b', respMet: '#5aa3d6', respBreached: '#e59866', line: '#5b4fc4' };

  function chart(id, config, summary) {
    document.getElementById(`${id}-summary`).textContent = summary;
    // eslint-disable-next-line no-undef
    return new Chart(document.getElementById(id), {
      ...config,
      options: { animation: false, responsive: true, maintainAspectRatio: false, ...config.options },
    });
  }

  function drawCharts(data) {
    const table = (id) => data.tables.find((t) => t.id === id);
    const sla = table('sla-weekly');
    const col = (t, name) => t.rows.map((r) => r[t.columns.indexOf(name)]);
    const weeks = sla.rows.map((r) => r[0]);
    chart(
      'chart-sla',
      {
        type: 'bar',
        data: {
          labels: weeks,
          datasets: [
            {
              label: 'First response met',
              data: col(sla, 'First response met'),
              backgroundColor: COLOURS.respMet,
              stack: 'r',
            },
            {
              label: 'First response breached',
              data: col(sla, 'First response breached'),
              backgroundColor: COLOURS.respBreached,
              stack: 'r',
            },
            { label: 'Resolution met', data: col(sla, 'Resolution met'), backgroundColor: COLOURS.met, stack: 's' },
            {
              label: 'Resolution breached',
              data: col(sla, 'Resolution breached'),
              backgroundColor: COLOURS.breached,
              stack: 's',
            },
          ],
        },
        options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
      },
      weeks.map((w, i) => `Week of ${w}: ${col(sla, 'Resolved')[i]} resolved`).join('; '),
    );
    const avg = col(sla, 'Avg first response (business min)');
    chart(
      'chart-avg',
      {
        type: 'line',
        data: {
          labels: weeks,
          datasets: [
            {
              label: 'Average first response',
              data: avg,
              borderColor: COLOURS.line,
              backgroundColor: COLOURS.line,
              spanGaps: true,
            },
            {
              label: `Seed average (${data.seedAverages.response} min)`,
              data: weeks.map(() => data.seedAverages.response),
              borderColor: '#888',
              borderDash: [6, 4],
              pointRadius: 0,
            },
          ],
        },
        options: { scales: { y: { beginAtZero: true } } },
      },
      weeks.map((w, i) => `Week of ${w}: ${avg[i] ?? 'none'}`).join('; '),
    );
    const csat = table('csat-weekly');
    const csatAvg = col(csat, 'Average');
    chart(
      'chart-csat',
      {
        type: 'line',
        data: {
          labels: weeks,
          datasets: [
            {
              label: 'CSAT average',
              data: csatAvg,
              borderColor: COLOURS.met,
              backgroundColor: COLOURS.met,
              spanGaps: true,
            },
          ],
        },
        options: { scales: { y: { min: 0, max: 5 } } },
      },
      weeks.map((w, i) => `Week of ${w}: ${csatAvg[i] ?? 'no scores'}`).join('; '),
    );
  }

  async function load() {
    const res = await fetch(`/reports/api/report${query}`, { credentials: 'same-origin' });
    if (res.status === 401) {
      document.getElementById('meta').textContent = 'Your session has ended: ask the bot for a new reports link.';
      return;
    }
    if (!res.ok) {
      // A range the server refuses (too long, not a date) says what to change; anything else is generic.
      const body = await res.json().catch(() => ({}));
      document.getElementById('meta').textContent =
        typeof body.error === 'string' ? body.error : 'The figures could not be loaded. Try again.';
      document.body.dataset.ready = 'error';
      return;
    }
    const data = await res.json();
    const weeks = data.weeks;
    document.getElementById('meta').textContent =
      `For ${data.viewer}. Weeks of ${weeks[0]} to ${weeks[weeks.length - 1]} (${data.timeZone}); figures as of ${new Date(
        data.generatedAt,
      ).toLocaleString('en-GB', { timeZone: data.timeZone })}.`;
    if (!range.get('from')) document.getElementById('from').value = weeks[0];
    const tables = document.getElementById('tables');
    for (const t of data.tables) tables.append(renderTable(t));
    drawCharts(data);
    document.body.dataset.ready = 'true';
  }

  load().catch((err) => {
    document.getElementById('meta').textContent = `The figures could not be loaded (${err.message}). Try again.`;
  });
})();
