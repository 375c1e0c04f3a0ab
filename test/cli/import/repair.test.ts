/** The pure repair helpers of the importers. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  collapseCjkSpaces,
  docTypeFromTitle,
  extractProseTasks,
  findSignature,
  isFormulaLike,
  mapHeader,
  markdownToHtml,
  normalizeLabel,
  parseResponsibility,
  repairGbkNumbering,
  repairText,
  sanitizeHtml,
  splitOrgs,
  stripPinyinAnnotations,
  toSimplified,
  traditionalShare,
} from '../../../src/cli/import/index.ts';
import { idFromFileName, readDate, readDocNo } from '../../../src/cli/import/repair.ts';
import { toParas } from '../../../src/cli/import/prose.ts';
import { ProblemLog } from '../../../src/cli/import/types.ts';

describe('stripPinyinAnnotations', () => {
  it('removes one pinyin syllable after a Han character', () => {
    expect(stripPinyinAnnotations('當(dāng)前位置:首頁 > 信息傳達(dá)')).toEqual({
      text: '當前位置:首頁 > 信息傳達',
      count: 2,
    });
    expect(stripPinyinAnnotations('網(wǎng)絡(luò)的(de)').text).toBe('網絡的');
  });
  it('leaves brackets that are not pinyin', () => {
    const text = '乡(镇)政务、市(区)、(2007)、各镇(街、园区)、PPP(ppp)、表(abc)';
    expect(stripPinyinAnnotations(text)).toEqual({ text, count: 0 });
  });
});

describe('repairGbkNumbering', () => {
  it('repairs every numeral of the map in domain.md §4 item 2', () => {
    const r = repairGbkNumbering(
      '?。ㄒ唬?甲\n?。ǘ?乙\n?。ㄈ?丙\n?。ㄋ?丁\n?。ㄎ?戊\n?。ㄆ?庚\n?。ò?辛\n?。ň?壬\n?。ㄊ?癸',
    );
    expect(r.text).toBe(
      '（一）甲\n（二）乙\n（三）丙\n（四）丁\n（五）戊\n（七）庚\n（八）辛\n（九）壬\n（十）癸',
    );
    expect(r.count).toBe(9);
    expect(r.unrepaired).toEqual([]);
  });
  it('reports lines it cannot repair instead of guessing', () => {
    const r = repairGbkNumbering('好的一行\n?。ǎ? 这一行');
    expect(r.count).toBe(0);
    expect(r.unrepaired).toEqual([2]);
  });
  it('does not touch a normal question mark', () => {
    expect(repairGbkNumbering('是否继续?。').text).toBe('是否继续?。');
  });
});

describe('Traditional → Simplified', () => {
  it('converts with the Hong Kong table first and measures the Traditional share', () => {
    expect(toSimplified('汕頭市建設局進一步推進政務公開工作方案')).toBe(
      '汕头市建设局进一步推进政务公开工作方案',
    );
    expect(toSimplified('衞生綫路')).toBe('卫生线路');
    expect(traditionalShare('汕頭市建設局')).toBeGreaterThan(0.3);
    expect(traditionalShare('汕头市建设局')).toBe(0);
  });
  it('repairText keeps the repaired Traditional beside the Simplified', () => {
    const r = repairText('?。ㄒ唬?組織干部職(zhí)工網(wǎng)絡(luò)技術(shù)培訓(xùn)');
    expect(r.simplified).toBe('（一）组织干部职工网络技术培训');
    expect(r.traditional).toBe('（一）組織干部職工網絡技術培訓');
    expect([r.pinyin, r.numbering]).toEqual([5, 1]);
    expect(repairText('组织干部职工').traditional).toBeNull();
  });
});

describe('labels, spaces, formulas, ids', () => {
  it('normalises label spacing', () => {
    for (const l of ['索 引 号：', '索\u3000引\u3000号:', '索引号', ' 索\u00A0引号 ：'])
      expect(normalizeLabel(l)).toBe('索引号');
  });
  it('collapses spaces only between CJK characters', () => {
    expect(collapseCjkSpaces(' 关于印发2007年全市政务公开 工作计划的通知 ')).toBe(
      '关于印发2007年全市政务公开工作计划的通知',
    );
    expect(collapseCjkSpaces('AQI 等级 and PM2.5  value')).toBe('AQI 等级 and PM2.5 value');
  });
  it('spots formula-like cells', () => {
    for (const c of ['=1+1', '+86', '-2', '@SUM(A1)', '\t=cmd'])
      expect(isFormulaLike(c)).toBe(true);
    for (const c of ['全年', '-', '1.实行', '12月底', '']) expect(isFormulaLike(c)).toBe(false);
  });
  it('derives ids and 文种', () => {
    expect(idFromFileName('content/dg-2017 任务表.CSV')).toBe('dg-2017');
    expect(idFromFileName('任务表.csv')).toMatch(/^import-[0-9a-f]{8}$/);
    expect(idFromFileName('任务表.csv')).not.toBe(idFromFileName('分工表.csv'));
    expect(docTypeFromTitle('关于印发2007年全市政务公开工作计划的通知')).toBe('通知');
    expect(docTypeFromTitle('政务公开工作方案')).toBe('方案');
    expect(docTypeFromTitle('湛江市经协办')).toBeNull();
  });
  it('splits organisations outside brackets', () => {
    expect(splitOrgs('各镇人民政府(街道办事处),市府直属各单位')).toEqual([
      '各镇人民政府(街道办事处)',
      '市府直属各单位',
    ]);
    expect(splitOrgs('市发改局、市商务局')).toEqual(['市发改局', '市商务局']);
  });
  it('maps header variants to task fields', () => {
    const m = mapHeader(['序 号', '工作内容', '具体要求', '责任单位', '完成时间']);
    expect([...m.values()]).toEqual(['seq', 'task', 'requirement', 'lead', 'deadline']);
    const both = mapHeader(['任务', '牵头部门', '责任单位', '时限']);
    expect([...both.values()]).toEqual(['task', 'lead', 'responsible', 'deadline']);
  });
});

describe('dates and 文号', () => {
  it('reads Chinese-numeral dates with ○ or 〇, and flags masked ones', () => {
    const log = new ProblemLog('x.md');
    expect(readDate('二○○七年四月十九日', 'writtenDate', log)).toBe('2007-04-19');
    expect(readDate('二〇〇九年八月十三日', 'writtenDate', log)).toBe('2009-08-13');
    expect(readDate('二〇二四年三月一日', 'writtenDate', log)).toBe('2024-03-01');
    expect(readDate('2017年05月15日', 'writtenDate', log)).toBe('2017-05-15');
    expect(readDate('二〇二四年十二月三十一日', 'writtenDate', log)).toBe('2024-12-31');
    expect(log.problems).toEqual([]);
    expect(readDate('201*年6月30日', 'writtenDate', log)).toBeNull();
    expect(readDate('二〇〇七年二月三十日', 'writtenDate', log)).toBeNull();
    expect(log.problems.map((p) => [p.level, p.field])).toEqual([
      ['warning', 'writtenDate'],
      ['error', 'writtenDate'],
    ]);
  });
  it('normalises brackets and flags damaged or masked 文号 without guessing', () => {
    const log = new ProblemLog('x.csv');
    expect(readDocNo('洪府厅发[2008]92号', log)).toEqual({
      docNo: '洪府厅发〔2008〕92号',
      docNoAsInSource: '洪府厅发[2008]92号',
    });
    expect(readDocNo('东府办函〔2007198', log)).toMatchObject({
      docNo: null,
      docNoAsInSource: '东府办函〔2007198',
    });
    expect(readDocNo('湛府办明电201*69号', log)).toMatchObject({
      docNo: null,
      docNoAsInSource: '湛府办明电201*69号',
    });
    expect(log.problems.map((p) => p.field)).toEqual(['docNo', 'docNo']);
  });
});

describe('prose', () => {
  it('parses 由…牵头，…配合 sentences', () => {
    expect(parseResponsibility('由市府办、市行政服务办牵头,有关单位具体落实。')).toEqual({
      lead: '市府办、市行政服务办',
      partners: '有关单位',
    });
    expect(parseResponsibility('由市行政服务办牵头,有关单位配合。')?.lead).toBe('市行政服务办');
    expect(parseResponsibility('今年的重点是')).toBeNull();
  });
  it('finds the signature and the bracketed-deadline task shape', () => {
    const paras = toParas(
      '（一）学习动员（6月20日前）。内容。\n（二）检查总结(12月底前)。内容。\n某某局\n二○○三年六月十六日\n',
    );
    expect(findSignature(paras)).toEqual({ issuer: '某某局', date: '2003-06-16', line: 4 });
    expect(extractProseTasks(paras)).toEqual([
      { seq: 1, task: '学习动员', deadline: '6月20日前' },
      { seq: 2, task: '检查总结', deadline: '12月底前' },
    ]);
  });
});

describe('markdownToHtml and sanitizeHtml', () => {
  it('converts headings, paragraphs (CJK lines joined), lists and pipe tables', () => {
    const { html, tables } = markdownToHtml(
      '# 标题\n\n第一行\n第二行\n\n- 甲\n- 乙\n\n| 序号 | 任务 |\n|---|---|\n| 1 | 公开 |\n',
    );
    expect(html).toBe(
      '<h2>标题</h2>\n<p>第一行第二行</p>\n<ul><li>甲</li><li>乙</li></ul>\n' +
        '<table><thead><tr><th>序号</th><th>任务</th></tr></thead><tbody><tr><td>1</td><td>公开</td></tr></tbody></table>',
    );
    expect(tables[0].rows.map((r) => [r.row, r.cells])).toEqual([
      [9, ['序号', '任务']],
      [11, ['1', '公开']],
    ]);
  });
  it('keeps single stars (masks) and escapes raw HTML', () => {
    // Escaped as the HTML serialiser writes text, so plain bodies skip the jsdom sanitiser.
    expect(markdownToHtml('201*年 **重点** <b>x</b> "q" & \'s\'').html).toBe(
      '<p>201*年 <strong>重点</strong> &lt;b&gt;x&lt;/b&gt; "q" &amp; \'s\'</p>',
    );
  });
  it('removes scripts, handlers and hidden spam, naming each element', () => {
    const r = sanitizeHtml(
      '<p onclick="x()">正文</p><script>bad()</script><div style="display: none"><a href="http://spam">广告</a></div><p><img src="http://t/p.gif"></p>',
    );
    expect(r.html).toBe('<p>正文</p>');
    expect(r.removed).toEqual([
      { element: 'p:nth-of-type(1)', reason: 'attribute onclick removed' },
      { element: 'script', reason: '<script> removed' },
      { element: 'div', reason: 'hidden element removed (possible injected markup)' },
      { element: 'p:nth-of-type(2) > img', reason: '<img> removed' },
    ]);
  });
});

describe('properties', () => {
  const text = fc.string({
    unit: fc.constantFrom(
      '當',
      '前',
      'd',
      'ā',
      'n',
      'g',
      '(',
      ')',
      '?',
      '。',
      'ㄒ',
      '唬',
      ' ',
      '\n',
      '1',
    ),
  });

  it('pinyin stripping only removes bracketed syllables', () => {
    fc.assert(
      fc.property(text, (t) => {
        const r = stripPinyinAnnotations(t);
        expect(r.text.length).toBeLessThanOrEqual(t.length);
        if (!t.includes('(')) expect(r).toEqual({ text: t, count: 0 });
        expect(r.count > 0).toBe(r.text !== t);
      }),
    );
    expect(stripPinyinAnnotations('當(dāng)(dāng)').text).toBe('當(dāng)');
  });

  it('numbering repair leaves text without ? or U+FFFD untouched', () => {
    fc.assert(
      fc.property(fc.string(), (t) => {
        fc.pre(!/[?\uFFFD]/.test(t));
        expect(repairGbkNumbering(t)).toEqual({ text: t, count: 0, unrepaired: [] });
      }),
    );
  });

  it('no Markdown input yields a live tag or handler after sanitising', () => {
    const piece = fc.constantFrom(
      '<script>x()</script>',
      '<img src=x onerror=y>',
      '| a | b |',
      '|---|---|',
      '# h',
      '- li',
      '**b**',
      '文字',
      '\n',
      '\n\n',
      '"',
      "'",
      '<',
      '>',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 20 }), (parts) => {
        const html = sanitizeHtml(markdownToHtml(parts.join('')).html).html;
        expect(html).not.toMatch(/<(script|img)|<[^>]*\son\w+=/i);
      }),
      { numRuns: 60 },
    );
  });
});
