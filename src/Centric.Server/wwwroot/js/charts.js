// Charts on server-rendered pages: a <canvas data-chart='{"kind","labels","series":[{"name","values","dashed"}],"unit"}'>
// is drawn with Chart.js (wwwroot/lib/chartjs, from npm). The figures are also in a table beside each chart, which is
// what screen readers and exports use; the canvas is decoration over it. ui.js loads this file only on pages with a chart.
(() => {
    'use strict';
    if (window.centricCharts) return;

    const colour = (variable, where) => {
        const probe = document.createElement('span');
        probe.style.color = `var(${variable})`;
        where.appendChild(probe);
        const value = getComputedStyle(probe).color;
        probe.remove();
        return value;
    };
    const format = (value, unit) => {
        if (value === null || value === undefined) return '—';
        if (unit && /^[A-Z]{3}$/.test(unit)) return new Intl.NumberFormat(undefined, { style: 'currency', currency: unit, maximumFractionDigits: 0 }).format(value);
        return new Intl.NumberFormat().format(value);
    };

    const drawn = new WeakMap();
    const draw = canvas => {
        let spec;
        try { spec = JSON.parse(canvas.dataset.chart); } catch { return; }
        drawn.get(canvas)?.destroy();
        const text = colour('--color-text-muted', canvas.parentElement);
        const grid = colour('--color-border', canvas.parentElement);
        const palette = [colour('--color-primary', canvas.parentElement), colour('--color-text-muted', canvas.parentElement), colour('--color-success', canvas.parentElement)];
        const chart = new window.Chart(canvas, {
            type: spec.kind === 'bar' ? 'bar' : 'line',
            data: {
                labels: spec.labels,
                datasets: spec.series.map((s, i) => ({
                    label: s.name, data: s.values, borderColor: palette[i % palette.length], backgroundColor: palette[i % palette.length],
                    borderDash: s.dashed ? [6, 4] : [], borderWidth: 2, pointRadius: spec.labels.length > 40 ? 0 : 2, tension: 0.25,
                })),
            },
            options: {
                responsive: true, maintainAspectRatio: false, animation: false,
                interaction: { mode: 'index', intersect: false },
                plugins: {
                    legend: { labels: { color: text, usePointStyle: true, pointStyle: 'line' } },
                    tooltip: { callbacks: { label: c => `${c.dataset.label}: ${format(c.parsed.y, spec.unit)}` } },
                },
                scales: {
                    x: { ticks: { color: text, maxRotation: 0, autoSkip: true }, grid: { color: grid } },
                    y: { beginAtZero: true, ticks: { color: text, callback: v => format(v, spec.unit) }, grid: { color: grid } },
                },
            },
        });
        drawn.set(canvas, chart);
        canvas.dataset.chartDrawn = 'true';
    };

    const drawAll = () => document.querySelectorAll('canvas[data-chart]').forEach(draw);
    window.centricCharts = { drawAll };
    drawAll();
    // Theme switches change the colours: draw again.
    new MutationObserver(drawAll).observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
})();
