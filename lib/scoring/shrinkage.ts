/**
 * Empirical-Bayes shrinkage of subject means toward their group's mean, so that a teacher rated by
 * 6 people is not ranked above one rated by 60 on noise alone. Pure.
 *
 * Each mean m_i of n_i ratings is pulled toward the pooled mean μ with weight
 * w_i = τ² / (τ² + σ²/n_i), where σ² is the pooled within-subject variance and τ² the
 * between-subject variance estimated by the method of moments: τ² = max(0, var(m) − mean(σ²/n)).
 */
import { round } from './stats';

export interface ShrinkInput {
  key: string;
  mean: number;
  n: number;
  /** sample variance of the subject's ratings, when known */
  variance: number | null;
}

export interface Shrunk {
  key: string;
  mean: number;
  n: number;
  shrunk: number;
  /** how much of the subject's own mean is kept (1 = none shrunk) */
  weight: number;
  rank: number;
}

export interface ShrinkResult {
  method: 'empirical_bayes';
  pooledMean: number | null;
  withinVariance: number | null;
  betweenVariance: number | null;
  subjects: Shrunk[];
}

export function shrinkTowardMean(subjects: readonly ShrinkInput[]): ShrinkResult {
  const rated = subjects.filter((s) => s.n > 0);
  if (!rated.length) return { method: 'empirical_bayes', pooledMean: null, withinVariance: null, betweenVariance: null, subjects: [] };
  const total = rated.reduce((s, x) => s + x.n, 0);
  const mu = rated.reduce((s, x) => s + x.mean * x.n, 0) / total;
  // pooled within-subject variance, weighted by degrees of freedom
  const dfs = rated.filter((x) => x.variance !== null && x.n > 1);
  const df = dfs.reduce((s, x) => s + x.n - 1, 0);
  const sigma2 = df > 0 ? dfs.reduce((s, x) => s + x.variance! * (x.n - 1), 0) / df : 0;
  const unweighted = rated.reduce((s, x) => s + x.mean, 0) / rated.length;
  const spread = rated.length > 1 ? rated.reduce((s, x) => s + (x.mean - unweighted) ** 2, 0) / (rated.length - 1) : 0;
  const noise = rated.reduce((s, x) => s + sigma2 / x.n, 0) / rated.length;
  const tau2 = Math.max(0, spread - noise);
  const shrunk = rated.map((x) => {
    const w = tau2 + sigma2 / x.n > 0 ? tau2 / (tau2 + sigma2 / x.n) : 1;
    return { key: x.key, mean: x.mean, n: x.n, shrunk: round(w * x.mean + (1 - w) * mu), weight: round(w), rank: 0 };
  });
  const order = [...shrunk].sort((a, b) => b.shrunk - a.shrunk || b.n - a.n);
  order.forEach((s, i) => (s.rank = i > 0 && order[i - 1]!.shrunk === s.shrunk ? order[i - 1]!.rank : i + 1));
  return { method: 'empirical_bayes', pooledMean: round(mu), withinVariance: round(sigma2), betweenVariance: round(tau2), subjects: shrunk };
}
