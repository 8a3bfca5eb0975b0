import type { Section } from './scenario.ts';

// Every benchmark section, by name. Sections load lazily so one section's setup never slows another.
export const sections: Readonly<Record<string, () => Promise<Section>>> = {
  readers: () => import('./readers.ts').then((m) => m.section),
  checker: () => import('./checker.ts').then((m) => m.section),
  cli: () => import('./cli.ts').then((m) => m.section),
  timeline: () => import('./timeline.ts').then((m) => m.section),
  model: () => import('./model.ts').then((m) => m.section),
  campaign: () => import('./campaign.ts').then((m) => m.section),
  workloads: () => import('./workloads.ts').then((m) => m.section),
  record: () => import('./record.ts').then((m) => m.section),
  clean: () => import('./clean.ts').then((m) => m.section),
  nodes: () => import('./nodes.ts').then((m) => m.section),
  schedules: () => import('./schedules.ts').then((m) => m.section),
};
