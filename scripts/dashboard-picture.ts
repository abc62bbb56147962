// Draws the panels of ops/grafana-dashboard.json from a Prometheus's query API (query_range) as
// SVG line charts, and screenshots them with Debian's Chromium: the picture in docs/img/.
//   npx tsx scripts/dashboard-picture.ts [prometheus URL] [minutes] [out.png] [end, unix seconds]
import { readFileSync } from 'node:fs'
import { chromium } from 'playwright-core'

interface Panel {
  title: string
  fieldConfig: { defaults: { unit: string } }
  targets: { expr: string }[]
}
interface Series {
  metric: Record<string, string>
  values: [number, string][]
}

const [prometheus = 'http://127.0.0.1:9090', minutes = '10', out = 'docs/img/dashboard.png', until] = process.argv.slice(2)
const dashboard = JSON.parse(readFileSync('ops/grafana-dashboard.json', 'utf8')) as { title: string; panels: Panel[] }
const end = until ? Number(until) : Math.floor(Date.now() / 1000)
const start = end - Number(minutes) * 60
const step = Math.max(5, Math.round((end - start) / 240))
const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf']
const WIDTH = 560
const HEIGHT = 220

async function queryRange(expr: string): Promise<Series[]> {
  const url = `${prometheus}/api/v1/query_range?${new URLSearchParams({ query: expr, start: String(start), end: String(end), step: String(step) })}`
  const answer = (await (await fetch(url)).json()) as { status: string; data: { result: Series[] }; error?: string }
  if (answer.status !== 'success') throw new Error(`${expr}: ${answer.error}`)
  return answer.data.result
}

const escape = (text: string) => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`)
// A panel of several queries names each series' metric too.
const label = (metric: Record<string, string>, expr: string, several: boolean) => {
  const labels = Object.entries(metric).map(([k, v]) => `${k}=${v}`).join(' ')
  const name = /(?:blog|http)_[a-z_]+/.exec(expr)?.[0] ?? expr
  return several ? `${name}${labels ? ` ${labels}` : ''}` : labels || expr
}
const format = (value: number, unit: string) =>
  unit === 's' ? (value < 1 ? `${(value * 1000).toPrecision(3)} ms` : `${value.toPrecision(3)} s`) : value >= 1000 ? value.toFixed(0) : value.toPrecision(3)

function chart(panel: Panel, series: { name: string; points: [number, number][] }[]): string {
  const unit = panel.fieldConfig.defaults.unit
  const values = series.flatMap((s) => s.points.map(([, v]) => v))
  const max = Math.max(1e-9, ...values) * 1.1
  const x = (t: number) => 50 + ((t - start) / (end - start)) * (WIDTH - 60)
  const y = (v: number) => HEIGHT - 20 - (v / max) * (HEIGHT - 30)
  const grid = [0, 0.25, 0.5, 0.75, 1]
    .map((f) => `<line x1="50" x2="${WIDTH - 10}" y1="${y(f * max)}" y2="${y(f * max)}" stroke="#ddd"/><text x="46" y="${y(f * max) + 4}" text-anchor="end">${format(f * max, unit)}</text>`)
    .join('')
  const lines = series
    .map((s, i) => `<polyline fill="none" stroke-width="1.5" stroke="${COLORS[i % COLORS.length]}" points="${s.points.map(([t, v]) => `${x(t).toFixed(1)},${y(v).toFixed(1)}`).join(' ')}"/>`)
    .join('')
  const ticks = [0, 0.5, 1].map((f) => {
    const t = start + f * (end - start)
    return `<text x="${x(t)}" y="${HEIGHT - 4}" text-anchor="middle">${new Date(t * 1000).toISOString().slice(11, 16)} UTC</text>`
  })
  const legend = series.map((s, i) => `<span><i style="background:${COLORS[i % COLORS.length]}"></i>${escape(s.name)}</span>`).join('')
  return `<section><h2>${escape(panel.title)}</h2><svg width="${WIDTH}" height="${HEIGHT}">${grid}${lines}${ticks.join('')}</svg><div class="legend">${legend || 'no data'}</div></section>`
}

const sections: string[] = []
for (const panel of dashboard.panels) {
  const series = []
  for (const target of panel.targets) {
    for (const result of await queryRange(target.expr)) {
      const points = result.values.map(([t, v]) => [t, Number(v)] as [number, number]).filter(([, v]) => Number.isFinite(v))
      if (points.length > 0) series.push({ name: label(result.metric, target.expr, panel.targets.length > 1), points })
    }
  }
  sections.push(chart(panel, series))
}

const html = `<!doctype html><meta charset="utf-8"><style>
body { font: 12px sans-serif; margin: 12px; background: #fff; width: ${3 * (WIDTH + 24)}px }
h1 { font-size: 16px; margin: 0 0 8px } h2 { font-size: 13px; margin: 0 0 4px }
main { display: grid; grid-template-columns: repeat(3, ${WIDTH + 16}px); gap: 8px }
section { border: 1px solid #ccc; padding: 6px } svg text { font-size: 10px; fill: #555 }
.legend span { margin-right: 10px; white-space: nowrap } .legend i { display: inline-block; width: 10px; height: 3px; margin-right: 3px; vertical-align: middle }
</style><h1>${escape(dashboard.title)}: ${new Date(start * 1000).toISOString().slice(0, 16)} to ${new Date(end * 1000).toISOString().slice(11, 16)} UTC, from Prometheus at ${escape(prometheus)} (step ${step} s)</h1><main>${sections.join('')}</main>`

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
})
const page = await browser.newPage({ viewport: { width: 3 * (WIDTH + 24) + 24, height: 800 } })
await page.setContent(html)
await page.screenshot({ path: out, fullPage: true })
await browser.close()
console.log(`Wrote ${out}`)
