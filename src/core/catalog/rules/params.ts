// Optional parameters from the entry's `params`: booleans, enums, integer ranges (seed), strings
// and lists of small objects (Kling's multi_prompt), plus the entry's cross-field rules.
import type { ModelEntry, ParamRule } from '../model-entry.js';
import type { RequestView } from './problems.js';
import { isObject, orList, type Problems } from './report.js';

export function checkParams(model: ModelEntry, view: RequestView, p: Problems): void {
  for (const rule of model.params) {
    const value = view.get(rule.name);
    if (value !== undefined) checkParam(model, rule, value, p);
  }
  for (const cross of model.crossRules ?? []) p.list.push(...cross(view, model).filter((x) => !(p.wire && x.code === 'field-not-supported')));
}

function checkParam(model: ModelEntry, rule: ParamRule, value: unknown, p: Problems): void {
  const at = { field: rule.name };
  const where = `${rule.in ?? 'parameters'}.${rule.name}`;
  switch (rule.type) {
    case 'boolean':
      if (typeof value !== 'boolean') p.wrongType(at, `Field "${where}" must be a boolean.`, `write ${rule.name}: true or false`);
      return;
    case 'enum':
      if (typeof value !== 'string') {
        p.wrongType(at, `Field "${where}" must be ${orList((rule.values ?? []).map((v) => `"${v}"`))}.`);
        return;
      }
      if (!rule.values?.includes(value)) {
        p.error(
          `${rule.name.replace(/_/g, '-')}-invalid`,
          'parameter',
          at,
          p.wire ? `Field "${where}" must be ${orList((rule.values ?? []).map((v) => `"${v}"`))}.` : `${rule.name} must be ${orList(rule.values ?? [])}, got '${value}'`,
          `use ${rule.name}: ${orList(rule.values ?? [])}`,
        );
      }
      return;
    case 'integer': {
      const isSeed = rule.derive === 'seed';
      const min = rule.min ?? Number.NEGATIVE_INFINITY;
      const max = rule.max ?? Number.POSITIVE_INFINITY;
      if (typeof value !== 'number' || !Number.isInteger(value)) {
        if (p.wire && isSeed) p.error('seed-out-of-range', 'seed', at, `The seed must be an integer within [${min}, ${max}]; got ${JSON.stringify(value)}.`, 'use an integer seed');
        else p.wrongType(at, `Field "${where}" must be an integer.`);
        return;
      }
      if (value >= min && value <= max) return;
      if (isSeed) {
        p.error(
          'seed-out-of-range',
          'seed',
          at,
          p.wire ? `The seed must be an integer within [${min}, ${max}]; got ${JSON.stringify(value)}.` : `seed ${value} is out of range (${min}–${max})`,
          `use a seed from ${min} to ${max}, or omit it to derive one from the shot id`,
        );
      } else {
        p.error(`${rule.name.replace(/_/g, '-')}-out-of-range`, 'parameter', at, `${rule.name} ${value} is out of range for ${model.name} (${min}–${max})`, `use a ${rule.name} from ${min} to ${max}`);
      }
      return;
    }
    case 'string':
      if (typeof value !== 'string' || value === '') p.wrongType(at, `Field "${where}" must be a non-empty string.`);
      return;
    case 'object-list': {
      if (!Array.isArray(value)) {
        p.wrongType(at, `Field "${where}" must be a list.`);
        if (!p.wire) p.error('wrong-type', 'type', at, `${rule.name} must be a list of {${Object.keys(rule.keys ?? {}).join(', ')}}`, `write ${rule.name}: as a list`);
        return;
      }
      if (rule.min !== undefined && value.length < rule.min) p.error(`${rule.name.replace(/_/g, '-')}-count`, 'parameter', at, `${rule.name} needs at least ${rule.min} items, got ${value.length}`, `add items to ${rule.name}`);
      if (rule.max !== undefined && value.length > rule.max) p.error(`${rule.name.replace(/_/g, '-')}-count`, 'parameter', at, `${rule.name} takes at most ${rule.max} items, got ${value.length}`, `keep at most ${rule.max} items`);
      value.forEach((item, index) => {
        const itemAt = { field: rule.name, index };
        if (!isObject(item)) {
          p.error('wrong-type', 'type', itemAt, `${rule.name}[${index}] must be a mapping {${Object.keys(rule.keys ?? {}).join(', ')}}`, `write each item as {${Object.keys(rule.keys ?? {}).map((k) => `${k}: …`).join(', ')}}`);
          return;
        }
        for (const [key, type] of Object.entries(rule.keys ?? {})) {
          const v = item[key];
          const ok = type === 'integer' ? typeof v === 'number' && Number.isInteger(v) : typeof v === 'string' && v !== '';
          if (!ok) p.error(v === undefined ? 'missing-key' : 'wrong-type', v === undefined ? 'required' : 'type', { ...itemAt, key }, `${rule.name}[${index}].${key} must be ${type === 'integer' ? 'an integer' : 'a non-empty string'}`, `write ${key}: …`);
        }
        for (const key of Object.keys(item)) {
          if (!(key in (rule.keys ?? {}))) p.error('unknown-key', 'unknown-parameter', { ...itemAt, key }, `${rule.name}[${index}] has an unknown key '${key}'`, `allowed keys: ${Object.keys(rule.keys ?? {}).join(', ')}`);
        }
      });
      return;
    }
  }
}
