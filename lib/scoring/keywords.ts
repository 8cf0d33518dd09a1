/**
 * Keyword frequencies of comments, with Chinese word segmentation by jieba (@node-rs/jieba: the
 * Rust port of the standard Chinese segmenter, prebuilt for every platform through npm). Stop words,
 * punctuation, numbers and single characters are left out. Pure apart from loading the dictionary.
 */
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict';

let jieba: Jieba | null = null;
const segmenter = () => (jieba ??= Jieba.withDict(dict));

/** Words that say nothing about a teacher or school on their own. */
export const STOP_WORDS = new Set(
  (
    '的 了 和 是 在 我 有 也 很 都 就 不 没有 没 一个 一些 希望 建议 觉得 非常 比较 还 要 能 会 对 把 被 让 给 与 及 或 等 这 那 这个 那个 这些 ' +
    '我们 你们 他们 她们 老师 学校 孩子 家长 同学 学生 可以 应该 能够 进一步 更加 一下 一点 有点 什么 怎么 因为 所以 但是 而且 如果 以及 还是 ' +
    '无 暂无 没什么 没意见 挺好 好 太 又 再 才 着 过 吧 呢 啊 吗 嗯 哦'
  ).split(/\s+/),
);

const WORD = /[\p{Script=Han}A-Za-z]/u;

export function segment(text: string): string[] {
  return segmenter().cut(text, false);
}

/** The most frequent keywords over some comments: each word counted once per comment. */
export function keywordFrequencies(comments: readonly string[], limit = 30): { word: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const comment of comments) {
    const words = new Set(segment(comment).map((w) => w.trim().toLowerCase()).filter((w) => w.length > 1 && WORD.test(w) && !STOP_WORDS.has(w)));
    for (const w of words) counts.set(w, (counts.get(w) ?? 0) + 1);
  }
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0], 'zh-CN'))
    .slice(0, limit)
    .map(([word, count]) => ({ word, count }));
}
