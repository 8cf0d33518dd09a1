// Attack 7 of issue 14 at import: what lib/surveys/sanitize.ts keeps and removes. The browser test
// (browser.test.ts) imports the same kind of definition through the API and opens it in Chromium.
import { describe, expect, it } from 'vitest';
import { sanitizeDefinition } from '@/lib/surveys/sanitize';

describe('attack 7: a SurveyJS definition is sanitised on import', () => {
  it('removes script, handlers, javascript: URLs and frames from every string SurveyJS shows', async () => {
    const clean = await sanitizeDefinition({
      title: '问卷<img src=x onerror="alert(1)">',
      completedHtml: { default: '<h3>谢谢</h3><script>alert(1)</script>', 'zh-cn': '<a href="javascript:alert(1)">链接</a><a href="https://example.cn/a">官网</a>' },
      completedHtmlOnCondition: [{ expression: "{a} = 'x'", html: '<svg onload="alert(1)"></svg><p>好</p>' }],
      navigateToUrl: 'javascript:alert(1)',
      navigateToUrlOnCondition: [{ expression: '{a} notempty', url: ' java\tscript:alert(1)' }],
      logo: 'data:text/html,<script>alert(1)</script>',
      pages: [
        {
          name: 'p1',
          elements: [
            { type: 'html', name: 'h', html: '<p style="color:red">说明</p><iframe srcdoc="x"></iframe><form action="/api/v1/users"><input name="username"></form>' },
            { type: 'radiogroup', name: 'q', title: 'A < B & C', visibleIf: "{h} <> '<b>'", choices: [{ value: 'yes', text: '<b onclick="alert(1)">是</b>' }, { value: 'no', text: '否' }] },
            { type: 'text', name: 't', defaultValue: '<img src=x onerror=alert(1)>' },
            { type: 'image', name: 'img', imageLink: 'data:image/png;base64,iVBORw0KGgo=' },
            { type: 'imagepicker', name: 'pick', choices: [{ value: 'a', imageLink: 'javascript:alert(1)' }, { value: 'b', imageLink: '/public/b.png' }] },
          ],
        },
      ],
    });
    const text = JSON.stringify(clean);
    expect(text).not.toMatch(/onerror|onload|onclick|<script|javascript|<iframe|srcdoc|<form|<input|data:text/i);
    expect(clean.title).toBe('问卷<img src="x">');
    expect(clean.completedHtml).toEqual({ default: '<h3>谢谢</h3>', 'zh-cn': '<a>链接</a><a href="https://example.cn/a">官网</a>' });
    expect(clean.completedHtmlOnCondition).toEqual([{ expression: "{a} = 'x'", html: '<p>好</p>' }]);
    expect(clean).not.toHaveProperty('navigateToUrl');
    expect(clean).not.toHaveProperty('logo');
    expect(clean.navigateToUrlOnCondition).toEqual([{ expression: '{a} notempty' }]);
    const [html, radio, textQ, image, picker] = (clean.pages as { elements: Record<string, unknown>[] }[])[0]!.elements;
    expect(html!.html).toBe('<p style="color:red">说明</p>');
    // plain text and logic stay exactly as typed
    expect(radio!.title).toBe('A < B & C');
    expect(radio!.visibleIf).toBe("{h} <> '<b>'");
    expect(radio!.choices).toEqual([{ value: 'yes', text: '<b>是</b>' }, { value: 'no', text: '否' }]);
    expect(textQ!.defaultValue).toBe('<img src="x">');
    expect(image!.imageLink).toBe('data:image/png;base64,iVBORw0KGgo=');
    expect(picker!.choices).toEqual([{ value: 'a' }, { value: 'b', imageLink: '/public/b.png' }]);
  });

  it('leaves an ordinary questionnaire unchanged', async () => {
    const plain = {
      title: '家长满意度问卷',
      description: '请根据实际情况填写 (1–5 分)，“不了解”不计分 & 可跳过',
      pages: [{ name: 'p1', elements: [{ type: 'html', name: 'intro', html: '<p>您好！<b>本问卷匿名</b>。</p>' }, { type: 'rating', name: 'r', title: '总体 <评价>', rateMax: 5, pingyiScores: { '1': 20, '5': 100 } }] }],
    };
    expect(await sanitizeDefinition(plain)).toEqual(plain);
  });
});
