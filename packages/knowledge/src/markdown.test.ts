import { chunkDocument, parseDocument } from './document.js'

const handbook = `# 西湖旅行社员工手册

欢迎加入**西湖旅行社**！本手册说明日常工作的规则。

## 请假制度

### 年假

员工入职满一年后享有 *5 天* 带薪年假，详见[人事系统](https://hr.example.com)。

![年假流程图](leave.png)

### 病假

**注意：**病假需要提供医院证明。

- 三天以内：主管批准
- 三天以上：
  - 部门经理批准
  - 人事备案

## 报销

| 项目 | 上限 |
| --- | --- |
| 交通 | 200 元 |
| 餐费 | 100 元 |

\`\`\`
报销单编号格式：BX-2025-0001
\`\`\`
`

describe('Markdown documents', () => {
  it('builds the heading path from nested Chinese headings and strips the syntax', async () => {
    const doc = await parseDocument({ filename: '员工手册.md', bytes: Buffer.from(handbook) })
    expect(doc.title).toBe('西湖旅行社员工手册')
    expect(doc.format).toBe('markdown')
    expect(doc.sections).toEqual([
      { headings: ['西湖旅行社员工手册'], text: '欢迎加入西湖旅行社！本手册说明日常工作的规则。' },
      { headings: ['西湖旅行社员工手册', '请假制度', '年假'], text: '员工入职满一年后享有 5 天 带薪年假，详见人事系统。' },
      {
        headings: ['西湖旅行社员工手册', '请假制度', '病假'],
        text: '注意：病假需要提供医院证明。\n\n- 三天以内：主管批准\n- 三天以上：\n  - 部门经理批准\n  - 人事备案',
      },
      { headings: ['西湖旅行社员工手册', '报销'], text: '项目 | 上限\n交通 | 200 元\n餐费 | 100 元\n\n报销单编号格式：BX-2025-0001' },
    ])
    expect(doc.faqs).toEqual([])
  })

  it('keeps the heading path on every chunk', async () => {
    const doc = await parseDocument({ filename: 'handbook.md', bytes: Buffer.from(handbook) })
    const chunks = chunkDocument(doc)
    expect(chunks.map((c) => c.heading)).toEqual([
      '西湖旅行社员工手册',
      '西湖旅行社员工手册 > 请假制度 > 年假',
      '西湖旅行社员工手册 > 请假制度 > 病假',
      '西湖旅行社员工手册 > 报销',
    ])
    expect(chunks.map((c) => c.ordinal)).toEqual([0, 1, 2, 3])
    expect(chunks.every((c) => c.kind === 'passage')).toBe(true)
  })

  it('takes the title from the file name when the document has no heading', async () => {
    const doc = await parseDocument({
      filename: 'notes/boat-tours.markdown',
      bytes: Buffer.from('Boats leave **every 20 minutes** from Hubin.'),
    })
    expect(doc.title).toBe('boat-tours')
    expect(doc.sections).toEqual([{ headings: [], text: 'Boats leave every 20 minutes from Hubin.' }])
  })

  it('prefers the title it is given', async () => {
    const doc = await parseDocument({ filename: 'a.md', bytes: Buffer.from('# Heading'), title: '  Given title ' })
    expect(doc.title).toBe('Given title')
  })

  it('leaves YAML front matter out', async () => {
    const doc = await parseDocument({
      filename: 'a.md',
      bytes: Buffer.from('---\ntitle: 旧标题\ntags: [travel]\n---\n# 断桥\n\n断桥残雪是西湖十景之一。\n'),
    })
    expect(doc.title).toBe('断桥')
    expect(doc.sections).toEqual([{ headings: ['断桥'], text: '断桥残雪是西湖十景之一。' }])
  })

  it('decodes entities and drops inline HTML', async () => {
    const doc = await parseDocument({
      filename: 'a.md',
      bytes: Buffer.from('Tom &amp; Jerry<br>say <span>hi</span>\n\n<div>block &lt;html&gt;</div>'),
    })
    expect(doc.sections[0]?.text).toBe('Tom & Jerry\nsay hi\n\nblock <html>')
  })
})
