import { chunkDocument, parseDocument } from './document.js'

const page = `<!DOCTYPE html>
<html>
<head>
  <title>灵隐寺游览指南 | 西湖旅行社</title>
  <style>body { font-family: sans-serif } .price::after { content: "元" }</style>
  <script>window.analytics = { track: function () { return "tracking code" } }</script>
</head>
<body>
  <nav><a href="/">首页</a> <a href="/tours">线路</a></nav>
  <h1>灵隐寺</h1>
  <p>灵隐寺始建于东晋，是杭州最古老的寺院之一。</p>
  <div>门票 <b>45&nbsp;元</b>，飞来峰景区另收 &yen;30 &amp; 需<em>提前</em>预约。</div>
  <h2>开放时间</h2>
  <p>每天 7:00&ndash;18:00<br>节假日延长至 18:30</p>
  <ul>
    <li>请穿着得体</li>
    <li>寺内禁止吸烟
      <ol><li>香火免费提供</li><li>不要自带香烛</li></ol>
    </li>
  </ul>
  <h2>交通</h2>
  <table>
    <thead><tr><th>线路</th><th>站点</th></tr></thead>
    <tbody><tr><td>7 路公交</td><td>灵隐站</td></tr></tbody>
  </table>
  <script type="application/ld+json">{"@type": "TouristAttraction"}</script>
  <footer>© 2025 西湖旅行社 · 浙ICP备00000000号</footer>
</body>
</html>`

describe('HTML documents', () => {
  it('drops scripts, styles, navigation and footers, and builds the heading path from h1–h6', async () => {
    const doc = await parseDocument({ filename: 'lingyin.html', mimeType: 'text/html', bytes: Buffer.from(page) })
    expect(doc.format).toBe('html')
    expect(doc.title).toBe('灵隐寺')
    expect(doc.sections).toEqual([
      { headings: ['灵隐寺'], text: '灵隐寺始建于东晋，是杭州最古老的寺院之一。\n\n门票 45 元，飞来峰景区另收 ¥30 & 需提前预约。' },
      {
        headings: ['灵隐寺', '开放时间'],
        text: '每天 7:00–18:00\n节假日延长至 18:30\n\n- 请穿着得体\n- 寺内禁止吸烟\n  1. 香火免费提供\n  2. 不要自带香烛',
      },
      { headings: ['灵隐寺', '交通'], text: '线路 | 站点\n7 路公交 | 灵隐站' },
    ])
    const all = doc.sections.map((s) => s.text).join('\n')
    for (const dropped of ['tracking', 'font-family', '首页', 'ICP', 'TouristAttraction']) expect(all).not.toContain(dropped)
  })

  it('chunks under the heading path', async () => {
    const doc = await parseDocument({ filename: 'lingyin.htm', bytes: Buffer.from(page) })
    expect(chunkDocument(doc).map((c) => c.heading)).toEqual(['灵隐寺', '灵隐寺 > 开放时间', '灵隐寺 > 交通'])
  })

  it('uses the <title> when the page has no heading', async () => {
    const doc = await parseDocument({
      mimeType: 'text/html; charset=utf-8',
      bytes: Buffer.from('<title>Tea &amp; Hills</title><p>Longjing tea grows at Meijiawu.</p>'),
    })
    expect(doc.title).toBe('Tea & Hills')
    expect(doc.sections).toEqual([{ headings: [], text: 'Longjing tea grows at Meijiawu.' }])
  })
})
